/** Wire names below are API: they never change once released (running workflows depend on them). */

/**
 * One delivery workflow per notification (its first run), and one per admin retry of a dead letter: the id is
 * what makes a repeated start (a dispatcher restarted after a crash) a no-op.
 */
export function deliveryWorkflowId(notificationId: string, retry?: { deliveryId: string; retries: number }): string {
  return retry ? `delivery-${notificationId}-retry-${retry.deliveryId}-${retry.retries}` : `delivery-${notificationId}`;
}

/** Backoff of one delivery's attempts; fixed when the workflow starts (the worker's settings then). */
export interface DeliveryRetryPolicy {
  initialSeconds: number;
  maximumSeconds: number;
  /** Attempts before the delivery becomes a dead letter. */
  maximumAttempts: number;
}

export interface DeliveryWorkflowInput {
  notificationId: string;
  /** Only these deliveries (an admin's retry); all the notification's pending ones when absent. */
  deliveryIds?: string[];
  retry: DeliveryRetryPolicy;
}

export interface DeliveryWorkflowResult {
  sent: number;
  skipped: number;
  dead: number;
}
