import {
  CalendarOverrideRepository,
  DataSource,
  DeliveryRepository,
  DigestRepository,
  UnitRepository,
  WorkflowProjectionRepository,
} from '@county/persistence';
import { createCalendarActivities } from './calendar.activities';
import { createDeliveryActivities, DeliverySettings } from './delivery.activities';
import { createDigestActivities } from './digest.activities';
import { createProjectionActivities } from './projection.activities';

export * from './calendar.activities';
export * from './delivery.activities';
export * from './digest.activities';
export * from './projection.activities';

export interface ActivityDependencies {
  dataSource: DataSource;
  delivery: DeliverySettings;
}

/**
 * Builds the activity implementations the worker registers. Activities own all I/O and must be
 * idempotent: key every write by workflowId + step + sequence and use INSERT … ON CONFLICT.
 */
export function createActivities({ dataSource, delivery }: ActivityDependencies) {
  const projection = new WorkflowProjectionRepository(dataSource);
  return {
    ...createCalendarActivities({ overrides: new CalendarOverrideRepository(dataSource), projection }),
    ...createProjectionActivities({ projection }),
    ...createDeliveryActivities({ deliveries: new DeliveryRepository(dataSource), settings: delivery }),
    ...createDigestActivities({
      digests: new DigestRepository(dataSource),
      overrides: new CalendarOverrideRepository(dataSource),
      units: new UnitRepository(dataSource),
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
