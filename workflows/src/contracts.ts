// What the API (and tests) share with the workflows: ids, message definitions, the task queue.
export * from './assignment.contracts';
export * from './call.contracts';
export * from './task.contracts';
export * from './delivery.contracts';
export * from './digest.contracts';
export * from './bulletin.contracts';
export { TASK_QUEUE } from './task-queue';
// The projection contract (what a workflow's change records), defined below both the workflows and persistence.
export type { CallProjection, NotificationInput, ProjectedChange } from '@county/domain';
