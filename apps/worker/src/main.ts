import { Runtime } from '@temporalio/worker';
import { processLogger, temporalLogger } from '@county/logging';
import { SchemaMismatchError } from '@county/persistence';
import { loadWorkerConfig } from './config';
import { sdkMetricsExporter } from './metrics';
import { startWorkerRuntime } from './runtime';

// First, so that everything the process prints — the SDK, the Rust core, a library's console call — is a JSON line.
const logger = processLogger({ service: 'worker' });

/**
 * The worker process. Temporal's runtime installs SIGINT/SIGTERM handlers that call worker.shutdown():
 * polling stops, in-flight tasks get the grace period, then the runtime closes its connections.
 * Anything that was not finished is retried by another worker, so a kill loses nothing.
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  // The process's one Temporal runtime, before any connection: our logger, and the SDK's metrics exporter when
  // WORKER_METRICS_PORT asks for /metrics.
  const exporter = config.metrics ? await sdkMetricsExporter() : undefined;
  Runtime.install({
    logger: temporalLogger(logger.child({ component: 'temporal' })),
    telemetryOptions: {
      // The Rust core's own lines would go straight to stderr as text; forwarded, they are JSON lines like the rest.
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      ...(exporter ? { metrics: { prometheus: exporter.prometheus } } : {}),
    },
  });
  const runtime = await startWorkerRuntime({
    ...config,
    ...(config.metrics ? { metrics: { ...config.metrics, sdkMetricsUrl: exporter?.url } } : {}),
  });
  logger.info(
    { taskQueue: config.taskQueue, namespace: config.namespace, deployment: config.deployment },
    `worker polling task queue "${config.taskQueue}" on ${config.temporalAddress} (namespace ${config.namespace})`,
  );
  if (config.deployment) {
    const { name, buildId } = config.deployment;
    logger.info(
      `worker versioning: deployment ${name}, build ${buildId}; it gets work once this version is current ` +
        `(temporal worker deployment set-current-version --deployment-name ${name} --build-id ${buildId})`,
    );
  }
  if (config.metrics) logger.info(`worker metrics on http://${config.metrics.host}:${config.metrics.port}/metrics`);
  if (!config.delivery.smtpUrl) logger.info('SMTP_URL is not set: notifications are not sent by e-mail');
  await runtime.running;
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  // A schema of another release is the operator's to fix (run the migrations, or the matching release): no stack.
  if (error instanceof SchemaMismatchError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'the worker stopped on an error');
  process.exit(1);
});
