import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Activities, createActivities } from '@county/activities';
import { demoteInfoToDebug } from '@county/logging';
import { createMailer } from '@county/notify';
import {
  APP_DATABASE_ROLE,
  CalendarOverrideRepository,
  DataSource,
  openReleaseDataSource,
  DeliveryRepository,
} from '@county/persistence';
import type { DeliveryRetryPolicy } from '@county/workflows';
import { FileAttachmentStore } from '@county/storage';
import { ensureBulletinSchedule } from './bulletin-schedule';
import { ensureDigestSchedule } from './digest-schedule';
import { startMetricsServer, WorkerMetrics, WorkerMetricsOptions } from './metrics';
import { OutboxDispatcher } from './outbox-dispatcher';

/** How notifications leave the system (issue 15); see loadWorkerConfig for the environment behind it. */
export interface DeliveryConfig {
  smtpUrl?: string;
  smtpFrom?: string;
  publicUrl?: string;
  allowedHosts: readonly string[];
  retry: DeliveryRetryPolicy;
  pollMs: number;
  /** Tests only: the quiet hours' clock. */
  now?: () => Date;
}

export interface WorkerRuntimeOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace?: string;
  taskQueue: string;
  identity?: string;
  shutdownGraceSeconds?: number;
  delivery: DeliveryConfig;
  applicationName?: string;
  /**
   * The API's attachment store directory (ATTACHMENTS_DIR): the 督查通报 files are written there and downloaded by the
   * API. Default: ATTACHMENTS_DIR from the environment, else `<COUNTY_DATA_DIR or .data>/attachments` like the API.
   */
  attachmentsDir?: string;
  /** Tests only (BULLETIN_SCHEDULE_INTERVAL): fire the bulletin schedule every this many seconds instead of at 09:00. */
  bulletinScheduleIntervalSeconds?: number;
  /** The SDK's worker tuning; a field left out keeps the SDK's default (see loadWorkerConfig). */
  tuning?: WorkerTuning;
  /**
   * Serve /metrics there (WORKER_METRICS_PORT): the worker's own and the Temporal SDK's. It installs the process's
   * Temporal runtime, so only one metrics-serving worker runs per process (the worker process is one).
   */
  metrics?: WorkerMetricsOptions;
  /** Worker Versioning (WORKER_BUILD_ID): this worker is version `buildId` of the deployment `name`. */
  deployment?: WorkerDeployment;
}

/**
 * A release of the worker as Temporal's Worker Versioning knows it. Workflows are AUTO_UPGRADE: at its next task a
 * running workflow moves to the deployment's current version. PINNED would keep each workflow on the release that
 * started it, and an assignment lives for up to a year, so every release's workers would have to run that long;
 * instead each release replays its predecessors' histories (patched(), test/replay.spec.ts) and versioning only
 * decides the moment work moves to the new workers.
 */
export interface WorkerDeployment {
  name: string;
  buildId: string;
}

/** Worker settings issue 19's reminder-drain benchmark varies (BENCHMARKS.md lists what was tried). */
export interface WorkerTuning {
  /** Workflows kept in the sticky cache (SDK default: derived from the heap size). */
  maxCachedWorkflows?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskPolls?: number;
  maxConcurrentActivityTaskPolls?: number;
  /** The worker's PostgreSQL pool (default 10): each projection activity holds one connection for its transaction. */
  databasePoolSize?: number;
}

export interface WorkerRuntime {
  /** Resolves when the worker has stopped (after shutdown(), or SIGINT/SIGTERM) and everything is closed. */
  running: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The worker: the workflows and activities on the task queue, and the outbox dispatcher beside them. The worker
 * process (main.ts) and the tests' in-process worker both start it here, so tests run what production runs.
 */
export async function startWorkerRuntime(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const dataSource = await openReleaseDataSource(
    {
      url: options.databaseUrl,
      applicationName: options.applicationName ?? 'county-worker',
      role: APP_DATABASE_ROLE,
      ...(options.tuning?.databasePoolSize !== undefined ? { poolSize: options.tuning.databasePoolSize } : {}),
    },
    'the worker',
  );
  const closers: Array<() => Promise<void> | void> = [() => dataSource.destroy()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const { delivery } = options;
    const now = delivery.now ?? (() => new Date());
    const mailer = delivery.smtpUrl ? createMailer({ smtpUrl: delivery.smtpUrl, from: delivery.smtpFrom }) : undefined;
    if (mailer) closers.push(() => mailer.close());
    const metrics = options.metrics ? await serveMetrics(options.metrics, dataSource, closers) : undefined;
    const native = await NativeConnection.connect({ address: options.temporalAddress });
    closers.push(() => native.close());
    const worker = await Worker.create({
      connection: native,
      namespace: options.namespace ?? 'default',
      taskQueue: options.taskQueue,
      // The SDK rejects an explicit undefined; omit the field to get its pid@host default.
      ...(options.identity ? { identity: options.identity } : {}),
      // Bundled here rather than by Worker.create so that webpack's multi-line build report is a debug line, not
      // an info one in every start's log (same bundle, same bundler; only its logger differs).
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('@county/workflows/workflows'),
        logger: demoteInfoToDebug(Runtime.instance().logger),
      }),
      activities: instrumented(
        metrics,
        createActivities({
          dataSource,
          delivery: { mailer, publicUrl: delivery.publicUrl, allowedHosts: delivery.allowedHosts, now },
          files: new FileAttachmentStore(options.attachmentsDir ?? defaultAttachmentsDir(process.env)),
        }),
      ),
      ...(options.shutdownGraceSeconds !== undefined ? { shutdownGraceTime: `${options.shutdownGraceSeconds}s` } : {}),
      ...sdkTuning(options.tuning),
      ...(options.deployment
        ? {
            workerDeploymentOptions: {
              version: { deploymentName: options.deployment.name, buildId: options.deployment.buildId },
              useWorkerVersioning: true,
              defaultVersioningBehavior: 'AUTO_UPGRADE',
            },
          }
        : {}),
    });
    const connection = await Connection.connect({ address: options.temporalAddress });
    closers.push(() => connection.close());
    const scheduleClient = new Client({ connection, namespace: options.namespace ?? 'default' });
    await ensureDigestSchedule(scheduleClient, options.taskQueue);
    await ensureBulletinSchedule(scheduleClient, options.taskQueue, options.bulletinScheduleIntervalSeconds);
    const dispatcher = new OutboxDispatcher({
      deliveries: new DeliveryRepository(dataSource),
      overrides: new CalendarOverrideRepository(dataSource),
      client: new Client({ connection, namespace: options.namespace ?? 'default' }),
      taskQueue: options.taskQueue,
      emailEnabled: mailer !== undefined,
      retry: delivery.retry,
      pollMs: delivery.pollMs,
      now,
      log: (message) => console.error(message),
    });
    const running = (async () => {
      try {
        const run = worker.run();
        dispatcher.start();
        await run;
      } finally {
        await dispatcher.stop();
        await closeAll();
      }
    })();
    return {
      running,
      shutdown: async () => {
        worker.shutdown();
        await running;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Our /metrics server, beside the SDK's exporter that the process's Runtime.install started (main.ts). */
async function serveMetrics(
  options: WorkerMetricsOptions,
  dataSource: DataSource,
  closers: Array<() => Promise<void> | void>,
): Promise<WorkerMetrics> {
  const metrics = new WorkerMetrics(new DeliveryRepository(dataSource), (message) => console.error(message));
  const server = await startMetricsServer(options, metrics, options.sdkMetricsUrl);
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return metrics;
}

function instrumented(metrics: WorkerMetrics | undefined, activities: Activities): Activities {
  return metrics ? metrics.instrument(activities) : activities;
}

/** The API's default (apps/api config.ts): ATTACHMENTS_DIR, else `<COUNTY_DATA_DIR or the repository's .data>/attachments`. */
export function defaultAttachmentsDir(env: NodeJS.ProcessEnv): string {
  if (env.ATTACHMENTS_DIR) return path.resolve(env.ATTACHMENTS_DIR);
  const dataDir = path.resolve(env.COUNTY_DATA_DIR || path.join(__dirname, '..', '..', '..', '.data'));
  return path.join(dataDir, 'attachments');
}

/** The SDK's fields of the tuning that were set (the SDK rejects explicit undefined values). */
function sdkTuning(tuning: WorkerTuning = {}) {
  const { databasePoolSize: _pool, ...sdk } = tuning;
  return Object.fromEntries(Object.entries(sdk).filter(([, value]) => value !== undefined));
}
