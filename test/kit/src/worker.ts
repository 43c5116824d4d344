import { DeliveryConfig, startWorkerRuntime } from '@county/worker/dist/runtime';

export interface RunningWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** A task queue no other suite (or other run) uses. */
export const uniqueTaskQueue = (prefix = 'test') => `${prefix}-${process.pid}-${Math.random().toString(36).slice(2)}`;

/**
 * Deliveries in tests: no e-mail unless a suite gives its SMTP server, and quick retries (a suite that brings a
 * receiver down waits seconds, not the production half hour).
 */
export const TEST_DELIVERY: DeliveryConfig = {
  allowedHosts: [],
  retry: { initialSeconds: 1, maximumSeconds: 4, maximumAttempts: 5 },
  pollMs: 300,
};

/**
 * The production worker (workflows, activities and the outbox dispatcher), in-process, on a task queue of the
 * test's own (and on the run's Temporal server unless `temporalAddress` names another; on the run's database unless
 * `databaseUrl` names another way to it, e.g. through a TCP proxy a test can cut; with the API's attachment store
 * unless `attachmentsDir` names another).
 */
export async function startWorker(
  taskQueue = uniqueTaskQueue(),
  temporalAddress = process.env.TEMPORAL_ADDRESS!,
  databaseUrl = process.env.DATABASE_URL!,
  delivery: Partial<DeliveryConfig> = {},
  attachmentsDir?: string,
): Promise<RunningWorker> {
  const runtime = await startWorkerRuntime({
    databaseUrl,
    temporalAddress,
    taskQueue,
    applicationName: 'county-test-worker',
    delivery: { ...TEST_DELIVERY, ...delivery },
    attachmentsDir,
  });
  return { taskQueue, stop: () => runtime.shutdown() };
}
