import { ActivityFailure, ApplicationFailure, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '@county/activities';
import type { DeliveryWorkflowInput, DeliveryWorkflowResult } from './delivery.contracts';

const { pendingDeliveries, markDeliveryDead } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Database reads and writes: retried until the database is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Delivers one notification's deliveries (DESIGN notes in the README: why per notification). Each waits on a
 * durable timer for working hours (the activity measured how long, on the calendar), then is sent with retries
 * and backoff; a delivery that fails permanently or runs out of attempts becomes a dead letter. One failing
 * channel never holds the others back, and nothing here blocks a task workflow or a human action: notifications
 * are written first, delivered later.
 */
export async function deliveryWorkflow(input: DeliveryWorkflowInput): Promise<DeliveryWorkflowResult> {
  const { sendDelivery } = proxyActivities<Activities>({
    // An SMTP or HTTP exchange is bounded by the senders' own timeouts (10 s); this is the backstop after which a
    // worker that died mid-send is presumed gone and the attempt is made again.
    startToCloseTimeout: '20 seconds',
    retry: {
      initialInterval: `${input.retry.initialSeconds} seconds`,
      backoffCoefficient: 2,
      maximumInterval: `${input.retry.maximumSeconds} seconds`,
      maximumAttempts: input.retry.maximumAttempts,
    },
  });
  const result: DeliveryWorkflowResult = { sent: 0, skipped: 0, dead: 0 };
  const pending = await pendingDeliveries({ notificationId: input.notificationId });
  const started = Date.now();
  const waits = [...new Set(pending.map((delivery) => delivery.waitMs))].sort((a, b) => a - b);
  for (const waitMs of waits) {
    const remaining = started + waitMs - Date.now();
    if (remaining > 0) await sleep(remaining);
    await Promise.all(
      pending
        .filter((delivery) => delivery.waitMs === waitMs)
        .map(async (delivery) => {
          try {
            const outcome = await sendDelivery(delivery.id);
            if (outcome === 'sent') result.sent += 1;
            else if (outcome === 'skipped') result.skipped += 1;
          } catch (error) {
            await markDeliveryDead({ deliveryId: delivery.id, reason: failureReason(error) });
            result.dead += 1;
          }
        }),
    );
  }
  return result;
}

function failureReason(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? ''} ${cause.message}`.trim();
  return cause instanceof Error ? cause.message : String(cause);
}
