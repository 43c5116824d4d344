import {
  BulletinRepository,
  CalendarOverrideRepository,
  DataSource,
  DeliveryRepository,
  DigestRepository,
  UnitRepository,
  WorkflowProjectionRepository,
} from '@county/persistence';
import type { AttachmentStore } from '@county/storage';
import { createBulletinActivities } from './bulletin.activities';
import { createCalendarActivities } from './calendar.activities';
import { createDeliveryActivities, DeliverySettings } from './delivery.activities';
import { createDigestActivities } from './digest.activities';
import { createProjectionActivities } from './projection.activities';

export * from './bulletin.activities';
export * from './calendar.activities';
export * from './delivery.activities';
export * from './digest.activities';
export * from './projection.activities';

const missingStore = () => Promise.reject(new Error('this worker has no file store for the 督查通报 (files)'));
const NO_FILE_STORE: AttachmentStore = { put: missingStore, open: missingStore, rehash: missingStore };

export interface ActivityDependencies {
  dataSource: DataSource;
  delivery: DeliverySettings;
  /**
   * Where the 督查通报 files go: the API's attachment store (ATTACHMENTS_DIR), so its download finds them. Without
   * one (a test worker for other activities) the bulletin activity fails rather than write a bulletin without a file.
   */
  files?: AttachmentStore;
}

/**
 * Builds the activity implementations the worker registers. Activities own all I/O and must be
 * idempotent: key every write by workflowId + step + sequence and use INSERT … ON CONFLICT.
 */
export function createActivities({ dataSource, delivery, files }: ActivityDependencies) {
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
    ...createBulletinActivities({
      bulletins: new BulletinRepository(dataSource),
      overrides: new CalendarOverrideRepository(dataSource),
      files: files ?? NO_FILE_STORE,
    }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
