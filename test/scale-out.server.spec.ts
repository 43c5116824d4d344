import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { temporal as temporal_proto } from '@temporalio/proto';
import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import {
  apiClients,
  ApiClients,
  assignmentPolicy,
  ImportedAssignment,
  importAndStart,
  policyField,
  queryRows,
  RunningApi,
  tokenCache,
  useStack,
  waitFor,
} from '@county/test-kit';
import { freePort } from '../scripts/src/free-port';
import { NodeProcess, runNodeScript } from './support/node-process';

const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');
const API_MAIN = path.resolve(__dirname, '../apps/api/dist/main.js');

/** Responsible units of the tasks that are worked through 签收 → 报送 → 审核通过 (their staff act, 审批局's head signs off). */
const WORK_UNITS = ['finance', 'civil-affairs', 'water'];
const WORK_UNIT_NAMES = '县财政局、县民政局、县水务局';
const WORK_TASKS = 5;
/** Responsible units of the tasks left alone while their deadline passes: reminders and the ladder fire. */
const TIMER_UNIT_NAMES = '县交通局、县住建局';
const TIMER_TASKS = 2;
/** One reminder 5 s before the deadline, levels 1–3 at 0, 3 and 6 s after it: all still ahead when the worker dies. */
const FAST_POLICY = assignmentPolicy({ remind: 5, ladder: [0, 3, 6] });
const DEADLINE_IN_MS = 12_000;

/** A list of WORK_TASKS + TIMER_TASKS tasks, all led by 县审批局, due far away until a test moves a deadline. */
function scaleOutList(): string {
  const row = (no: number, responsible: string) =>
    [
      '',
      `\t${no}`,
      `\t规模测试任务${no}`,
      '\t1.按要求推进',
      '\t1.按期完成',
      '\t县审批局',
      `\t${responsible}`,
      '\t2027年6月底前',
    ].join('\n');
  const header = ['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'].map((c) => `\t${c}`);
  const rows: string[] = [];
  for (let no = 1; no <= WORK_TASKS + TIMER_TASKS; no += 1)
    rows.push(row(no, no <= WORK_TASKS ? WORK_UNIT_NAMES : TIMER_UNIT_NAMES));
  return ['规模测试任务清单', ...header, ...rows, ''].join('\n');
}

/**
 * Issue 19's scale-out: two worker processes on one task queue and two API processes, on one real Temporal server
 * (TEMPORAL_MODE=server) and one database. A plan is worked through both APIs while reminders and escalations are
 * due; one worker is killed with SIGKILL mid-way and the other carries on. Every approval and every reminder must
 * happen exactly once, and Temporal's own histories must show that both workers did work.
 */
describe('scale-out: two workers and two APIs on one Temporal server and database', () => {
  const taskQueue = `scale-out-${process.pid}-${Date.now()}`;
  // Only the Temporal client (histories) and the run's database: the workers and the APIs are child processes.
  const stack = useStack({ api: false });
  const children: NodeProcess[] = [];
  // One signing key for both APIs, as a load balancer in front of them needs: a token from one works on the other.
  const jwtSecret = randomBytes(32).toString('hex');

  const spawn = (script: string, env: NodeJS.ProcessEnv) => {
    const child = runNodeScript(script, { TEMPORAL_TASK_QUEUE: taskQueue, ...env });
    children.push(child);
    return child;
  };
  const startApiProcess = async (): Promise<{ process: NodeProcess; api: RunningApi }> => {
    const port = await freePort();
    const child = spawn(API_MAIN, { PORT: String(port), JWT_SECRET: jwtSecret });
    await waitFor(
      `the API on port ${port} to listen`,
      async () => {
        if (child.child.exitCode !== null) throw new Error(`the API exited:\n${child.output()}`);
        return child.output().includes('listening on');
      },
      60_000,
      200,
    );
    const origin = `http://127.0.0.1:${port}`;
    // The child is stopped in afterAll; close() is not used.
    return { process: child, api: { origin, baseUrl: `${origin}/api/v1`, close: async () => undefined } };
  };

  afterAll(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
  });

  it('approves and reminds exactly once with a worker killed mid-flight, and both workers take work', async () => {
    const started = Date.now();
    // When each phase ended (ms since the test began), printed at the end: where a slow run spent its time.
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${Date.now() - started}`);
    const workers = [spawn(WORKER_MAIN, {}), spawn(WORKER_MAIN, {})];
    const [one, two] = await Promise.all([startApiProcess(), startApiProcess()]);
    for (const worker of workers)
      await waitFor(
        'both workers to poll',
        async () => {
          if (worker.child.exitCode !== null) throw new Error(`a worker exited:\n${worker.output()}`);
          return worker.output().includes('worker polling');
        },
        60_000,
        200,
      );
    phase('processes up');
    // The SDK's default identity (the worker sets none without TEMPORAL_WORKER_IDENTITY): what histories record.
    const identities = workers.map((worker) => `${worker.child.pid}@${os.hostname()}`);

    // Users log in on either API; each token is then used on both.
    const loginOne = tokenCache(() => one.api.baseUrl);
    const loginTwo = tokenCache(() => two.api.baseUrl);
    const login = (username: string) => (username.length % 2 ? loginOne : loginTwo)(username);
    const apis: ApiClients[] = [apiClients(one.api, login), apiClients(two.api, login)];
    const served = [0, 0];

    const plan = await importAndStart(one.api, await login('supervisor'), scaleOutList(), policyField(FAST_POLICY), {
      startTimeoutMs: 30_000,
    });
    const imported = Date.now();
    phase('imported');
    const workTasks = plan.tasks.filter((task) => task.no <= WORK_TASKS);
    const timerTasks = plan.tasks.filter((task) => task.no > WORK_TASKS);
    const work = workTasks.flatMap((task) => task.assignments.filter((a) => WORK_UNITS.includes(a.unitId)));
    const timed = timerTasks.flatMap((task) => task.assignments);
    expect(work).toHaveLength(WORK_TASKS * WORK_UNITS.length);
    expect(timed).toHaveLength(TIMER_TASKS * 3); // the lead unit and two responsible units each

    // The timer tasks' deadline moves into the next seconds (through API #2): the reminder, then levels 1–3.
    const dueAt = new Date(Date.now() + DEADLINE_IN_MS);
    for (const task of timerTasks) {
      const changed = await apis[1].tasks.changeDeadline(task.id, dueAt, '测试：扩容');
      expect(changed.status).toBe(200);
    }

    /**
     * One action, retried until it is answered: 503 while a workflow waits for the killed worker's tasks to time out
     * (or for its process to start), 409 while another attempt with the same key is still running. Each attempt goes
     * to the other API than the last, and the Idempotency-Key makes every attempt the same single update.
     */
    const act = async (who: string, assignment: ImportedAssignment, action: string, body: object, first: number) => {
      const key = randomUUID();
      const deadline = Date.now() + 60_000;
      for (let attempt = first; ; attempt += 1) {
        const answer = await apis[attempt % 2].assignments.act(who, assignment.id, action, body, {
          'idempotency-key': key,
        });
        if (answer.status === 200) {
          served[attempt % 2] += 1;
          return;
        }
        if ((answer.status !== 503 && answer.status !== 409) || Date.now() > deadline)
          throw new Error(`${action} of ${assignment.id}: ${answer.status} ${JSON.stringify(answer.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    const workThrough = async (assignment: ImportedAssignment, index: number) => {
      const staff = `${assignment.unitId}.staff`;
      await act(staff, assignment, 'acknowledge', {}, index);
      await act(staff, assignment, 'submit', { summary: '已完成', evidence: [] }, index + 1);
      await act('approval.head', assignment, 'approve', { comment: '同意' }, index + 2);
    };
    // Three at a time, so the work is still going on when the worker dies.
    const queue = work.map((assignment, index) => ({ assignment, index }));
    const driving = Promise.all(
      [0, 1, 2].map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await workThrough(next.assignment, next.index);
      }),
    );
    driving.catch(() => undefined); // awaited below; a failure must not surface as unhandled meanwhile

    const approvedCount = async () =>
      (
        await queryRows<{ n: number }>(
          `SELECT count(*)::int AS n FROM assignments WHERE id = ANY($1) AND status = $2`,
          [work.map((a) => a.id), 'approved'],
        )
      )[0].n;
    const topLevelCount = async () =>
      (
        await queryRows<{ n: number }>(
          `SELECT count(*)::int AS n FROM assignments WHERE id = ANY($1) AND escalation_level = 3`,
          [timed.map((a) => a.id)],
        )
      )[0].n;
    await waitFor('a third of the approvals', async () => (await approvedCount()) >= work.length / 3, 30_000, 50);

    // kill -9 of worker #1 with approvals and timers under way: nothing it held may be lost or done twice.
    const killedAfterMs = Date.now() - imported;
    workers[0].child.kill('SIGKILL');
    expect(await workers[0].exited).toBeNull(); // killed by the signal, not a clean exit
    const approvedAtKill = await approvedCount();
    const topLevelAtKill = await topLevelCount();
    expect(approvedAtKill).toBeLessThan(work.length);
    expect(topLevelAtKill).toBeLessThan(timed.length);

    phase('killed');
    await driving;
    phase('approved');
    await waitFor(
      'every timer assignment at level 3',
      async () => (await topLevelCount()) === timed.length,
      60_000,
      200,
    );
    phase('level 3');
    // Anything fired twice would land within moments of the first: give a duplicate the chance to show.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Every approval once: the read model says approved, and the audit trail has one of each step.
    const steps = await queryRows<{ subject_id: string; action: string; n: number }>(
      `SELECT subject_id, action, count(*)::int AS n FROM audit_events WHERE subject_id = ANY($1)
        AND action IN ('assignment.acknowledge', 'assignment.submit', 'assignment.approve') GROUP BY 1, 2`,
      [work.map((a) => a.id)],
    );
    for (const assignment of work)
      expect({
        id: assignment.id,
        steps: steps
          .filter((row) => row.subject_id === assignment.id)
          .map((row) => `${row.action} ×${row.n}`)
          .sort(),
      }).toEqual({
        id: assignment.id,
        steps: ['assignment.acknowledge ×1', 'assignment.approve ×1', 'assignment.submit ×1'],
      });
    expect(await approvedCount()).toBe(work.length);
    const approvedNotices = await queryRows<{ subject_id: string; n: number }>(
      `SELECT subject_id, count(*)::int AS n FROM notifications WHERE subject_id = ANY($1) AND kind = 'report-approved' GROUP BY 1`,
      [work.map((a) => a.id)],
    );
    expect(approvedNotices.map((row) => row.n)).toEqual(work.map(() => 1));

    // Every reminder once, and each level of the ladder once, for every assignment of the timer tasks.
    const timers = await queryRows<{ subject_id: string; kind: string; n: number }>(
      `SELECT subject_id, kind, count(*)::int AS n FROM notifications WHERE subject_id = ANY($1)
        AND kind = 'deadline-reminder' GROUP BY 1, 2`,
      [timed.map((a) => a.id)],
    );
    const timerAudit = await queryRows<{ subject_id: string; action: string; n: number }>(
      `SELECT subject_id, action, count(*)::int AS n FROM audit_events WHERE subject_id = ANY($1)
        AND action IN ('assignment.reminded', 'assignment.escalated') GROUP BY 1, 2`,
      [timed.map((a) => a.id)],
    );
    const levels = await queryRows<{ subject_id: string; levels: number[] }>(
      `SELECT subject_id, array_agg(level ORDER BY level) AS levels FROM escalations WHERE subject_id = ANY($1) GROUP BY 1`,
      [timed.map((a) => a.id)],
    );
    for (const assignment of timed) {
      const of = <T extends { subject_id: string }>(rows: T[]) =>
        rows.filter((row) => row.subject_id === assignment.id);
      expect({ id: assignment.id, reminders: of(timers).map((row) => row.n) }).toEqual({
        id: assignment.id,
        reminders: [1],
      });
      expect({
        id: assignment.id,
        audit: of(timerAudit)
          .map((row) => `${row.action} ×${row.n}`)
          .sort(),
        levels: of(levels).map((row) => row.levels),
      }).toEqual({
        id: assignment.id,
        audit: ['assignment.escalated ×3', 'assignment.reminded ×1'],
        levels: [[1, 2, 3]],
      });
    }
    expect((await apis[1].as('supervisor', 'GET', '/audit/verify')).body).toMatchObject({ ok: true });
    // Both APIs answered actions (each action's first attempt alternates between them).
    expect(served.every((n) => n > 0)).toBe(true);

    // Both workers took work, as Temporal recorded it: the identity of the worker that completed each workflow
    // task and started each activity, over every workflow of the plan.
    const { EventType } = temporal_proto.api.enums.v1;
    const byWorker = new Map<string, number>();
    let takenOver = 0;
    const workflowIds = [
      ...plan.tasks.map((task) => taskWorkflowId(plan.id, task.no)),
      ...plan.tasks.flatMap((task) => task.assignments.map((a) => assignmentWorkflowId(a.id))),
    ];
    for (const workflowId of workflowIds) {
      const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
      const seen = new Set<string>();
      for (const event of history.events ?? []) {
        const identity =
          event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
            ? event.workflowTaskCompletedEventAttributes?.identity
            : event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
              ? event.activityTaskStartedEventAttributes?.identity
              : undefined;
        if (!identity) continue;
        seen.add(identity);
        byWorker.set(identity, (byWorker.get(identity) ?? 0) + 1);
      }
      if (identities.every((identity) => seen.has(identity))) takenOver += 1;
    }
    phase('histories read');
    console.log(
      `scale-out: ${work.length} assignments approved (${approvedAtKill} before the kill, ${killedAfterMs} ms after ` +
        `the import), ${timed.length} reminded and escalated; answers per API ${served.join(' / ')}; events per ` +
        `worker ${JSON.stringify(Object.fromEntries(byWorker))}; ${takenOver} workflows worked by both; ` +
        `phases (ms) ${phases.join(', ')}`,
    );
    expect([...byWorker.keys()].sort()).toEqual([...identities].sort());
    // The survivor finished workflows the killed worker had started: the hand-over itself happened.
    expect(takenOver).toBeGreaterThan(0);
  }, 120_000);
});
