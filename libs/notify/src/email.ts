import nodemailer from 'nodemailer';
import { DeliveryError, OutgoingMessage, renderEmail } from './message';

export interface Mailer {
  send(to: string, message: OutgoingMessage): Promise<void>;
  close(): void;
}

export const DEFAULT_FROM = '县级改革任务督办系统 <noreply@localhost>';
const SMTP_TIMEOUT_MS = 10_000;
/** Errors nodemailer raises before talking to a server about a message that no server would take either. */
const LOCAL_MESSAGE_ERRORS = new Set(['EENVELOPE', 'EMESSAGE']);

/** The Message-ID a delivery always carries, so a resend after a lost reply is recognizably the same e-mail. */
export function messageIdOf(deliveryId: string): string {
  return `<${deliveryId}@county-task-engine>`;
}

/**
 * A 5xx reply is the server's final word (unknown mailbox, message refused): not retryable. A 4xx reply
 * (greylisting, mailbox busy) and anything without a reply — refused connection, timeout, broken socket, DNS —
 * may pass later.
 */
export function classifySmtpError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const { responseCode, code, message } = (error ?? {}) as { responseCode?: number; code?: string; message?: string };
  const detail = [code, responseCode, message].filter((part) => part !== undefined && part !== '').join(' ');
  if (typeof responseCode === 'number' && responseCode >= 500)
    return new DeliveryError(`邮件服务器拒收（${detail}）`, false, 'smtp-rejected');
  if (typeof responseCode !== 'number' && code !== undefined && LOCAL_MESSAGE_ERRORS.has(code))
    return new DeliveryError(`邮件无法发送（${detail}）`, false, 'smtp-rejected');
  return new DeliveryError(`邮件服务器暂时不可用（${detail}）`, true, 'smtp-unavailable');
}

/**
 * One SMTP transport for the outbox (SMTP_URL, e.g. smtp://user:pass@mail.example.gov.cn:587). Not pooled: the
 * outbox sends a few messages a minute, and a fresh connection per message cannot inherit a stale one's failure.
 */
export function createMailer(options: { smtpUrl: string; from?: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: false,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  const from = options.from ?? DEFAULT_FROM;
  return {
    async send(to: string, message: OutgoingMessage): Promise<void> {
      const { subject, text, html } = renderEmail(message);
      try {
        await transport.sendMail({
          from,
          to,
          subject,
          text,
          html,
          messageId: messageIdOf(message.deliveryId),
          headers: { 'X-Delivery-Id': message.deliveryId },
        });
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close(): void {
      transport.close();
    },
  };
}
