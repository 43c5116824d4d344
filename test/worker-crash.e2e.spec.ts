import path from 'node:path';
import {
  assignmentOf,
  assignmentPolicy,
  FULL_LADDER_NOTIFICATIONS,
  notificationCounts,
  queryRows,
  useStack,
  waitFor,
} from '@county/test-kit';
import { NodeProcess, runNodeScript } from './support/node-process';

const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');
const FAST_POLICY = assignmentPolicy({ remind: 2, ladder: [0, 3, 6] });

/**
 * The worker process is killed (SIGKILL, no graceful shutdown) while reminders and escalations are
 * firing; a new worker takes over. Nothing may be lost and no notification may be sent twice.
 */
describe('a worker killed mid-run', () => {
  const taskQueue = `crash-${process.pid}-${Date.now()}`;
  // The workers are child processes of the test's own (spawnWorker), so the stack runs none.
  const stack = useStack({ apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue }, users: ['supervisor'] });
  const workers: NodeProcess[] = [];

  const spawnWorker = () => {
    const worker = runNodeScript(WORKER_MAIN, { TEMPORAL_TASK_QUEUE: taskQueue });
    workers.push(worker);
    return worker;
  };

  afterAll(() => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  });

  it('loses nothing and duplicates no notification', async () => {
    const first = spawnWorker();
    await waitFor('the first worker to poll', async () => first.output().includes('worker polling'), 60_000, 200);
    const plan = await stack.importWithPolicy(FAST_POLICY);
    const finance = assignmentOf(plan, 'finance');
    const changed = await stack.tasks.changeDeadline(plan.tasks[0].id, new Date(Date.now() + 3_000), '测试：崩溃恢复');
    expect(changed.status).toBe(200);

    const level = async () =>
      (
        await queryRows<{ escalation_level: number }>('SELECT escalation_level FROM assignments WHERE id = $1', [
          finance.id,
        ])
      )[0].escalation_level;
    await waitFor('level 1', async () => (await level()) >= 1, 30_000, 100);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed by a signal, not a clean exit

    spawnWorker();
    await waitFor('level 3 under the new worker', async () => (await level()) === 3, 60_000, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(await notificationCounts(finance.id)).toEqual(FULL_LADDER_NOTIFICATIONS);
    const escalations = await queryRows<{ level: number }>(
      'SELECT level FROM escalations WHERE subject_id = $1 ORDER BY level',
      [finance.id],
    );
    expect(escalations.map((row) => row.level)).toEqual([1, 2, 3]);
    expect((await stack.as('supervisor', 'GET', '/audit/verify')).body).toMatchObject({
      ok: true,
    });
  });
});
