import { parseAllowedHosts } from '@county/domain';
import { TASK_QUEUE } from '@county/workflows';
import type { WorkerMetricsOptions } from './metrics';
import { defaultAttachmentsDir, WorkerDeployment, WorkerRuntimeOptions, WorkerTuning } from './runtime';

export interface WorkerConfig extends WorkerRuntimeOptions {
  namespace: string;
  /** How long in-flight activities get to finish on shutdown before they are cancelled. */
  shutdownGraceSeconds: number;
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}`);
  return value;
}

function urlSetting(env: NodeJS.ProcessEnv, name: string, protocols: readonly string[]): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${value}`);
  }
  if (!protocols.includes(url.protocol)) throw new Error(`${name} must start with ${protocols.join(' or ')}`);
  return value;
}

/** '2s', '90s', '5m' or a number of seconds, at least 1. */
function durationSeconds(name: string, value: string): number {
  const match = /^(\d+)(s|m)?$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * (match[2] === 'm' ? 60 : 1) : NaN;
  if (!Number.isFinite(seconds) || seconds < 1) throw new Error(`${name} must be a duration like 2s or 5m`);
  return seconds;
}

/** An optional whole-number setting: unset keeps the default of whoever consumes it (here the Temporal SDK). */
function optionalCount(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}`);
  return value;
}

/**
 * The worker's tuning (issue 19: the reminder drain). Unset, each keeps the SDK's default; BENCHMARKS.md records
 * the settings tried and what they changed.
 */
function workerTuning(env: NodeJS.ProcessEnv): WorkerTuning {
  return {
    maxCachedWorkflows: optionalCount(env, 'WORKER_MAX_CACHED_WORKFLOWS', 0),
    maxConcurrentWorkflowTaskExecutions: optionalCount(env, 'WORKER_WORKFLOW_TASK_SLOTS', 2),
    maxConcurrentActivityTaskExecutions: optionalCount(env, 'WORKER_ACTIVITY_TASK_SLOTS', 1),
    maxConcurrentWorkflowTaskPolls: optionalCount(env, 'WORKER_WORKFLOW_POLLERS', 2),
    maxConcurrentActivityTaskPolls: optionalCount(env, 'WORKER_ACTIVITY_POLLERS', 1),
    databasePoolSize: optionalCount(env, 'WORKER_DATABASE_POOL_SIZE', 1),
  };
}

/**
 * WORKER_METRICS_PORT turns /metrics on (off by default); WORKER_METRICS_HOST is the address it listens on, loopback
 * unless an operator opens it (e.g. 0.0.0.0 in a container whose port only the Prometheus network reaches).
 */
function metricsSetting(env: NodeJS.ProcessEnv): WorkerMetricsOptions | undefined {
  const host = env.WORKER_METRICS_HOST?.trim() || '127.0.0.1';
  const port = optionalCount(env, 'WORKER_METRICS_PORT', 1);
  if (port === undefined) return undefined;
  if (port > 65535) throw new Error('WORKER_METRICS_PORT must be a port number (1–65535)');
  return { port, host };
}

/**
 * WORKER_BUILD_ID turns on Temporal's Worker Versioning (off by default: `npm start`, the tests, one machine).
 * The worker then joins the deployment WORKER_DEPLOYMENT_NAME (default `county`) as version <build id>, and gets
 * work only once an operator makes that version current (README, "Upgrades").
 */
function deploymentSetting(env: NodeJS.ProcessEnv): WorkerDeployment | undefined {
  const buildId = env.WORKER_BUILD_ID?.trim();
  if (!buildId) return undefined;
  const name = env.WORKER_DEPLOYMENT_NAME?.trim() || 'county';
  for (const [setting, value] of [
    ['WORKER_BUILD_ID', buildId],
    ['WORKER_DEPLOYMENT_NAME', name],
  ]) {
    // The server joins the two with a dot into the version's name.
    if (
      !/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/.test(value) ||
      (setting === 'WORKER_DEPLOYMENT_NAME' && value.includes('.'))
    ) {
      throw new Error(`${setting}=${value} must be 1–100 letters, digits, "-", "_" (and "." in a build id)`);
    }
  }
  return { name, buildId };
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  return {
    metrics: metricsSetting(env),
    databaseUrl: env.DATABASE_URL,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || TASK_QUEUE,
    shutdownGraceSeconds: numberSetting(env, 'WORKER_SHUTDOWN_GRACE_SECONDS', 10, 0),
    // Shown in the Temporal UI's poller list; defaults to the SDK's pid@host.
    identity: env.TEMPORAL_WORKER_IDENTITY || undefined,
    // Shared with the API: the worker files the 督查通报 there and the API serves the download.
    attachmentsDir: defaultAttachmentsDir(env),
    // Tests: the bulletin schedule every N seconds instead of daily at 09:00 China time.
    bulletinScheduleIntervalSeconds: env.BULLETIN_SCHEDULE_INTERVAL
      ? durationSeconds('BULLETIN_SCHEDULE_INTERVAL', env.BULLETIN_SCHEDULE_INTERVAL)
      : undefined,
    tuning: workerTuning(env),
    deployment: deploymentSetting(env),
    delivery: {
      smtpUrl: urlSetting(env, 'SMTP_URL', ['smtp:', 'smtps:']),
      smtpFrom: env.SMTP_FROM || undefined,
      publicUrl: urlSetting(env, 'PUBLIC_URL', ['http:', 'https:']),
      allowedHosts: parseAllowedHosts(env.NOTIFY_ALLOWED_HOSTS),
      retry: {
        initialSeconds: numberSetting(env, 'NOTIFY_RETRY_INITIAL_SECONDS', 30, 1),
        maximumSeconds: numberSetting(env, 'NOTIFY_RETRY_MAX_SECONDS', 1800, 1),
        maximumAttempts: numberSetting(env, 'NOTIFY_MAX_ATTEMPTS', 12, 1),
      },
      pollMs: numberSetting(env, 'NOTIFY_POLL_MS', 2000, 100),
    },
  };
}
