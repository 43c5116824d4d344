import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '@county/scripts/dist/temporal-cli';
import { assignmentWorkflowId } from '@county/workflows';
import { assignmentOf, useStack, waitFor } from '@county/test-kit';
import { NodeProcess, runNodeScript } from './support/node-process';

const run = promisify(execFile);
const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');

/**
 * A rolling upgrade with Worker Versioning (README, "Upgrades"): the worker processes of release A run, the workers
 * of release B start beside them and get nothing until B is made current, then every workflow moves to B at its
 * next task (AUTO_UPGRADE) and A's workers can be stopped. Which release did a workflow task is read from the
 * history (each completed workflow task records the deployment version of the worker that completed it).
 */
describe('a rolling upgrade with Worker Versioning', () => {
  const taskQueue = `versioning-${process.pid}-${Date.now()}`;
  // Deployments are per namespace and the run's server is shared: a name of the suite's own.
  const deployment = `county-test-${process.pid}-${Date.now()}`;
  const stack = useStack({
    apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue },
    users: ['supervisor', 'finance.staff', 'approval.head'],
  });
  const workers: NodeProcess[] = [];
  afterAll(() => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  });

  const startRelease = async (buildId: string) => {
    const worker = runNodeScript(WORKER_MAIN, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      WORKER_DEPLOYMENT_NAME: deployment,
      WORKER_BUILD_ID: buildId,
    });
    workers.push(worker);
    await waitFor(
      `release ${buildId}'s worker to poll`,
      async () => worker.output().includes('worker versioning'),
      60_000,
      200,
    );
    return worker;
  };
  /** What an operator runs to move work to a release; the version exists once its first worker has polled. */
  const makeCurrent = async (buildId: string) => {
    const cli = await resolveTemporalCli(() => undefined);
    if (cli.kind !== 'binary') throw new Error('this suite needs the temporal CLI (npm run temporal:provision)');
    await waitFor(
      `release ${buildId} to become current`,
      async () => {
        try {
          await run(cli.path, [
            'worker',
            'deployment',
            'set-current-version',
            '--deployment-name',
            deployment,
            '--build-id',
            buildId,
            '--yes',
            '--address',
            stack.temporalAddress,
          ]);
          return true;
        } catch {
          return false; // not registered yet: the poll that registers it is on its way
        }
      },
      30_000,
      500,
    );
  };
  /** The build id of the worker that completed each workflow task of the assignment so far. */
  const buildsOf = async (assignmentId: string) => {
    const history = await stack.temporal.workflow.getHandle(assignmentWorkflowId(assignmentId)).fetchHistory();
    return (history.events ?? [])
      .map((event) => event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId)
      .filter((buildId): buildId is string => Boolean(buildId));
  };

  it('moves running workflows to the new release only when it is made current, losing nothing', async () => {
    const releaseA = await startRelease('release-a');
    await makeCurrent('release-a');
    const plan = await stack.importAndStart();
    const finance = assignmentOf(plan, 'finance');

    // Release B's workers poll, but A is current: A still does every task.
    await startRelease('release-b');
    expect((await stack.assignments.act('finance.staff', finance.id, 'acknowledge')).status).toBe(200);
    const beforeSwitch = await buildsOf(finance.id);
    expect(beforeSwitch.length).toBeGreaterThan(0);
    expect(new Set(beforeSwitch)).toEqual(new Set(['release-a']));

    await makeCurrent('release-b');
    const submitted = await stack.as('finance.staff', 'POST', `/assignments/${finance.id}/submit`, {
      summary: '已完成',
    });
    expect(submitted.status).toBe(200);
    const afterSwitch = (await buildsOf(finance.id)).slice(beforeSwitch.length);
    expect(afterSwitch.length).toBeGreaterThan(0);
    expect(new Set(afterSwitch)).toEqual(new Set(['release-b']));

    // A's workers are drained now: stopped, nothing waits on them.
    releaseA.child.kill('SIGTERM');
    expect(await releaseA.exited).toBe(0);
    const approved = await stack.as('approval.head', 'POST', `/assignments/${finance.id}/approve`, { comment: '同意' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(new Set((await buildsOf(finance.id)).slice(beforeSwitch.length))).toEqual(new Set(['release-b']));
    expect((await stack.as('supervisor', 'GET', '/audit/verify')).body).toMatchObject({ ok: true });
  }, 180_000);
});
