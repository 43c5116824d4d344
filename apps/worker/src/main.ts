import { SchemaMismatchError } from '@county/persistence';
import { loadWorkerConfig } from './config';
import { startWorkerRuntime } from './runtime';

/**
 * The worker process. Temporal's runtime installs SIGINT/SIGTERM handlers that call worker.shutdown():
 * polling stops, in-flight tasks get the grace period, then the runtime closes its connections.
 * Anything that was not finished is retried by another worker, so a kill loses nothing.
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const runtime = await startWorkerRuntime(config);
  console.log(
    `worker polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.namespace})`,
  );
  if (!config.delivery.smtpUrl) console.log('SMTP_URL is not set: notifications are not sent by e-mail');
  await runtime.running;
  console.log('worker stopped');
}

main().catch((error: unknown) => {
  // A schema of another release is the operator's to fix (run the migrations, or the matching release): no stack.
  console.error(error instanceof SchemaMismatchError ? error.message : error);
  process.exit(1);
});
