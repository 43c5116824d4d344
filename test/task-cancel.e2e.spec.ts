import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { queryRows, request, useStack } from '@county/test-kit';

describe('cancelling a task', () => {
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'approval.head', 'finance.staff'],
    plan: {},
    histories: ({ plan }) => ({ 'task-cancelled': taskWorkflowId(plan.id, 1) }),
  });

  const cancel = (who: string, body: unknown) => stack.tasks.act(who, stack.plan.tasks[0].id, 'cancel', body);
  const assignmentOf = (unitId: string) => stack.assignmentOf(unitId);

  it('only the supervision office cancels, and only with a reason', async () => {
    expect((await cancel('approval.head', { reason: '不再需要' })).status).toBe(403);
    expect((await cancel('supervisor', {})).status).toBe(400);
    const [task] = await queryRows<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [
      stack.plan.tasks[0].id,
    ]);
    expect(task.status).toBe('in-progress');
  });

  it('cancels the task and every open assignment, telling each unit why', async () => {
    const finance = assignmentOf('finance');
    expect(
      (
        await request(stack.baseUrl, 'POST', `/assignments/${finance.id}/acknowledge`, {
          token: stack.token('finance.staff'),
          body: {},
        })
      ).status,
    ).toBe(200);
    const cancelled = await cancel('supervisor', { reason: '机构改革，任务调整' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    // The task workflow ends once it has told every assignment; each assignment ends as cancelled.
    expect((await stack.temporal.workflow.getHandle(taskWorkflowId(stack.plan.id, 1)).result()).status).toBe(
      'cancelled',
    );
    for (const assignment of stack.plan.tasks[0].assignments) {
      const result = await stack.temporal.workflow.getHandle(assignmentWorkflowId(assignment.id)).result();
      expect({ unit: assignment.unitId, status: result.status }).toEqual({
        unit: assignment.unitId,
        status: 'cancelled',
      });
    }
    const rows = await queryRows<{ unit_id: string; status: string }>(
      'SELECT unit_id, status FROM assignments WHERE task_id = $1 ORDER BY unit_id',
      [stack.plan.tasks[0].id],
    );
    expect(rows).toEqual([
      { unit_id: 'approval', status: 'cancelled' },
      { unit_id: 'civil-affairs', status: 'cancelled' },
      { unit_id: 'finance', status: 'cancelled' },
    ]);
    const notices = await queryRows<{ unit: string; n: number }>(
      `SELECT recipient_unit_id AS unit, count(*)::int AS n FROM notifications
        WHERE kind = 'task-cancelled' AND subject_id = ANY($1) GROUP BY 1 ORDER BY 1`,
      [[stack.plan.tasks[0].id, ...stack.plan.tasks[0].assignments.map((assignment) => assignment.id)]],
    );
    // The lead unit hears it twice: as the task's lead (to its head) and for its own assignment.
    expect(notices).toEqual([
      { unit: 'approval', n: 2 },
      { unit: 'civil-affairs', n: 1 },
      { unit: 'finance', n: 1 },
    ]);
  });

  it('refuses anything further: cancelling again, or acting on a cancelled assignment', async () => {
    expect((await cancel('supervisor', { reason: '再次' })).status).toBe(409);
    const late = await request(stack.baseUrl, 'POST', `/assignments/${assignmentOf('finance').id}/progress`, {
      token: stack.token('finance.staff'),
      body: { note: '进展', percent: 10 },
    });
    expect(late.status).toBe(409);
  });
});
