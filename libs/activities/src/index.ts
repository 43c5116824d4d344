import type { DataSource } from '@county/persistence';

export interface ActivityDependencies {
  dataSource: DataSource;
}

/**
 * Builds the activity implementations the worker registers. Activities own all I/O and must be
 * idempotent: key every write by workflowId + step + sequence and use INSERT … ON CONFLICT.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function createActivities(dependencies: ActivityDependencies) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
