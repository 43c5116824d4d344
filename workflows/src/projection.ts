import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { PROJECTION_REJECTED, Role, toStorableValue } from '@county/domain';
import type { Activities } from '@county/activities';
import type { NotificationInput, ProjectedChange } from '@county/domain';

const { applyChange } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // The database may be down for a while: keep trying (each try is idempotent by dedupe key). Data the
  // database refuses is not retried: the activity fails it as PROJECTION_REJECTED (see below).
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
    const written = this.queue.then(() => applyWithFallback({ ...change, dedupeKey }));
    this.queue = written.catch(() => undefined);
    return written.then(() => undefined);
  }

  /** Resolves once every change written so far has been applied (or has failed for good). */
  drain(): Promise<void> {
    return this.queue.then(() => undefined);
  }
}

/**
 * The validators refuse what the database cannot store, so a rejected projection is a bug. If one still
 * happens, the process must not stall on it (retrying for ever, or hanging the human action that caused
 * it): the change is written again with its text made storable, and, if the database refuses that too,
 * only its audit event is kept. Either way the admins are told once (the alert shares the change's dedupe
 * key) and the item stays actionable.
 */
async function applyWithFallback(change: ProjectedChange): Promise<void> {
  try {
    await applyChange(change);
    return;
  } catch (error) {
    if (!isProjectionRejected(error)) throw error;
    const reason = (error as ActivityFailure).cause?.message ?? 'rejected';
    const storable = toStorableValue(change);
    const alerted = (kept: string): Pick<ProjectedChange, 'audit' | 'notifications'> => ({
      audit: { ...storable.audit, payload: { ...storable.audit.payload, projectionRejected: { reason, kept } } },
      notifications: [...(kept === 'all' ? (storable.notifications ?? []) : []), adminAlert(storable, reason)],
    });
    try {
      await applyChange({ ...storable, ...alerted('all') });
    } catch (second) {
      if (!isProjectionRejected(second)) throw second;
      // The audit event alone, its actor moved into the payload (a forged actor may be what was refused).
      const { audit, notifications } = alerted('audit-only');
      await applyChange({
        dedupeKey: storable.dedupeKey,
        audit: {
          ...audit,
          actorUserId: null,
          actorUnitId: null,
          payload: { ...audit.payload, actor: { userId: audit.actorUserId, unitId: audit.actorUnitId } },
        },
        notifications,
      });
    }
  }
}

function isProjectionRejected(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === PROJECTION_REJECTED
  );
}

function adminAlert(change: ProjectedChange, reason: string): NotificationInput {
  return {
    recipientUnitId: 'supervision',
    recipientRole: Role.Admin,
    kind: 'projection-rejected',
    subjectType: change.audit.subjectType,
    subjectId: change.audit.subjectId,
    title: '数据写入被数据库拒绝，已按可存储内容记录',
    body: `流程 ${change.audit.workflowId ?? ''} 的变更「${change.audit.action}」未能原样写入：${reason.slice(0, 500)}`,
  };
}
