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
  if (config.metrics) console.log(`worker metrics on http://${config.metrics.host}:${config.metrics.port}/metrics`);
  if (!config.delivery.smtpUrl) console.log('SMTP_URL is not set: notifications are not sent by e-mail');
  await runtime.running;
  console.log('worker stopped');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
