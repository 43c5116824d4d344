import { assignmentWorkflowId } from '@county/workflows';
import { assignmentPolicy, ONGOING_LIST, queryRows, request, useStack, waitFor } from '@county/test-kit';

const CYCLE_MS = 12_000;
/** A report every 12 s; remind 3 s before it is due; escalate at 0, 2 and 4 s after. */
const FAST_POLICY = assignmentPolicy({ cycle: 12, remind: 3, ladder: [0, 2, 4] });

interface AssignmentRow {
  due_at: Date | null;
  escalation_level: number;
  light: string;
}

describe('an ongoing task (长期坚持): a progress report due every reporting cycle', () => {
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'finance.staff'],
    plan: { text: ONGOING_LIST, policy: FAST_POLICY },
    histories: ({ assignmentOf }) => ({
      'assignment-ongoing-reports': assignmentWorkflowId(assignmentOf('finance').id),
    }),
  });

  const assignmentOf = (unitId: string) => stack.assignmentOf(unitId);
  const row = async (unitId: string) =>
    (
      await queryRows<AssignmentRow>('SELECT due_at, escalation_level, light FROM assignments WHERE id = $1', [
        assignmentOf(unitId).id,
      ])
    )[0];
  const escalationLevels = async (unitId: string) =>
    (
      await queryRows<{ level: number; reason: string }>(
        'SELECT level, reason FROM escalations WHERE subject_id = $1 ORDER BY created_at, level',
        [assignmentOf(unitId).id],
      )
    ).map((escalation) => `${escalation.level}:${escalation.reason}`);
  const report = (note: string) =>
    request<{ status: string; dueAt: string; escalationLevel: number; light: string }>(
      stack.baseUrl,
      'POST',
      `/assignments/${assignmentOf('finance').id}/progress`,
      { token: stack.token('finance.staff'), body: { note, percent: 10 } },
    );

  it('has no task deadline, but each assignment has its first report due one cycle after it started', async () => {
    const [task] = await queryRows<{ due_at: Date | null; deadline_kind: string }>(
      'SELECT due_at, deadline_kind FROM tasks WHERE id = $1',
      [stack.plan.tasks[0].id],
    );
    expect(task).toEqual({ due_at: null, deadline_kind: 'ongoing' });
    const { due_at } = await row('finance');
    expect(due_at).not.toBeNull();
    const [started] = await queryRows<{ at: Date }>(
      `SELECT at FROM audit_events WHERE subject_id = $1 AND action = 'assignment.assigned'`,
      [assignmentOf('finance').id],
    );
    // The first report is due a cycle after the workflow started (it writes "assigned" right after).
    const lead = due_at!.getTime() - started.at.getTime();
    expect(lead).toBeGreaterThan(CYCLE_MS - 3_000);
    expect(lead).toBeLessThanOrEqual(CYCLE_MS);
  });

  it('a report within the cycle moves the report due one cycle on; a second one in the same cycle does not', async () => {
    const firstDue = (await row('finance')).due_at!.getTime();
    expect(
      (
        await request(stack.baseUrl, 'POST', `/assignments/${assignmentOf('finance').id}/acknowledge`, {
          token: stack.token('finance.staff'),
          body: {},
        })
      ).status,
    ).toBe(200);
    const reported = await report('本月进展：已完成方案');
    expect(reported.status).toBe(200);
    expect(Date.parse(reported.body.dueAt)).toBe(firstDue + CYCLE_MS);
    expect((await row('finance')).due_at!.getTime()).toBe(firstDue + CYCLE_MS);
    const again = await report('补充说明');
    expect(Date.parse(again.body.dueAt)).toBe(firstDue + CYCLE_MS);
  });

  it('a missed report is reminded, then escalated to levels 1, 2 and 3, each exactly once', async () => {
    await waitFor('level 3 for the missed report', async () => (await row('finance')).escalation_level === 3, 40_000);
    expect(await escalationLevels('finance')).toEqual([
      '1:逾期未报送进展（一级预警）',
      '2:逾期未报送进展（督办）',
      '3:逾期未报送进展（挂牌督办）',
    ]);
    expect((await row('finance')).light).toBe('red');
    const reminders = await queryRows<{ title: string }>(
      `SELECT title FROM notifications WHERE subject_id = $1 AND kind = 'deadline-reminder'`,
      [assignmentOf('finance').id],
    );
    expect(reminders.length).toBeGreaterThanOrEqual(1);
    expect(reminders[0].title).toContain('本期工作进展报送');
    // A unit that never reports climbs the same ladder once, and stays there until it reports.
    await waitFor('civil affairs at level 3', async () => (await row('civil-affairs')).escalation_level === 3, 20_000);
    await new Promise((resolve) => setTimeout(resolve, CYCLE_MS));
    expect((await escalationLevels('civil-affairs')).map((level) => level[0])).toEqual(['1', '2', '3']);
  });

  it('a late report answers the missed cycle: the clock re-arms, green again, next report due', async () => {
    const missedDue = (await row('finance')).due_at!.getTime();
    const reported = await report('补报进展');
    expect(reported.status).toBe(200);
    expect(reported.body).toMatchObject({ escalationLevel: 0, light: 'green' });
    const nextDue = Date.parse(reported.body.dueAt);
    expect(nextDue).toBeGreaterThan(Date.now() - 1_000);
    expect((nextDue - missedDue) % CYCLE_MS).toBe(0);
    expect(await row('finance')).toMatchObject({ escalation_level: 0, light: 'green' });
  });
});
