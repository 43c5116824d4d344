import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { TASK_QUEUE } from '@county/workflows';
import { runNodeScript } from './support/node-process';
import { useStack, waitFor } from '@county/test-kit';

const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');
const WORKER_HEALTHCHECK = path.resolve(__dirname, '../apps/worker/dist/healthcheck.js');

describe('worker process', () => {
  // Only a Temporal client: the test starts the worker process itself.
  const stack = useStack({ api: false });

  it('polls the task queue on the real Temporal server and stops cleanly on SIGTERM', async () => {
    const identity = `county-worker-test-${process.pid}-${Date.now()}`;
    const { child: worker, output, exited } = runNodeScript(WORKER_MAIN, { TEMPORAL_WORKER_IDENTITY: identity });

    try {
      await waitFor(
        'the worker to poll the workflow task queue',
        async () => {
          const description = await stack.temporal.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: TASK_QUEUE },
            taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          });
          return (description.pollers ?? []).some((poller) => poller.identity === identity);
        },
        60_000,
        250,
      );

      // docker-compose.yml's healthcheck of the worker container: it finds this worker among the pollers of both
      // halves of the queue (the activity poller may register a moment after the workflow one)…
      await waitFor(
        'the healthcheck to pass',
        async () => (await runNodeScript(WORKER_HEALTHCHECK, { TEMPORAL_WORKER_IDENTITY: identity }).exited) === 0,
        30_000,
        250,
      );
      // …and fails for a worker that does not poll.
      const absent = runNodeScript(WORKER_HEALTHCHECK, { TEMPORAL_WORKER_IDENTITY: `${identity}-absent` });
      expect(await absent.exited).toBe(1);
      expect(absent.output()).toContain(`unhealthy: no workflow poller of this worker on task queue "${TASK_QUEUE}"`);

      worker.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).toContain('worker stopped');
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
  });
});
