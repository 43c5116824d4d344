import os from 'node:os';
import { Connection } from '@temporalio/client';
import { loadWorkerConfig, WorkerConfig } from './config';

/**
 * `node apps/worker/dist/healthcheck.js` (docker-compose.yml's worker healthcheck): exits 0 while a worker of this
 * container polls both halves of its task queue, as Temporal itself sees it. A live process is not enough: a worker
 * whose connection broke, or whose poll loop stopped, takes no work although its process runs.
 */

/** Longer than one long poll on an idle queue (about a minute), so a healthy worker between two polls passes. */
export const MAX_POLL_AGE_MS = 120_000;

/** Task queue types as Temporal numbers them (temporal.api.enums.v1.TaskQueueType). */
const QUEUE_TYPES = [
  { type: 1, name: 'workflow' },
  { type: 2, name: 'activity' },
] as const;

/**
 * Which poller identities are this container's worker: TEMPORAL_WORKER_IDENTITY when set, else the SDK's default
 * `<pid>@<hostname>` with this container's hostname (the check runs as another process, so not its own pid).
 */
export function isOwnIdentity(config: Pick<WorkerConfig, 'identity'>, hostname = os.hostname()) {
  return (identity: string) => (config.identity ? identity === config.identity : identity.endsWith(`@${hostname}`));
}

/** Undefined when healthy, else why not. */
export async function pollingProblem(
  connection: Connection,
  config: Pick<WorkerConfig, 'namespace' | 'taskQueue' | 'identity'>,
  now = Date.now(),
  hostname = os.hostname(),
): Promise<string | undefined> {
  const own = isOwnIdentity(config, hostname);
  for (const { type, name } of QUEUE_TYPES) {
    const description = await connection.workflowService.describeTaskQueue({
      namespace: config.namespace,
      taskQueue: { name: config.taskQueue },
      taskQueueType: type,
    });
    const lastPoll = Math.max(
      -Infinity,
      ...(description.pollers ?? [])
        .filter((poller) => own(poller.identity ?? ''))
        .map((poller) => Number(poller.lastAccessTime?.seconds ?? 0) * 1000),
    );
    if (now - lastPoll > MAX_POLL_AGE_MS) {
      return lastPoll === -Infinity
        ? `no ${name} poller of this worker on task queue "${config.taskQueue}"`
        : `this worker last polled the ${name} task queue "${config.taskQueue}" ${Math.round((now - lastPoll) / 1000)} s ago`;
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: 5_000 });
  try {
    const problem = await pollingProblem(connection, config);
    if (problem) {
      console.error(`unhealthy: ${problem}`);
      process.exitCode = 1;
    } else {
      console.log('healthy: polling');
    }
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`unhealthy: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
