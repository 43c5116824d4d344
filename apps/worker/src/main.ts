import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '@county/activities';
import { APP_DATABASE_ROLE, createDataSource } from '@county/persistence';
import { loadWorkerConfig } from './config';

/**
 * The worker process. Temporal's runtime installs SIGINT/SIGTERM handlers that call worker.shutdown():
 * polling stops, in-flight tasks get the grace period, then run() resolves and we close our connections.
 * Anything that was not finished is retried by another worker, so a kill loses nothing.
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const dataSource = await createDataSource({
    url: config.databaseUrl,
    applicationName: 'county-worker',
    role: APP_DATABASE_ROLE,
  }).initialize();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      // The SDK rejects an explicit undefined; omit the field to get its pid@host default.
      ...(config.identity ? { identity: config.identity } : {}),
      workflowsPath: require.resolve('@county/workflows/workflows'),
      activities: createActivities({ dataSource }),
      shutdownGraceTime: `${config.shutdownGraceSeconds}s`,
    });
    console.log(
      `worker polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.temporalNamespace})`,
    );
    await worker.run();
    console.log('worker stopped');
  } finally {
    await connection.close();
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
