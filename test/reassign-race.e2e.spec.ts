import { Client, Connection } from '@temporalio/client';
import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { login, request, RunningApi, startApi } from './support/api';
import { queryRows } from './support/db';
import { recordHistories } from './support/histories';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { RunningWorker, startWorker } from './support/worker';

/** Three tasks, each led by 县审批局 with 县财政局 and 县民政局 responsible: six assignments to race on. */
const THREE_TASK_LIST = [
  ONE_TASK_LIST.trimEnd(),
  ...[2, 3].flatMap((no) => [
    '',
    `\t${no}`,
    `\t第${no}项任务`,
    '\t1.制定方案',
    '\t1.按期完成',
    '\t县审批局',
    '\t县财政局、县民政局',
    '\t2027年6月底前',
  ]),
  '',
].join('\n');

/**
 * 转办 racing an approval (issue 13): the API used to check the stored status and then ask the task workflow, which
 * checked its own list of units still awaiting approval; an approval landing in between left both the old unit
 * (approved) and the new one on the task. The assignment now decides, once: whichever the assignment workflow takes
 * first wins, and the other is refused with 409.
 */
describe('转办 racing an approval is decided once, inside the workflows', () => {
  let worker: RunningWorker;
  let api: RunningApi;
  let connection: Connection;
  let plan: ImportedPlan;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    for (const username of ['supervisor', 'approval.head', 'finance.staff', 'civil-affairs.staff'])
      tokens[username] = await login(api.baseUrl, username);
    plan = await importAndStart(api, tokens.supervisor, THREE_TASK_LIST);
  });

  afterAll(async () => {
    if (plan)
      await recordHistories(new Client({ connection }), {
        // 转办 and approvals raced on both responsible units: one decided each way (or both the same way).
        'task-reassign-raced': taskWorkflowId(plan.id, 1),
        // The first race's assignment, which answered the 转办 (the 转办 goes first in that round).
        'assignment-reassign-answered': assignmentWorkflowId(
          plan.tasks[0].assignments.find((assignment) => assignment.role === 'responsible')!.id,
        ),
      });
    await api?.close();
    await worker?.stop();
    await connection?.close();
  });

  it('never leaves both the approved unit and its successor on the task', async () => {
    const races = plan.tasks.flatMap((task) =>
      task.assignments
        .filter((assignment) => assignment.role === 'responsible')
        .map((assignment) => ({ task, assignment })),
    );
    expect(races).toHaveLength(6);
    const targets = ['health', 'housing'];
    const outcomes: string[] = [];
    for (const [index, { task, assignment }] of races.entries()) {
      const staff = tokens[`${assignment.unitId}.staff`];
      const act = (action: string, token: string, body: unknown = {}) =>
        request(api.baseUrl, 'POST', `/assignments/${assignment.id}/${action}`, { token, body });
      expect((await act('acknowledge', staff)).status).toBe(200);
      expect((await act('submit', staff, { summary: '已完成', evidence: [] })).status).toBe(200);
      // Both at once, one a little ahead of the other by a different margin each round, so the 转办 meets the
      // approval at different points of its way (before it, while the assignment is completing, after it).
      const lead = [-40, -10, 0, 10, 25, 50][index];
      const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(ms, 0)));
      const [approved, reassigned] = await Promise.all([
        after(-lead).then(() => act('approve', tokens['approval.head'])),
        after(lead).then(() =>
          act('reassign', tokens.supervisor, { toUnitId: targets[index % 2], reason: '转办测试' }),
        ),
      ]);
      const statuses = { approve: approved.status, reassign: reassigned.status };
      // Exactly one wins; the other is a 409 problem, never a 500.
      expect([statuses, [statuses.approve, statuses.reassign].sort()]).toEqual([statuses, [200, 409]]);
      expect((statuses.approve === 409 ? approved : reassigned).headers.get('content-type')).toContain(
        'application/problem+json',
      );
      outcomes.push(statuses.approve === 200 ? 'approved' : 'reassigned');

      // The read model agrees: approved with no successor, or reassigned with exactly one.
      const [old] = await queryRows<{ status: string }>('SELECT status FROM assignments WHERE id = $1', [
        assignment.id,
      ]);
      const successors = await queryRows<{ unit_id: string }>(
        'SELECT unit_id FROM assignments WHERE reassigned_from_id = $1',
        [assignment.id],
      );
      if (statuses.approve === 200) {
        expect({ status: old.status, successors }).toEqual({ status: 'approved', successors: [] });
      } else {
        expect({ status: old.status, successors: successors.length }).toEqual({ status: 'reassigned', successors: 1 });
      }
      // Never both units doing the same work: one active assignment per task for the work moved or approved.
      const active = await queryRows<{ n: number }>(
        `SELECT count(*)::int AS n FROM assignments WHERE task_id = $1 AND status <> 'reassigned'
            AND (id = $2 OR reassigned_from_id = $2)`,
        [task.id, assignment.id],
      );
      expect(active[0].n).toBe(1);
    }
    // Shown for the record: how the races fell this run.
    console.log(`转办 vs 审核通过: ${outcomes.join(', ')}`);
  });
});
