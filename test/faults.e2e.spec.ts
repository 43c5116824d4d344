import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { assignmentWorkflowId } from '@county/workflows';
import { freePort } from '../scripts/src/free-port';
import { resolveTemporalCli } from '../scripts/src/temporal-cli';
import { RunningTemporal, startTemporalServer } from '../scripts/src/temporal-server';
import {
  assignmentOf,
  assignmentPolicy,
  assignmentsClient,
  FULL_LADDER_NOTIFICATIONS,
  importAndStart,
  login,
  notificationCounts,
  ONE_TASK_LIST,
  proxiedDatabase,
  queryRows,
  request,
  RunningApi,
  RunningWorker,
  startApi,
  startWorker,
  TcpProxy,
  useStack,
  waitFor,
} from '@county/test-kit';
import { runKillAfterCommitWorker } from './support/kill-after-commit-worker';

/**
 * Faults the issue names that the older fault tests (worker-crash, worker-outage, health, replay,
 * task-process) do not cover. Expected every time: nothing lost, nothing duplicated, the API answers 503
 * (never 500) while a dependency is down and recovers by itself.
 */

const FAST_POLICY = assignmentPolicy({ remind: 2, ladder: [0, 3, 6] });

const count = async (sql: string, params: unknown[]) => (await queryRows<{ n: number }>(sql, params))[0].n;
const approvals = (assignmentId: string) =>
  count(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'assignment.approve'`, [
    assignmentId,
  ]);
const approvedNotices = (assignmentId: string) =>
  count(`SELECT count(*)::int AS n FROM notifications WHERE subject_id = $1 AND kind = 'report-approved'`, [
    assignmentId,
  ]);
const ladder = async (assignmentId: string) =>
  (
    await queryRows<{ level: number }>('SELECT level FROM escalations WHERE subject_id = $1 ORDER BY level', [
      assignmentId,
    ])
  ).map((row) => row.level);

/** Logs in the users the tests need and drives an assignment through `api` (the kit's assignments client). */
async function actors(api: RunningApi) {
  const tokens: Record<string, string> = {};
  for (const username of ['supervisor', 'finance.staff', 'civil-affairs.staff', 'approval.head'])
    tokens[username] = await login(api.baseUrl, username);
  const { act, submit } = assignmentsClient({ baseUrl: api.baseUrl, login: async (username) => tokens[username] });
  return { tokens, act, submit };
}

describe('a worker killed after the database commit, before the activity completes', () => {
  const taskQueue = `kill-after-commit-${process.pid}-${Date.now()}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'county-kill-after-commit-'));
  const armFile = path.join(dir, 'armed');
  let api: RunningApi;
  let worker: RunningWorker | undefined;
  let killer: ReturnType<typeof runKillAfterCommitWorker> | undefined;

  beforeAll(async () => {
    api = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_UPDATE_TIMEOUT_MS: '4000' });
  });
  afterAll(async () => {
    if (killer && killer.child.exitCode === null && killer.child.signalCode === null) killer.child.kill('SIGKILL');
    await worker?.stop();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the retried activity finds its row written and writes nothing twice; the approval stands once', async () => {
    worker = await startWorker(taskQueue);
    const { tokens, act, submit } = await actors(api);
    const plan = await importAndStart(api, tokens.supervisor, ONE_TASK_LIST);
    const finance = assignmentOf(plan, 'finance');
    await submit('finance.staff', finance.id);
    await worker.stop();
    worker = undefined;

    writeFileSync(armFile, 'kill after the approval is committed');
    killer = runKillAfterCommitWorker({ taskQueue, armFile, match: '"assignment.approve"' });
    await waitFor('the fault worker to poll', async () => killer!.output().includes('worker polling'), 60_000, 200);

    // The update waits for its projection, whose activity never reports back: 503 after the update timeout.
    const first = await act('approval.head', finance.id, 'approve', { comment: '同意' }, { 'idempotency-key': 'k-1' });
    expect({ status: first.status, code: first.body.code }).toEqual({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    await killer.exited;
    expect(killer.child.signalCode).toBe('SIGKILL');
    expect(existsSync(`${armFile}.fired`)).toBe(true);
    expect(JSON.parse(readFileSync(`${armFile}.fired`, 'utf8'))).toEqual({ applied: true });
    // Committed before the kill: the read model already has the approval, exactly once.
    expect(await approvals(finance.id)).toBe(1);

    worker = await startWorker(taskQueue);
    let answer = first;
    await waitFor(
      'the retried approval to be answered (the activity times out after 30 s and runs again)',
      async () => {
        answer = await act('approval.head', finance.id, 'approve', { comment: '同意' }, { 'idempotency-key': 'k-1' });
        return answer.status !== 503;
      },
      90_000,
      1_000,
    );
    expect({ status: answer.status, state: answer.body.status }).toEqual({ status: 200, state: 'approved' });
    expect(await approvals(finance.id)).toBe(1);
    expect(await approvedNotices(finance.id)).toBe(1);

    // The second attempt really ran: the activity was retried, not answered from the first.
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    try {
      const history = await new Client({ connection }).workflow
        .getHandle(assignmentWorkflowId(finance.id))
        .fetchHistory();
      const attempts = (history.events ?? [])
        .map((event) => event.activityTaskStartedEventAttributes?.attempt ?? 0)
        .filter((attempt) => attempt > 1);
      expect(attempts.length).toBeGreaterThanOrEqual(1);
    } finally {
      await connection.close();
    }
    expect((await request(api.baseUrl, 'GET', '/audit/verify', { token: tokens.supervisor })).body).toMatchObject({
      ok: true,
    });
  }, 150_000);
});

describe('simultaneous approvals of one report', () => {
  const stack = useStack({ worker: true, plan: {} });

  it('exactly one of 8 concurrent approvals wins (200); the others get 409; one audit event, one notification', async () => {
    const finance = stack.assignmentOf('finance');
    await stack.assignments.submit('finance.staff', finance.id);
    await stack.login('approval.head');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        stack.assignments.act('approval.head', finance.id, 'approve', { comment: `同意 ${index}` }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    expect(answers.filter((answer) => answer.status === 409).every((answer) => answer.body.code === 'CONFLICT')).toBe(
      true,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a late duplicate write would show up here
    expect(await approvals(finance.id)).toBe(1);
    expect(await approvedNotices(finance.id)).toBe(1);
  });
});

/**
 * The database goes away for OUTAGE_MS while reminders, escalations and an approval need to write. The
 * issue says a minute; the test suite uses 20 s, long enough for several retries of every activity (1 s,
 * 2 s, 4 s, 8 s…) and for the API's pool to lose every connection. bench/ has no longer variant.
 */
const OUTAGE_MS = 20_000;

describe('PostgreSQL unreachable for a while during activities', () => {
  let proxy: TcpProxy;
  let worker: RunningWorker;
  /** The API the users reach, with its own way to the database (cut with the worker's). */
  let api: RunningApi;
  /** An API with a direct database connection, so an approval can reach the workflow during the outage. */
  let direct: RunningApi;

  beforeAll(async () => {
    const database = await proxiedDatabase();
    proxy = database.proxy;
    const taskQueue = `pg-outage-${process.pid}-${Date.now()}`;
    worker = await startWorker(taskQueue, process.env.TEMPORAL_ADDRESS, database.url);
    api = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: database.url });
    direct = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_UPDATE_TIMEOUT_MS: '3000' });
  });
  afterAll(async () => {
    proxy?.restore();
    await api?.close();
    await direct?.close();
    await worker?.stop();
    await proxy?.close();
  });

  it('the API answers 503 (not 500) and recovers by itself; every reminder, escalation and approval lands once', async () => {
    const { tokens, act, submit } = await actors(direct);
    const plan = await importAndStart(direct, tokens.supervisor, ONE_TASK_LIST, {
      policy: JSON.stringify(FAST_POLICY),
    });
    const finance = assignmentOf(plan, 'finance');
    const civil = assignmentOf(plan, 'civil-affairs');
    await submit('civil-affairs.staff', civil.id);
    const moved = await request(direct.baseUrl, 'POST', `/tasks/${plan.tasks[0].id}/deadline`, {
      token: tokens.supervisor,
      body: { dueAt: new Date(Date.now() + 4_000).toISOString(), reason: '测试：数据库中断' },
    });
    expect(moved.status).toBe(200);

    proxy.cut();
    const cutAt = Date.now();
    // Reads, logins and writes through the cut API: each a 503 problem, none a 500.
    const probes = [
      await request(api.baseUrl, 'GET', `/tasks/${plan.tasks[0].id}`, { token: tokens.supervisor }),
      await request(api.baseUrl, 'GET', '/inbox?limit=500', { token: tokens['finance.staff'] }),
      await request(api.baseUrl, 'POST', '/auth/login', { body: { username: 'supervisor', password: 'whatever' } }),
      await request(api.baseUrl, 'POST', `/assignments/${finance.id}/acknowledge`, {
        token: tokens['finance.staff'],
        body: {},
      }),
      await request(api.baseUrl, 'GET', '/health'),
    ];
    expect(probes.map((probe) => `${probe.status} ${String(probe.body?.code ?? probe.body?.status)}`)).toEqual([
      '503 DEPENDENCY_UNAVAILABLE',
      '503 DEPENDENCY_UNAVAILABLE',
      '503 DEPENDENCY_UNAVAILABLE',
      '503 DEPENDENCY_UNAVAILABLE',
      '503 unavailable',
    ]);
    // The approval reaches the workflow, but its projection cannot be written: 503 until the database is back.
    const approval = await act(
      'approval.head',
      civil.id,
      'approve',
      { comment: '同意' },
      { 'idempotency-key': 'pg-1' },
    );
    expect(approval.status).toBe(503);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
    // Nothing the ladder needed could be written during the outage (the deadline passed 16 s ago).
    expect(await ladder(finance.id)).toEqual([]);
    proxy.restore();

    await waitFor(
      'the cut API to recover by itself',
      async () =>
        (await request(api.baseUrl, 'GET', `/tasks/${plan.tasks[0].id}`, { token: tokens.supervisor })).status === 200,
      30_000,
    );
    await waitFor(
      'the escalation ladder to catch up',
      async () => (await ladder(finance.id)).length === 3,
      90_000,
      500,
    );
    let retried = approval;
    await waitFor(
      'the approval to be answered',
      async () => {
        retried = await act('approval.head', civil.id, 'approve', { comment: '同意' }, { 'idempotency-key': 'pg-1' });
        return retried.status !== 503;
      },
      60_000,
      1_000,
    );
    expect({ status: retried.status, state: retried.body.status }).toEqual({ status: 200, state: 'approved' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await ladder(finance.id)).toEqual([1, 2, 3]);
    expect(await notificationCounts(finance.id)).toEqual(FULL_LADDER_NOTIFICATIONS);
    expect(await approvals(civil.id)).toBe(1);
    expect(await approvedNotices(civil.id)).toBe(1);
    expect((await request(api.baseUrl, 'GET', '/audit/verify', { token: tokens.supervisor })).body).toMatchObject({
      ok: true,
    });
  }, 180_000);
});

describe('the Temporal server restarted, with timers due while it was down', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'county-temporal-restart-'));
  const dbFile = path.join(dir, 'temporal.db');
  let port: number;
  let server: RunningTemporal | undefined;
  let worker: RunningWorker | undefined;
  let api: RunningApi;
  const taskQueue = `temporal-restart-${process.pid}-${Date.now()}`;

  const start = async () =>
    startTemporalServer({
      cli: await resolveTemporalCli(() => undefined),
      port,
      dbFile,
      logFile: path.join(dir, 'temporal.log'),
    });

  beforeAll(async () => {
    port = await freePort();
    server = await start();
    worker = await startWorker(taskQueue, server.address);
    api = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue, TEMPORAL_ADDRESS: server.address });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every reminder and escalation due during the downtime fires exactly once after the restart', async () => {
    const { tokens } = await actors(api);
    const plan = await importAndStart(api, tokens.supervisor, ONE_TASK_LIST, { policy: JSON.stringify(FAST_POLICY) });
    const finance = assignmentOf(plan, 'finance');
    const dueAt = Date.now() + 3_000;
    const moved = await request(api.baseUrl, 'POST', `/tasks/${plan.tasks[0].id}/deadline`, {
      token: tokens.supervisor,
      body: { dueAt: new Date(dueAt).toISOString(), reason: '测试：服务重启' },
    });
    expect(moved.status).toBe(200);

    // Down before the first timer (the reminder, due 1 s from now) and until the last (level 3, due+6 s) has passed.
    await worker!.stop();
    worker = undefined;
    await server!.stop();
    server = undefined;
    const down = await request(api.baseUrl, 'GET', '/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ temporal: 'down' });
    const deadlineMove = await request(api.baseUrl, 'POST', `/tasks/${plan.tasks[0].id}/deadline`, {
      token: tokens.supervisor,
      body: { dueAt: new Date(dueAt + 60_000).toISOString(), reason: '服务中断时的请求' },
    });
    expect({ status: deadlineMove.status, code: deadlineMove.body.code }).toEqual({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
    });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt + 8_000 - Date.now())));
    expect(await ladder(finance.id)).toEqual([]);

    server = await start();
    worker = await startWorker(taskQueue, server.address);
    await waitFor(
      'the API to see Temporal again',
      async () => (await request(api.baseUrl, 'GET', '/health')).status === 200,
      30_000,
    );
    await waitFor('the overdue timers to fire', async () => (await ladder(finance.id)).length === 3, 60_000, 500);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await ladder(finance.id)).toEqual([1, 2, 3]);
    expect(await notificationCounts(finance.id)).toEqual(FULL_LADDER_NOTIFICATIONS);
  }, 180_000);
});
