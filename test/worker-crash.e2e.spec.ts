import path from 'node:path';
import { login, request, RunningApi, startApi } from './support/api';
import { queryRows } from './support/db';
import { NodeProcess, runNodeScript } from './support/node-process';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { waitFor } from './support/wait';

const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');
const FAST_POLICY = {
  assignment: {
    remindBefore: ['PT2S'],
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'PT3S', level: 2 },
      { after: 'PT6S', level: 3 },
    ],
  },
};

/**
 * The worker process is killed (SIGKILL, no graceful shutdown) while reminders and escalations are
 * firing; a new worker takes over. Nothing may be lost and no notification may be sent twice.
 */
describe('a worker killed mid-run', () => {
  const taskQueue = `crash-${process.pid}-${Date.now()}`;
  let api: RunningApi;
  const workers: NodeProcess[] = [];
  let plan: ImportedPlan;

  const spawnWorker = () => {
    const worker = runNodeScript(WORKER_MAIN, { TEMPORAL_TASK_QUEUE: taskQueue });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    api = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await api?.close();
  });

  it('loses nothing and duplicates no notification', async () => {
    const first = spawnWorker();
    await waitFor('the first worker to poll', async () => first.output().includes('worker polling'), 60_000, 200);
    const supervisor = await login(api.baseUrl, 'supervisor');
    plan = await importAndStart(api, supervisor, ONE_TASK_LIST, { policy: JSON.stringify(FAST_POLICY) });
    const finance = plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
    const changed = await request(api.baseUrl, 'POST', `/tasks/${plan.tasks[0].id}/deadline`, {
      token: supervisor,
      body: { dueAt: new Date(Date.now() + 3_000).toISOString(), reason: '测试：崩溃恢复' },
    });
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

    const counts = await queryRows<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM notifications WHERE subject_id = $1 GROUP BY kind ORDER BY kind`,
      [finance.id],
    );
    expect(counts).toEqual([
      { kind: 'deadline-changed', n: 1 },
      { kind: 'deadline-reminder', n: 1 },
      { kind: 'escalation-level-1', n: 2 }, // the unit's head and the lead unit's head
      { kind: 'escalation-level-2', n: 1 },
      { kind: 'escalation-level-3', n: 1 },
      { kind: 'task-assigned', n: 1 },
    ]);
    const escalations = await queryRows<{ level: number }>(
      'SELECT level FROM escalations WHERE subject_id = $1 ORDER BY level',
      [finance.id],
    );
    expect(escalations.map((row) => row.level)).toEqual([1, 2, 3]);
    expect((await request(api.baseUrl, 'GET', '/audit/verify', { token: supervisor })).body).toMatchObject({
      ok: true,
    });
  });
});
