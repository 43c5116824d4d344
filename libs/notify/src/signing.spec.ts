import { createHmac } from 'node:crypto';
import { dingtalkSign, verifyDingtalkSignature, verifyWebhookSignature, webhookSignature } from './signing';

const SECRET = 'SEC4b1c3f0a9e8d7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b4a3';

describe('signing', () => {
  it('signs for 钉钉 as its documentation computes it', () => {
    const timestamp = 1_782_000_000_123;
    const expected = createHmac('sha256', Buffer.from(SECRET, 'utf8'))
      .update(Buffer.from(`${timestamp}\n${SECRET}`, 'utf8'))
      .digest()
      .toString('base64');
    expect(dingtalkSign(SECRET, timestamp)).toBe(expected);
    expect(verifyDingtalkSignature(SECRET, String(timestamp), expected)).toBe(true);
  });

  it('refuses a 钉钉 signature for another time, another secret or a changed sign', () => {
    const sign = dingtalkSign(SECRET, 1000);
    expect(verifyDingtalkSignature(SECRET, '1001', sign)).toBe(false);
    expect(verifyDingtalkSignature(`${SECRET}x`, '1000', sign)).toBe(false);
    expect(verifyDingtalkSignature(SECRET, '1000', sign.slice(0, -2))).toBe(false);
    expect(verifyDingtalkSignature(SECRET, '1000', '')).toBe(false);
  });

  it('signs webhook bodies as sha256=<hex HMAC>', () => {
    const body = '{"deliveryId":"d1","title":"催办"}';
    const expected = createHmac('sha256', 'webhook-secret-0123').update(Buffer.from(body, 'utf8')).digest('hex');
    expect(webhookSignature('webhook-secret-0123', body)).toBe(`sha256=${expected}`);
  });

  it('verifies a webhook signature and refuses a tampered body, a missing or a malformed header', () => {
    const secret = 'webhook-secret-0123';
    const body = '{"deliveryId":"d1","title":"催办"}';
    const header = webhookSignature(secret, body);
    expect(verifyWebhookSignature(secret, body, header)).toBe(true);
    expect(verifyWebhookSignature(secret, body.replace('催办', '督办'), header)).toBe(false);
    expect(verifyWebhookSignature('another-secret-0123', body, header)).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.slice('sha256='.length))).toBe(false);
    expect(verifyWebhookSignature(secret, body, `${header}00`)).toBe(false);
  });
});
