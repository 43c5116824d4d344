import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '@county/activities';
import { APP_DATABASE_ROLE, createDataSource, DataSource } from '@county/persistence';

export interface RunningWorker {
  taskQueue: string;
  stop(): Promise<void>;
}

/** A task queue no other suite (or other run) uses. */
export const uniqueTaskQueue = (prefix = 'test') => `${prefix}-${process.pid}-${Math.random().toString(36).slice(2)}`;

/**
 * The production workflows and activities, in-process, on a task queue of the test's own (and on the
 * run's Temporal server unless `temporalAddress` names another; on the run's database unless `databaseUrl`
 * names another way to it, e.g. through a TCP proxy a test can cut).
 */
export async function startWorker(
  taskQueue = uniqueTaskQueue(),
  temporalAddress = process.env.TEMPORAL_ADDRESS,
  databaseUrl = process.env.DATABASE_URL!,
): Promise<RunningWorker> {
  const dataSource: DataSource = await createDataSource({
    url: databaseUrl,
    role: APP_DATABASE_ROLE,
  }).initialize();
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('@county/workflows/workflows'),
    activities: createActivities({ dataSource }),
  });
  const running = worker.run();
  return {
    taskQueue,
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await dataSource.destroy();
    },
  };
}
