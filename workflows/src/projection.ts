import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '@county/activities';
import type { ProjectedChange } from '@county/persistence';

const { applyChange } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // The database may be down for a while: keep trying (each try is idempotent by dedupe key).
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Writes a workflow's changes to the read model strictly in the order they happened: a later change
 * never lands before an earlier one even when two updates arrive together. The dedupe key is
 * workflowId + step + sequence (not runId, which changes on continue-as-new).
 */
export class Projector {
  private queue: Promise<unknown> = Promise.resolve();

  /** `sequence`: how many changes earlier runs of this workflow wrote (it continues across continue-as-new). */
  constructor(private sequence = 0) {}

  /** How many changes this workflow has written, in all its runs. */
  get written(): number {
    return this.sequence;
  }

  write(step: string, change: Omit<ProjectedChange, 'dedupeKey'>): Promise<void> {
    this.sequence += 1;
    const dedupeKey = `${workflowInfo().workflowId}:${step}:${this.sequence}`;
    const written = this.queue.then(() => applyChange({ ...change, dedupeKey }));
    this.queue = written.catch(() => undefined);
    return written.then(() => undefined);
  }

  /** Resolves once every change written so far has been applied (or has failed for good). */
  drain(): Promise<void> {
    return this.queue.then(() => undefined);
  }
}
