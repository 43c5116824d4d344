import { ApplicationFailure } from '@temporalio/activity';
import { PROJECTION_REJECTED } from '@county/domain';
import type { ProjectedChange } from '@county/domain';
import { rejectedDataReason, WorkflowProjectionRepository } from '@county/persistence';

/**
 * Writes what a workflow decided into PostgreSQL: the read model, the audit event and notifications,
 * in one transaction keyed by the change's dedupe key. A retry after a crash (even one after the commit
 * but before Temporal heard back) writes nothing twice.
 */
export function createProjectionActivities(dependencies: { projection: WorkflowProjectionRepository }) {
  return {
    async applyChange(change: ProjectedChange): Promise<{ applied: boolean }> {
      try {
        return { applied: await dependencies.projection.apply(change) };
      } catch (error) {
        // Data the database refuses is refused on every retry: fail at once, so the workflow can record it
        // (Projector) instead of retrying for ever. Everything else (an outage) is retried.
        const rejected = rejectedDataReason(error);
        if (rejected) throw ApplicationFailure.nonRetryable(rejected, PROJECTION_REJECTED);
        throw error;
      }
    },
  };
}
