import { parseRobotAnswer, postJson, SendOptions } from './http';
import { DeliveryError, OutgoingMessage, renderMarkdown, SUBJECT_PREFIX } from './message';
import { dingtalkSign } from './signing';

/** 钉钉 does not publish a markdown limit; this keeps a message well within what its robots accept. */
export const DINGTALK_MARKDOWN_MAX_BYTES = 4096;
/** 发送速度太快而限流 (20 messages a minute per robot): the next minute it passes. */
const DINGTALK_TOO_FAST = 130101;
const CHANNEL = '钉钉机器人';

/**
 * Posts to a 钉钉 custom robot. With a 加签 secret the URL gets `timestamp` and `sign`; a robot secured by keyword
 * instead finds "督办" in every title (SUBJECT_PREFIX), so a county can use that as its keyword.
 */
export async function sendDingtalkRobot(
  url: string,
  secret: string | null,
  message: OutgoingMessage,
  options: SendOptions & { now?: () => number } = {},
): Promise<void> {
  let target = url;
  if (secret) {
    const signed = new URL(url);
    const timestamp = (options.now ?? Date.now)();
    signed.searchParams.set('timestamp', String(timestamp));
    signed.searchParams.set('sign', dingtalkSign(secret, timestamp));
    target = signed.toString();
  }
  const title = `${SUBJECT_PREFIX}${message.title.replace(/\s+/g, ' ').trim()}`;
  const text = renderMarkdown(message, DINGTALK_MARKDOWN_MAX_BYTES);
  const body = JSON.stringify({ msgtype: 'markdown', markdown: { title, text } });
  const answer = parseRobotAnswer((await postJson(target, body, {}, CHANNEL, options)).text);
  if (answer === null) throw new DeliveryError(`${CHANNEL}的回答无法识别`, false, 'dingtalk-bad-response');
  if (answer.errcode === 0) return;
  throw new DeliveryError(
    `${CHANNEL}拒绝了消息（${answer.errcode} ${answer.errmsg}）`,
    answer.errcode === DINGTALK_TOO_FAST,
    `dingtalk-${answer.errcode}`,
  );
}
