import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { workingDayRule } from '@county/activities';
import { planDeliveries } from '@county/domain';
import { CalendarOverrideRepository, DeliveryRepository } from '@county/persistence';
import { deliveryWorkflowId, DeliveryRetryPolicy, DeliveryWorkflowInput } from '@county/workflows';

export interface OutboxDispatcherOptions {
  deliveries: DeliveryRepository;
  overrides: CalendarOverrideRepository;
  client: Client;
  taskQueue: string;
  /** Whether e-mail is configured (SMTP_URL): without it no e-mail deliveries are planned. */
  emailEnabled: boolean;
  retry: DeliveryRetryPolicy;
  /** How often the outbox is looked at when it was empty. */
  pollMs: number;
  /** "Now" for the quiet hours; creation times are read on the same clock (tests move it). */
  now: () => Date;
  log: (message: string) => void;
}

const BATCH = 100;

/**
 * Moves notifications from the outbox into delivery workflows. Every notification, whoever wrote it (a workflow's
 * projection, the API's 催办, an admin alert), is picked up here, so no writer has to remember to start a delivery.
 *
 * Two steps, each safe to repeat: plan (store the deliveries, in one transaction with `planned_at`), then start the
 * workflow `delivery-<notification>` and set `dispatched_at`. A crash between them leaves the notification
 * undispatched, and the next round starts it; a start that already happened is refused by Temporal by id (the
 * workflow id is never reused), so nothing is delivered twice.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: OutboxDispatcherOptions) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** One round: plan what is unplanned, start what is undispatched. Answers how many workflows it started. */
  async runOnce(): Promise<number> {
    const isWorkingDay = await workingDayRule(this.options.overrides);
    const offsetMs = this.options.now().getTime() - Date.now();
    await this.options.deliveries.planPending(BATCH, (facts) =>
      planDeliveries(
        {
          ...facts,
          notification: {
            ...facts.notification,
            createdAt: new Date(facts.notification.createdAt.getTime() + offsetMs),
          },
          emailEnabled: this.options.emailEnabled,
        },
        isWorkingDay,
      ),
    );
    let started = 0;
    for (const { notificationId, round } of await this.options.deliveries.undispatched(BATCH)) {
      if (await this.startDelivery(notificationId, round)) started += 1;
      await this.options.deliveries.markDispatched(notificationId, round);
    }
    return started;
  }

  private async startDelivery(notificationId: string, round: number): Promise<boolean> {
    const input: DeliveryWorkflowInput = { notificationId, retry: this.options.retry };
    try {
      await this.options.client.workflow.start('deliveryWorkflow', {
        taskQueue: this.options.taskQueue,
        workflowId: deliveryWorkflowId(notificationId, round),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [input],
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.runOnce().then(
        // A full batch: there is more, go on at once.
        (started) => this.schedule(started >= BATCH ? 0 : this.options.pollMs),
        (error: unknown) => {
          // The database or Temporal is down: the outbox keeps everything, try again later.
          this.options.log(`outbox: ${error instanceof Error ? error.message : String(error)}`);
          this.schedule(Math.max(this.options.pollMs, 5_000));
        },
      );
    }, delayMs);
  }
}
