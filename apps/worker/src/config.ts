import { TASK_QUEUE } from '@county/workflows';

export interface WorkerConfig {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  /** How long in-flight activities get to finish on shutdown before they are cancelled. */
  shutdownGraceSeconds: number;
  /** Shown in the Temporal UI's poller list; defaults to the SDK's pid@host. */
  identity?: string;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const grace = Number(env.WORKER_SHUTDOWN_GRACE_SECONDS ?? 10);
  if (!Number.isFinite(grace) || grace < 0)
    throw new Error('WORKER_SHUTDOWN_GRACE_SECONDS must be a non-negative number');
  return {
    databaseUrl: env.DATABASE_URL,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || TASK_QUEUE,
    shutdownGraceSeconds: grace,
    identity: env.TEMPORAL_WORKER_IDENTITY || undefined,
  };
}
