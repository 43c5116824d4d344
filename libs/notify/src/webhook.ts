import { postJson, SendOptions } from './http';
import { webhookSignature } from './signing';

/** What a county's own system (OA, 政务 app) receives: the notification and who it is for. */
export interface WebhookPayload {
  deliveryId: string;
  notification: {
    id: string;
    kind: string;
    title: string;
    body: string;
    createdAt: string;
    link: string | null;
    subjectType: string;
    subjectId: string;
    recipientUnitId: string;
    recipientRole: string | null;
  };
  recipients: Array<{ userId: string; displayName: string; phone: string | null; email: string | null }>;
}

/**
 * POSTs the payload, signed: the body is serialized once and that exact string is both signed and sent, so the
 * receiver's HMAC over the bytes it got matches. `X-Delivery-Id` lets the receiver drop a retried duplicate.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  payload: WebhookPayload,
  options?: SendOptions,
): Promise<void> {
  const body = JSON.stringify(payload);
  await postJson(
    url,
    body,
    { 'X-Signature': webhookSignature(secret, body), 'X-Delivery-Id': payload.deliveryId },
    '接收系统',
    options,
  );
}
