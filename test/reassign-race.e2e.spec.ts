import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { ONE_TASK_LIST, queryRows, useStack } from '@county/test-kit';

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
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'approval.head', 'finance.staff', 'civil-affairs.staff'],
    plan: { text: THREE_TASK_LIST },
    histories: ({ plan }) => ({
      // 转办 and approvals raced on both responsible units: one decided each way (or both the same way).
      'task-reassign-raced': taskWorkflowId(plan.id, 1),
      // The first race's assignment, which answered the 转办 (the 转办 goes first in that round).
      'assignment-reassign-answered': assignmentWorkflowId(
        plan.tasks[0].assignments.find((assignment) => assignment.role === 'responsible')!.id,
      ),
    }),
  });

  it('never leaves both the approved unit and its successor on the task', async () => {
    const races = stack.plan.tasks.flatMap((task) =>
      task.assignments
        .filter((assignment) => assignment.role === 'responsible')
        .map((assignment) => ({ task, assignment })),
    );
    expect(races).toHaveLength(6);
    const targets = ['health', 'housing'];
    const outcomes: string[] = [];
    for (const [index, { task, assignment }] of races.entries()) {
      const staff = `${assignment.unitId}.staff`;
      const act = (action: string, who: string, body: unknown = {}) =>
        stack.assignments.act(who, assignment.id, action, body);
      expect((await act('acknowledge', staff)).status).toBe(200);
      expect((await act('submit', staff, { summary: '已完成', evidence: [] })).status).toBe(200);
      // Both at once, one a little ahead of the other by a different margin each round, so the 转办 meets the
      // approval at different points of its way (before it, while the assignment is completing, after it).
      const lead = [-40, -10, 0, 10, 25, 50][index];
      const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(ms, 0)));
      const [approved, reassigned] = await Promise.all([
        after(-lead).then(() => act('approve', 'approval.head')),
        after(lead).then(() => act('reassign', 'supervisor', { toUnitId: targets[index % 2], reason: '转办测试' })),
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
