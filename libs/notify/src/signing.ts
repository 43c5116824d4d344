import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares without leaking, through timing, how many leading characters matched. */
function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function dingtalkSignOf(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** 钉钉 加签: base64(HMAC-SHA256 keyed with the secret, of `${timestampMs}\n${secret}`). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return dingtalkSignOf(secret, String(timestampMs));
}

/**
 * For receivers and tests: whether `sign` is the 加签 of `timestamp` (as the query string carried it). DingTalk
 * also refuses a timestamp more than an hour off; a receiver that needs that checks it itself.
 */
export function verifyDingtalkSignature(secret: string, timestamp: string, sign: string): boolean {
  return sameText(dingtalkSignOf(secret, timestamp), sign);
}

/** The generic webhook's `X-Signature`: 'sha256=' + hex HMAC-SHA256 of the exact body bytes sent. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** For receivers: whether `header` is the signature of `body`, compared in constant time. */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  return sameText(webhookSignature(secret, body), header.trim().toLowerCase());
}
