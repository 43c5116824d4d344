import { LEVEL_1_AT_DEADLINE, queryRows, request, twoTaskList, useStack, waitFor } from '@county/test-kit';

/** Two tasks led by 县审批局: task 1 with 县财政局 and 县民政局, task 2 with 县财政局 alone. */
const TWO_TASK_LIST = twoTaskList();
/** Level 1 the moment a deadline passes; levels 2 and 3 well after the test. */
const POLICY = LEVEL_1_AT_DEADLINE;

interface UnitFigures {
  rank: number;
  unitId: string;
  total: number;
  approved: number;
  approvedOnTime: number;
  onTimeRate: number | null;
  overdue: number;
}
interface DashboardBody {
  tasks: { byStatus: Record<string, number>; total: number };
  assignments: { total: number; units: UnitFigures[] };
}

describe('dashboard: each unit measured on its assignments (on time, overdue), per plan', () => {
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'leader', 'approval.head', 'finance.staff', 'civil-affairs.staff'],
    plan: { text: TWO_TASK_LIST, policy: POLICY },
  });

  const assignment = (no: number, unitId: string) => stack.assignmentOf(unitId, no);
  const act = async (who: string, no: number, unitId: string, action: string, body: unknown = {}) => {
    const response = await request<{ status: string }>(
      stack.baseUrl,
      'POST',
      `/assignments/${assignment(no, unitId).id}/${action}`,
      { token: stack.token(who), body },
    );
    expect({ action, status: response.status }).toEqual({ action, status: 200 });
  };
  const finish = async (who: string, no: number, unitId: string) => {
    await act(who, no, unitId, 'acknowledge');
    await act(who, no, unitId, 'submit', { summary: '已完成', evidence: [] });
    await act('approval.head', no, unitId, 'approve');
  };
  const dashboard = async () =>
    (
      await request<DashboardBody>(stack.baseUrl, 'GET', `/dashboard?planId=${stack.plan.id}`, {
        token: stack.token('leader'),
      })
    ).body;
  const figures = async () =>
    Object.fromEntries((await dashboard()).assignments.units.map((unit) => [unit.unitId, unit]));

  it('counts only the plan asked for, and refuses a malformed plan id', async () => {
    const body = await dashboard();
    expect(body.tasks).toMatchObject({ total: 2, byStatus: { 'in-progress': 2 } });
    expect(body.assignments.total).toBe(5);
    const bad = await request(stack.baseUrl, 'GET', '/dashboard?planId=nope', { token: stack.token('leader') });
    expect(bad.status).toBe(400);
  });

  it('an approval before the deadline is on time; a unit past its deadline is overdue until approved, then late', async () => {
    // 县财政局 finishes task 1 well before its deadline.
    await finish('finance.staff', 1, 'finance');
    // Then task 1's deadline is brought forward to a moment from now: the others are overdue once it passes.
    const changed = await request(stack.baseUrl, 'POST', `/tasks/${stack.plan.tasks[0].id}/deadline`, {
      token: stack.token('supervisor'),
      body: { dueAt: new Date(Date.now() + 2_000).toISOString(), reason: '提前完成' },
    });
    expect(changed.status).toBe(200);
    const level = async (unitId: string) =>
      (
        await queryRows<{ escalation_level: number }>('SELECT escalation_level FROM assignments WHERE id = $1', [
          assignment(1, unitId).id,
        ])
      )[0].escalation_level;
    await waitFor('the overdue units at level 1', async () => (await level('civil-affairs')) === 1, 20_000);
    await waitFor('the lead unit at level 1', async () => (await level('approval')) === 1, 20_000);
    let units = await figures();
    expect(units['civil-affairs']).toMatchObject({ total: 1, approved: 0, overdue: 1, onTimeRate: null });

    // 县民政局 reports late; its approval counts, but not as on time.
    await finish('civil-affairs.staff', 1, 'civil-affairs');
    units = await figures();
    // Worked out by hand: 县财政局 1 of 1 approved on time (task 2 still open, not overdue); 县民政局 0 of 1;
    // 县审批局's own lead assignments: nothing to approve, task 1's past its deadline.
    expect(units.finance).toMatchObject({ total: 2, approved: 1, approvedOnTime: 1, onTimeRate: 1, overdue: 0 });
    expect(units['civil-affairs']).toMatchObject({
      total: 1,
      approved: 1,
      approvedOnTime: 0,
      onTimeRate: 0,
      overdue: 0,
    });
    expect(units.approval).toMatchObject({ total: 2, approved: 0, onTimeRate: null, overdue: 1 });
    expect((await dashboard()).assignments.units.map((unit) => unit.unitId)).toEqual([
      'finance',
      'civil-affairs',
      'approval',
    ]);
    await waitFor(
      'task 1 to await consolidation',
      async () => (await dashboard()).tasks.byStatus['awaiting-consolidation'] === 1,
      20_000,
    );
  });

  it('the counts the board sums are the counts of the rows, kept by every write in its own transaction', async () => {
    // The rule stated again, from the rows and the audit log (not the migration's SQL): after the approvals, the
    // deadline change and the escalations above, nothing may have drifted.
    const kept = await queryRows(
      `SELECT plan_id, unit_id, status, light, escalated, on_time, n FROM assignment_counts WHERE n <> 0
        ORDER BY 1, 2, 3, 4, 5, 6`,
    );
    const counted = await queryRows(
      `SELECT t.plan_id, a.unit_id, a.status, a.light, a.escalation_level >= 1 AS escalated,
              COALESCE(a.status = 'approved' AND (SELECT max(e.at) FROM audit_events e
                 WHERE e.subject_type = 'assignment' AND e.subject_id = a.id::text AND e.action = 'assignment.submit')
                 <= COALESCE(a.assessed_due_at, 'infinity'), false) AS on_time,
              count(*)::int AS n
         FROM assignments a JOIN tasks t ON t.id = a.task_id GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
    );
    expect(counted.length).toBeGreaterThan(0);
    expect(kept).toEqual(counted);
  });
});
