import { ProjectedChange, WorkflowProjectionRepository } from '@county/persistence';

/**
 * Writes what a workflow decided into PostgreSQL: the read model, the audit event and notifications,
 * in one transaction keyed by the change's dedupe key. A retry after a crash (even one after the commit
 * but before Temporal heard back) writes nothing twice.
 */
export function createProjectionActivities(dependencies: { projection: WorkflowProjectionRepository }) {
  return {
    async applyChange(change: ProjectedChange): Promise<{ applied: boolean }> {
      return { applied: await dependencies.projection.apply(change) };
    },
  };
}
