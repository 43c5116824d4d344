/** Wire names below are API: they never change once released (running workflows depend on them). */

/**
 * One delivery workflow per notification (round 0), and one per admin retry of its dead letters (round 1, 2…): the
 * id is what makes a repeated start (a dispatcher restarted after a crash) a no-op.
 */
export function deliveryWorkflowId(notificationId: string, round = 0): string {
  return round === 0 ? `delivery-${notificationId}` : `delivery-${notificationId}-${round}`;
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
  retry: DeliveryRetryPolicy;
}

export interface DeliveryWorkflowResult {
  sent: number;
  skipped: number;
  dead: number;
}
