import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { ONE_TASK_LIST_USERS, queryRows, request, useStack, waitFor } from '@county/test-kit';

interface TaskDetail {
  status: string;
  assignments: Array<{ id: string; unitId: string; role: string; status: string; reassignedFromId: string | null }>;
  timeline: Array<{ action: string; payload: Record<string, unknown> }>;
}

/** 加签 and 转办 on a running task: DESIGN §4 "supervisor operations at any time". */
describe('adding a unit (加签) and reassigning work (转办)', () => {
  const stack = useStack({
    worker: true,
    users: [...ONE_TASK_LIST_USERS, 'water.staff', 'health.staff'],
    plan: {},
    histories: ({ plan, assignmentOf }) => ({
      'task-unit-added-and-reassigned': taskWorkflowId(plan.id, 1),
      'assignment-reassigned': assignmentWorkflowId(assignmentOf('civil-affairs').id),
    }),
  });
  let taskId: string;
  let addedId: string;
  let successorId: string;

  const post = <T = { code?: string }>(who: string, path: string, body: unknown) =>
    request<T>(stack.baseUrl, 'POST', path, { token: stack.token(who), body });
  const task = async () =>
    (await request<TaskDetail>(stack.baseUrl, 'GET', `/tasks/${taskId}`, { token: stack.token('supervisor') })).body;
  const assignmentStatus = async (id: string) =>
    (await task()).assignments.find((assignment) => assignment.id === id)?.status;
  const originalOf = (unitId: string) => stack.assignmentOf(unitId);
  beforeAll(() => {
    taskId = stack.plan.tasks[0].id;
  });

  it('only a head of a lead unit or the supervision office may add a unit', async () => {
    const byStaff = await post('approval.staff', `/tasks/${taskId}/units`, {
      unitId: 'water',
      reason: '需要水务局参与',
    });
    expect(byStaff.status).toBe(403);
    const byResponsible = await post('finance.staff', `/tasks/${taskId}/units`, { unitId: 'water', reason: 'x' });
    expect(byResponsible.status).toBe(403);
    expect((await task()).assignments).toHaveLength(3);
  });

  it('refuses units that cannot join: unknown, supervising, or already taking part', async () => {
    for (const [unitId, status] of [
      ['no-such-unit', 400],
      ['leadership', 400],
      ['finance', 409],
      ['approval', 409],
    ] as const) {
      const response = await post('approval.head', `/tasks/${taskId}/units`, { unitId, reason: '加签' });
      expect({ unitId, status: response.status }).toEqual({ unitId, status });
    }
    expect((await task()).assignments).toHaveLength(3);
  });

  it('adds a responsible unit whose own assignment workflow starts, with the task’s deadline', async () => {
    const added = await post<{ assignmentId: string; unitId: string }>('approval.head', `/tasks/${taskId}/units`, {
      unitId: 'water',
      reason: '涉及农村供水，增加县水务局',
    });
    expect(added.status).toBe(200);
    expect(added.body.unitId).toBe('water');
    addedId = added.body.assignmentId;
    await stack.temporal.workflow.getHandle(assignmentWorkflowId(addedId)).describe();
    const detail = await task();
    expect(detail.assignments.find((assignment) => assignment.id === addedId)).toMatchObject({
      unitId: 'water',
      role: 'responsible',
      status: 'assigned',
    });
    expect(detail.timeline.find((event) => event.action === 'task.unit-added')?.payload).toMatchObject({
      unitId: 'water',
      assignmentId: addedId,
      reason: '涉及农村供水，增加县水务局',
    });
    const [{ due_at }] = await queryRows<{ due_at: Date }>('SELECT due_at FROM assignments WHERE id = $1', [addedId]);
    expect(due_at.toISOString()).toBe('2027-06-30T15:59:59.000Z');
    // The added unit's staff find it in their inbox and can act on it.
    const inbox = await request<{ items: Array<{ assignmentId: string }> }>(stack.baseUrl, 'GET', '/inbox?limit=500', {
      token: stack.token('water.staff'),
    });
    expect(inbox.body.items.map((item) => item.assignmentId)).toContain(addedId);
    expect((await post('water.staff', `/assignments/${addedId}/acknowledge`, {})).status).toBe(200);
    // Adding the same unit again is a conflict, now that it takes part.
    expect((await post('supervisor', `/tasks/${taskId}/units`, { unitId: 'water', reason: '重复' })).status).toBe(409);
  });

  it('only the supervision office reassigns, and only a responsible unit’s open work', async () => {
    const civil = originalOf('civil-affairs');
    const body = { toUnitId: 'health', reason: '职能调整' };
    expect((await post('approval.head', `/assignments/${civil.id}/reassign`, body)).status).toBe(403);
    expect((await post('civil-affairs.staff', `/assignments/${civil.id}/reassign`, body)).status).toBe(403);
    const lead = originalOf('approval');
    expect((await post('supervisor', `/assignments/${lead.id}/reassign`, body)).status).toBe(409);
    expect(
      (await post('supervisor', `/assignments/${civil.id}/reassign`, { ...body, toUnitId: 'finance' })).status,
    ).toBe(409);
    expect(await assignmentStatus(civil.id)).toBe('assigned');
  });

  it('reassigns: the old unit’s record stays as reassigned, the new unit gets the work', async () => {
    const civil = originalOf('civil-affairs');
    const moved = await post<{ assignmentId: string; unitId: string; reassignedFromId: string }>(
      'supervisor',
      `/assignments/${civil.id}/reassign`,
      { toUnitId: 'health', reason: '该事项属卫健局职责，转办' },
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ unitId: 'health', reassignedFromId: civil.id });
    successorId = moved.body.assignmentId;
    await waitFor(
      'the old assignment to be marked reassigned',
      async () => (await assignmentStatus(civil.id)) === 'reassigned',
      15_000,
    );
    const detail = await task();
    expect(detail.assignments.find((assignment) => assignment.id === successorId)).toMatchObject({
      unitId: 'health',
      status: 'assigned',
      reassignedFromId: civil.id,
    });
    expect(detail.timeline.find((event) => event.action === 'task.reassigned')?.payload).toMatchObject({
      before: 'civil-affairs',
      after: 'health',
      assignmentId: civil.id,
      newAssignmentId: successorId,
    });
    // The old unit can no longer act; its workflow has ended with the work handed over.
    const late = await post('civil-affairs.staff', `/assignments/${civil.id}/acknowledge`, {});
    expect(late.status).toBe(409);
    expect((await stack.temporal.workflow.getHandle(assignmentWorkflowId(civil.id)).result()).status).toBe(
      'reassigned',
    );
    const notices = await queryRows<{ kind: string }>(
      `SELECT kind FROM notifications WHERE subject_id = $1 AND recipient_unit_id = 'civil-affairs' ORDER BY kind`,
      [civil.id],
    );
    expect(notices.map((row) => row.kind)).toEqual(['assignment-reassigned', 'task-assigned']);
    // Reassigning it again is refused: the work has already moved.
    expect(
      (await post('supervisor', `/assignments/${civil.id}/reassign`, { toUnitId: 'water', reason: '再次' })).status,
    ).toBe(409);
  });

  it('the task waits for the added and the reassigned units before it can be consolidated', async () => {
    const finish = async (who: string, id: string) => {
      if ((await assignmentStatus(id)) === 'assigned') await post(who, `/assignments/${id}/acknowledge`, {});
      expect((await post(who, `/assignments/${id}/submit`, { summary: '已完成', evidence: [] })).status).toBe(200);
      expect((await post('approval.head', `/assignments/${id}/approve`, {})).status).toBe(200);
    };
    await finish('finance.staff', originalOf('finance').id);
    await finish('health.staff', successorId);
    // Still waiting for 县水务局, which was added.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await task()).status).toBe('in-progress');
    await finish('water.staff', addedId);
    await waitFor(
      'the task to await consolidation',
      async () => (await task()).status === 'awaiting-consolidation',
      20_000,
    );
    // A unit can only join a task still in progress.
    expect((await post('supervisor', `/tasks/${taskId}/units`, { unitId: 'transport', reason: '晚了' })).status).toBe(
      409,
    );
  });
});
