import { ApplicationFailure, Context } from '@temporalio/activity';
import { createWorkingCalendar } from '@county/calendar';
import { notificationLink } from '@county/domain';
import type { Mailer, OutgoingMessage, SendOptions, WebhookPayload } from '@county/notify';
import { DeliveryError, sendDingtalkRobot, sendWebhook, sendWecomRobot } from '@county/notify';
import { CalendarOverrideRepository, DeliveryRepository, DeliveryToSend } from '@county/persistence';

/** How the worker reaches the outside world (issue 15); tests point it at their own receivers. */
export interface DeliverySettings {
  /** Absent when SMTP_URL is unset: no e-mail is planned then. */
  mailer?: Mailer;
  /** The console's address, for links in messages (PUBLIC_URL); none: messages carry no link. */
  publicUrl?: string;
  /** Hosts (host or host:port) a webhook may reach although private or plain http (NOTIFY_ALLOWED_HOSTS). */
  allowedHosts: readonly string[];
  /** "Now" for the quiet hours (tests move it to a Friday evening); the real clock otherwise. */
  now: () => Date;
}

export interface PendingDelivery {
  id: string;
  /** How long the workflow waits before sending (0: at once), measured on the settings' clock. */
  waitMs: number;
}

export type SendOutcome = 'sent' | 'skipped' | 'already-done';

/** The workflow's error type for a delivery that failed and may be tried again; the type is how it tells. */
export const DELIVERY_FAILED = 'DELIVERY_FAILED';

/**
 * Delivery activities. Sending is not idempotent by nature (an e-mail once sent is sent), so each send is guarded
 * by the delivery's status: a delivery marked sent is never sent again, and the message carries the delivery id
 * (Message-ID, X-Delivery-Id) so the receiving side can drop the one duplicate a crash between "sent" and
 * "marked sent" can cause.
 */
export function createDeliveryActivities(dependencies: { deliveries: DeliveryRepository; settings: DeliverySettings }) {
  const { deliveries, settings } = dependencies;
  const sendOptions: SendOptions = { allowedHosts: settings.allowedHosts };

  const send = async (delivery: DeliveryToSend): Promise<'sent' | 'skipped'> => {
    const message: OutgoingMessage = {
      deliveryId: delivery.id,
      kind: delivery.notification.kind,
      title: delivery.notification.title,
      body: delivery.notification.body,
      createdAt: delivery.notification.createdAt,
      link: settings.publicUrl ? new URL(notificationLink(delivery.notification), settings.publicUrl).toString() : null,
      unitName: delivery.notification.recipientUnitName,
    };
    if (delivery.channel === 'email') {
      if (!settings.mailer || !delivery.email) return 'skipped';
      await settings.mailer.send(delivery.email, message);
      return 'sent';
    }
    if (!delivery.endpoint) return 'skipped';
    const { url, secret } = delivery.endpoint;
    if (delivery.channel === 'wecom') await sendWecomRobot(url, message, sendOptions);
    else if (delivery.channel === 'dingtalk') await sendDingtalkRobot(url, secret, message, sendOptions);
    else await sendWebhook(url, secret ?? '', await webhookPayload(delivery, message), sendOptions);
    return 'sent';
  };

  const webhookPayload = async (delivery: DeliveryToSend, message: OutgoingMessage): Promise<WebhookPayload> => ({
    deliveryId: delivery.id,
    notification: {
      id: delivery.notification.id,
      kind: message.kind,
      title: message.title,
      body: message.body,
      createdAt: message.createdAt,
      link: message.link,
      subjectType: delivery.notification.subjectType,
      subjectId: delivery.notification.subjectId,
      recipientUnitId: delivery.notification.recipientUnitId,
      recipientRole: delivery.notification.recipientRole,
    },
    recipients: await deliveries.contacts(delivery.notification.id),
  });

  return {
    /** The notification's pending deliveries and how long each waits for working hours. */
    async pendingDeliveries(input: { notificationId: string }): Promise<PendingDelivery[]> {
      const now = settings.now().getTime();
      return (await deliveries.pending(input.notificationId)).map((delivery) => ({
        id: delivery.id,
        waitMs: Math.max(0, delivery.notBefore.getTime() - now),
      }));
    },

    async sendDelivery(deliveryId: string): Promise<SendOutcome> {
      const delivery = await deliveries.toSend(deliveryId);
      if (!delivery || delivery.status !== 'pending') return 'already-done';
      const attempt = Context.current().info.attempt;
      try {
        const outcome = await send(delivery);
        if (outcome === 'skipped') await deliveries.close(deliveryId, 'skipped', '收件人已无可用的地址或渠道');
        else await deliveries.markSent(deliveryId, attempt);
        return outcome;
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : undefined;
        const reason = error instanceof Error ? error.message : String(error);
        await deliveries.recordFailure(deliveryId, attempt, reason);
        if (failure && !failure.retryable) throw ApplicationFailure.nonRetryable(reason, failure.code);
        throw ApplicationFailure.retryable(reason, failure?.code ?? DELIVERY_FAILED);
      }
    },

    /** Attempts used up or a permanent refusal: a dead letter an admin sees and can send again. */
    async markDeliveryDead(input: { deliveryId: string; reason: string }): Promise<void> {
      await deliveries.close(input.deliveryId, 'dead', input.reason);
    },
  };
}

/** The working-day rule for quiet hours, on the same calendar as the deadlines (holidays, 调休, regional days). */
export async function workingDayRule(overrides: CalendarOverrideRepository): Promise<(date: string) => boolean> {
  const { overrides: rows, completedYears } = await overrides.calendarInputs();
  const calendar = createWorkingCalendar(rows, completedYears);
  return (date) => calendar.isWorkingDay(date);
}
