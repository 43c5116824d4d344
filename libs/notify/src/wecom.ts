import { parseRobotAnswer, postJson, SendOptions } from './http';
import { DeliveryError, OutgoingMessage, renderMarkdown } from './message';

/** 企业微信 refuses markdown content over 4096 bytes of UTF-8. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
/** 接口调用超过限制 (20 messages a minute per robot): the next minute it passes. */
const WECOM_RATE_LIMITED = 45009;
const CHANNEL = '企业微信机器人';

/** Posts to a 企业微信 group robot (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…). */
export async function sendWecomRobot(url: string, message: OutgoingMessage, options?: SendOptions): Promise<void> {
  const content = renderMarkdown(message, WECOM_MARKDOWN_MAX_BYTES);
  const body = JSON.stringify({ msgtype: 'markdown', markdown: { content } });
  const { text } = await postJson(url, body, {}, CHANNEL, options);
  const answer = parseRobotAnswer(text);
  if (answer === null) throw new DeliveryError(`${CHANNEL}的回答无法识别`, false, 'wecom-bad-response');
  if (answer.errcode === 0) return;
  throw new DeliveryError(
    `${CHANNEL}拒绝了消息（${answer.errcode} ${answer.errmsg}）`,
    answer.errcode === WECOM_RATE_LIMITED,
    `wecom-${answer.errcode}`,
  );
}
