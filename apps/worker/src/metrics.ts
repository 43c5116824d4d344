import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/client';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Activities } from '@county/activities';
import type { DeliveryRepository } from '@county/persistence';

/** The worker's own metrics start so; the Temporal SDK's start with `temporal_` (README "Metrics"). */
export const WORKER_METRIC_PREFIX = 'county_worker_';

/** WORKER_METRICS_PORT / WORKER_METRICS_HOST: where the worker serves /metrics (off unless a port is set). */
export interface WorkerMetricsOptions {
  port: number;
  host: string;
  /** Where the SDK's exporter serves its text (sdkMetricsExporter); without it /metrics has only the worker's own. */
  sdkMetricsUrl?: string;
}

/**
 * The worker's prom-client metrics: what the SDK cannot know about our activities. Failures are labelled by the
 * failure's type (PROJECTION_REJECTED, DELIVERY_FAILED, a channel's code…), a small fixed set, never an id.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly projectionFailures: Counter<'type'>;
  readonly deliveryFailures: Counter<'type'>;
  private readonly sdkUp: Gauge;

  constructor(deliveries: Pick<DeliveryRepository, 'oldestPendingAgeSeconds'>, log: (message: string) => void) {
    const registers = [this.registry];
    this.projectionFailures = new Counter({
      name: `${WORKER_METRIC_PREFIX}projection_failures_total`,
      help: 'Failed attempts to write a workflow change into PostgreSQL (applyChange), by failure type.',
      labelNames: ['type'],
      registers,
    });
    this.deliveryFailures = new Counter({
      name: `${WORKER_METRIC_PREFIX}delivery_failures_total`,
      help: 'Failed attempts to send a notification on a channel (sendDelivery), by failure type.',
      labelNames: ['type'],
      registers,
    });
    new Gauge({
      name: `${WORKER_METRIC_PREFIX}oldest_undelivered_notification_age_seconds`,
      help: 'Age of the oldest notification with a delivery still pending (0: none); NaN when the database did not answer.',
      registers,
      // Read from the deliveries table on every scrape, so every worker reports the installation's outbox.
      async collect() {
        try {
          this.set(await deliveries.oldestPendingAgeSeconds());
        } catch (error) {
          log(`metrics: oldest undelivered notification: ${error instanceof Error ? error.message : String(error)}`);
          this.set(NaN);
        }
      },
    });
    this.sdkUp = new Gauge({
      name: `${WORKER_METRIC_PREFIX}sdk_metrics_up`,
      help: "1 when this scrape includes the Temporal SDK's metrics (temporal_*), 0 when its exporter did not answer.",
      registers,
    });
    collectDefaultMetrics({ register: this.registry, prefix: WORKER_METRIC_PREFIX });
  }

  /** The same activities, counting the failures of the ones that write the read model and send notifications. */
  instrument(activities: Activities): Activities {
    const counting =
      <Args extends unknown[], Result>(counter: Counter<'type'>, activity: (...args: Args) => Promise<Result>) =>
      async (...args: Args): Promise<Result> => {
        try {
          return await activity(...args);
        } catch (error) {
          counter.inc({ type: error instanceof ApplicationFailure && error.type ? error.type : 'error' });
          throw error;
        }
      };
    return {
      ...activities,
      applyChange: counting(this.projectionFailures, activities.applyChange),
      sendDelivery: counting(this.deliveryFailures, activities.sendDelivery),
    };
  }

  /** One scrape: the SDK's exposition (fetched from its loopback exporter) after ours. */
  async render(sdkMetricsUrl: string | undefined): Promise<string> {
    let sdk = '';
    try {
      if (!sdkMetricsUrl) throw new Error('no SDK exporter in this process');
      const response = await fetch(sdkMetricsUrl, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      sdk = await response.text();
      this.sdkUp.set(1);
    } catch {
      this.sdkUp.set(0);
    }
    return `${await this.registry.metrics()}\n${sdk}`;
  }
}

/**
 * The SDK's Prometheus exporter, on a loopback port of its own (our /metrics server reads it on each scrape). It is
 * part of the process's one Runtime.install (main.ts), which must happen before the first native connection.
 */
export async function sdkMetricsExporter(): Promise<{
  prometheus: { bindAddress: string; useSecondsForDurations: true };
  url: string;
}> {
  const port = await freeLoopbackPort();
  return {
    prometheus: { bindAddress: `127.0.0.1:${port}`, useSecondsForDurations: true },
    url: `http://127.0.0.1:${port}/metrics`,
  };
}

/**
 * Serves GET /metrics on the configured address: the worker's metrics and the SDK's in one exposition, so one scrape
 * target covers both (the SDK's own exporter stays on loopback). Resolves once listening.
 */
export async function startMetricsServer(
  options: WorkerMetricsOptions,
  metrics: WorkerMetrics,
  sdkMetricsUrl: string | undefined,
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    metrics.render(sdkMetricsUrl).then(
      (body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (error: unknown) =>
        response
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}

async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
