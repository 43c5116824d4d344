import { assertSafeDestination } from './destination';
import { DeliveryError } from './message';

export interface SendOptions {
  /** `host` or `host:port` entries the SSRF guard lets through (intranet OA, test receivers). */
  allowedHosts?: readonly string[];
  /** Default 10000. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const USER_AGENT = 'county-task-engine';
/** Receivers answer with a short JSON status; more than this is not read (a hostile server could stream for ever). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpAnswer {
  status: number;
  text: string;
}

/** 408 (timeout), 429 (too many requests) and 5xx may pass; any other refusal will be repeated. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

async function readLimited(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_RESPONSE_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES);
}

/**
 * POST a JSON body after the SSRF guard and classify what can go wrong; `channel` names the sender in messages.
 * Answers a 2xx; throws DeliveryError for the rest: a redirect is refused (it could lead inside the network, and
 * the guard only saw the first address), network faults and timeouts are retryable, statuses by `isRetryableStatus`.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  channel: string,
  options: SendOptions = {},
): Promise<HttpAnswer> {
  await assertSafeDestination(url, options.allowedHosts, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    text = await readLimited(response);
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new DeliveryError(
        `${channel}在 ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} 毫秒内没有响应`,
        true,
        'timeout',
      );
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError(
      `无法连接${channel}（${cause?.code ?? cause?.message ?? (error as Error).message}）`,
      true,
      'network-error',
    );
  }
  const { status } = response;
  if (status >= 300 && status < 400)
    throw new DeliveryError(`${channel}返回了重定向（HTTP ${status}），不跟随`, false, 'redirect-refused');
  if (status < 200 || status >= 300)
    throw new DeliveryError(`${channel}拒绝了请求（HTTP ${status}）`, isRetryableStatus(status), `http-${status}`);
  return { status, text };
}

/** The `{errcode, errmsg}` answer both robots give, or null when the body is not one. */
export function parseRobotAnswer(text: string): { errcode: number; errmsg: string } | null {
  try {
    const answer = JSON.parse(text) as { errcode?: unknown; errmsg?: unknown };
    if (typeof answer?.errcode !== 'number') return null;
    return { errcode: answer.errcode, errmsg: typeof answer.errmsg === 'string' ? answer.errmsg : '' };
  } catch {
    return null;
  }
}
