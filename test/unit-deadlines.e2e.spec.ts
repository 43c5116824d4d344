import { assignmentWorkflowId } from '@county/workflows';
import { LEVEL_1_AT_DEADLINE, queryRows, useStack, waitFor } from '@county/test-kit';

const HOUR = 3_600_000;

/**
 * Per-unit deadlines (issue 13, DESIGN §4.5): a task-level change never shortens a unit's approved extension, and
 * the on-time figures measure a unit against its original deadline, moved only by an approved extension request or
 * an office decision made before that deadline passed.
 */
describe('per-unit deadlines: extensions survive task-level changes; assessment against the original deadline', () => {
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'leader', 'approval.head', 'finance.staff', 'civil-affairs.staff'],
    // Level 1 the moment a deadline passes; levels 2 and 3 well after the test.
    plan: { policy: LEVEL_1_AT_DEADLINE },
    histories: ({ assignmentOf }) => ({
      // Extension approved, then task-level changes: one earlier (kept), one later (applied).
      'assignment-extension-kept': assignmentWorkflowId(assignmentOf('civil-affairs').id),
      // Escalated past its deadline, extended by the office from the escalation, approved late.
      'assignment-assessed-late': assignmentWorkflowId(assignmentOf('finance').id),
    }),
  });

  const assignment = (unitId: string) => stack.assignmentOf(unitId);
  const dueAt = async (unitId: string) =>
    (
      await queryRows<{ due_at: Date }>('SELECT due_at FROM assignments WHERE id = $1', [assignment(unitId).id])
    )[0].due_at.getTime();
  const changeTaskDeadline = async (at: number, reason: string) => {
    const changed = await stack.request('POST', `/tasks/${stack.plan.tasks[0].id}/deadline`, {
      token: stack.token('supervisor'),
      body: { dueAt: new Date(at).toISOString(), reason },
    });
    expect(changed.status).toBe(200);
  };
  const act = async (who: string, unitId: string, action: string, body: unknown = {}) => {
    const response = await stack.request('POST', `/assignments/${assignment(unitId).id}/${action}`, {
      token: stack.token(who),
      body,
    });
    expect({ action, status: response.status }).toEqual({ action, status: 200 });
  };

  let extendedTo = 0;

  it('a task-level change never shortens an approved extension; the extension row stays true', async () => {
    const start = Date.now();
    // An office decision before the original deadline: every unit now works to start + 1 h.
    await changeTaskDeadline(start + HOUR, '测试：统一调整');
    await waitFor('the task-level deadline', async () => (await dueAt('civil-affairs')) === start + HOUR, 10_000);

    // 县民政局 asks for, and gets, three hours.
    extendedTo = start + 3 * HOUR;
    const asked = await stack.request<{ id: string }>(
      'POST',
      `/assignments/${assignment('civil-affairs').id}/extension-requests`,
      {
        token: stack.token('civil-affairs.staff'),
        body: { requestedDueAt: new Date(extendedTo).toISOString(), reason: '等待批复' },
      },
    );
    expect(asked.status).toBe(201);
    const approved = await stack.request<{ status: string }>('POST', `/extension-requests/${asked.body.id}/approve`, {
      token: stack.token('supervisor'),
      body: { comment: '同意' },
    });
    expect(approved.body.status).toBe('approved');
    await waitFor('the extension in the read model', async () => (await dueAt('civil-affairs')) === extendedTo, 10_000);

    // The task's deadline moves to two hours: 县财政局 follows it, 县民政局 keeps its three.
    await changeTaskDeadline(start + 2 * HOUR, '测试：再次调整');
    await waitFor(
      '县财政局 on the new task deadline',
      async () => (await dueAt('finance')) === start + 2 * HOUR,
      10_000,
    );
    // 县民政局's workflow has answered the third change once it has recorded it (kept, or, before issue 13, applied).
    const civilDeadlineEvents = async () =>
      (
        await queryRows<{ action: string }>(
          `SELECT action FROM audit_events WHERE subject_id = $1
              AND action IN ('assignment.deadline-changed', 'assignment.deadline-kept') ORDER BY seq`,
          [assignment('civil-affairs').id],
        )
      ).map((event) => event.action);
    await waitFor('县民政局 to take the change', async () => (await civilDeadlineEvents()).length === 3, 10_000);
    expect(await dueAt('civil-affairs')).toBe(extendedTo);
    expect((await civilDeadlineEvents())[2]).toBe('assignment.deadline-kept');
    const [row] = await queryRows<{ status: string; requested_due_at: Date }>(
      'SELECT status, requested_due_at FROM extension_requests WHERE id = $1',
      [asked.body.id],
    );
    expect({ status: row.status, requestedDueAt: row.requested_due_at.getTime() }).toEqual({
      status: 'approved',
      requestedDueAt: extendedTo,
    });
    const [notice] = await queryRows<{ title: string }>(
      `SELECT title FROM notifications WHERE subject_id = $1 AND kind = 'deadline-changed' ORDER BY created_at DESC LIMIT 1`,
      [assignment('civil-affairs').id],
    );
    expect(notice.title).toContain('本单位已获延期');

    // A task-level deadline beyond the extension applies to 县民政局 too.
    await changeTaskDeadline(start + 4 * HOUR, '测试：整体延后');
    await waitFor(
      '县民政局 on the later task deadline',
      async () => (await dueAt('civil-affairs')) === start + 4 * HOUR,
      10_000,
    );
    // And brought back before it, 县民政局 is back on its extension, never earlier.
    await changeTaskDeadline(start + HOUR, '测试：提前');
    await waitFor('县财政局 on one hour', async () => (await dueAt('finance')) === start + HOUR, 10_000);
    await waitFor('县民政局 on its extension', async () => (await dueAt('civil-affairs')) === extendedTo, 10_000);
  });

  it('assesses against the original deadline: an office 延期 after it passed does not make a late unit on time', async () => {
    // The task's deadline comes in three seconds from now (a documented office decision before 县财政局's passed).
    const missed = Date.now() + 3_000;
    await changeTaskDeadline(missed, '测试：提前完成');
    type Queue = { items: Array<{ id: string; subjectId: string; level: number }> };
    let escalation: Queue['items'][number] | undefined;
    await waitFor(
      '县财政局 escalated',
      async () => {
        const queue = await stack.request<Queue>('GET', '/escalations?open=true&limit=500', {
          token: stack.token('supervisor'),
        });
        escalation = queue.body.items.find((item) => item.subjectId === assignment('finance').id);
        return escalation !== undefined;
      },
      20_000,
      250,
    );
    // 县民政局 keeps its extension through the change, so it is not overdue.
    expect(await dueAt('civil-affairs')).toBe(extendedTo);

    // The office gives 县财政局 another hour from its escalation: its clock moves, its assessment does not.
    const extended = await stack.request('POST', `/escalations/${escalation!.id}/handle`, {
      token: stack.token('supervisor'),
      body: { action: 'extend', dueAt: new Date(Date.now() + HOUR).toISOString(), note: '逾期后延期' },
    });
    expect(extended.status).toBe(200);
    await waitFor('县财政局’s new deadline', async () => (await dueAt('finance')) > Date.now(), 10_000);
    const assessed = async (unitId: string) =>
      (
        await queryRows<{ assessed_due_at: Date }>('SELECT assessed_due_at FROM assignments WHERE id = $1', [
          assignment(unitId).id,
        ])
      )[0].assessed_due_at.getTime();
    expect(await assessed('finance')).toBe(missed);
    expect(await assessed('civil-affairs')).toBe(extendedTo);
    // The office's 延期 for 县财政局 also outlasts a shorter task-level change; the assessment stays on the missed date.
    const officeExtended = await dueAt('finance');
    await changeTaskDeadline(Date.now() + HOUR / 2, '测试：再次调整');
    await waitFor(
      '县财政局 to take the change',
      async () =>
        (
          await queryRows('SELECT 1 FROM audit_events WHERE subject_id = $1 AND action = $2', [
            assignment('finance').id,
            'assignment.deadline-kept',
          ])
        ).length === 1,
      10_000,
    );
    expect(await dueAt('finance')).toBe(officeExtended);
    expect(await assessed('finance')).toBe(missed);

    // Both report before the deadline they now work to, and are approved.
    for (const [who, unitId] of [
      ['finance.staff', 'finance'],
      ['civil-affairs.staff', 'civil-affairs'],
    ]) {
      await act(who, unitId, 'acknowledge');
      await act(who, unitId, 'submit', { summary: '已完成', evidence: [] });
      await act('approval.head', unitId, 'approve');
    }
    type Figures = {
      unitId: string;
      total: number;
      approved: number;
      approvedOnTime: number;
      onTimeRate: number | null;
    };
    const body = (
      await stack.request<{ assignments: { units: Figures[] } }>('GET', `/dashboard?planId=${stack.plan.id}`, {
        token: stack.token('leader'),
      })
    ).body;
    const units = Object.fromEntries(body.assignments.units.map((unit) => [unit.unitId, unit]));
    // 县财政局 missed the date it was measured against: late, though it reported before its 延期.
    expect(units.finance).toMatchObject({ total: 1, approved: 1, approvedOnTime: 0, onTimeRate: 0 });
    // 县民政局 reported within its approved extension: on time.
    expect(units['civil-affairs']).toMatchObject({ total: 1, approved: 1, approvedOnTime: 1, onTimeRate: 1 });
  });
});
