import { CalendarOverrideRepository, DataSource } from '@county/persistence';
import { createCalendarActivities } from './calendar.activities';

export * from './calendar.activities';

export interface ActivityDependencies {
  dataSource: DataSource;
}

/**
 * Builds the activity implementations the worker registers. Activities own all I/O and must be
 * idempotent: key every write by workflowId + step + sequence and use INSERT … ON CONFLICT.
 */
export function createActivities({ dataSource }: ActivityDependencies) {
  return {
    ...createCalendarActivities({ overrides: new CalendarOverrideRepository(dataSource) }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
