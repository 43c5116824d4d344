import { assignmentWorkflowId } from '@county/workflows';
import { assignmentOf as of, ImportedAssignment, ImportedPlan, queryRows, useStack, waitFor } from '@county/test-kit';

/**
 * The 签收 and 审核 limits (DESIGN §4–5) on the real stack, with a policy in seconds: a unit that does not
 * sign for its work is reminded and then escalated to its head; a report nobody reviews chases the lead
 * unit's head and then the supervision office; and the unit is not blamed for the reviewer — a report
 * submitted on time and returned after the deadline makes the unit overdue from the return (README).
 */
const POLICY = {
  assignment: {
    acknowledgeWithin: 'PT4S',
    reviewWithin: 'PT4S',
    remindBefore: [],
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'PT8S', level: 2 },
      { after: 'PT600S', level: 3 },
    ],
  },
};

describe('the 签收 and 审核 limits', () => {
  let plan: ImportedPlan | undefined;
  let latePlan: ImportedPlan | undefined;
  let returnPlan: ImportedPlan | undefined;
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'approval.head', 'finance.staff', 'civil-affairs.staff'],
    histories: () => ({
      'assignment-acknowledge-limit': plan && assignmentWorkflowId(of(plan, 'finance').id),
      'assignment-review-limit': plan && assignmentWorkflowId(of(plan, 'civil-affairs').id),
      'assignment-returned-after-deadline': latePlan && assignmentWorkflowId(of(latePlan, 'civil-affairs').id),
      'assignment-lights': returnPlan && assignmentWorkflowId(of(returnPlan, 'civil-affairs').id),
    }),
  });

  const act = (who: string, assignment: ImportedAssignment, action: string, body: unknown = {}) =>
    stack.assignments.act(who, assignment.id, action, body);
  const importWithLimits = () => stack.importWithPolicy(POLICY);
  const notices = async (assignment: ImportedAssignment) =>
    (
      await queryRows<{ kind: string; unit: string; role: string | null }>(
        `SELECT kind, recipient_unit_id AS unit, recipient_role AS role FROM notifications
          WHERE subject_id = $1 ORDER BY created_at, recipient_unit_id`,
        [assignment.id],
      )
    ).map((row) => `${row.kind}→${row.unit}${row.role ? `/${row.role}` : ''}`);
  const escalations = (assignment: ImportedAssignment) =>
    queryRows<{ level: number; target: string; reason: string }>(
      'SELECT level, target_unit_id AS target, reason FROM escalations WHERE subject_id = $1 ORDER BY created_at',
      [assignment.id],
    );
  /** Each escalation's reason and how it left the queue (null: still open). */
  const handled = async (assignment: ImportedAssignment) =>
    (
      await queryRows<{ reason: string; action: string | null }>(
        'SELECT reason, action FROM escalations WHERE subject_id = $1 ORDER BY created_at',
        [assignment.id],
      )
    ).map((row) => `${row.reason}: ${row.action ?? 'open'}`);
  const row = async (assignment: ImportedAssignment) =>
    (
      await queryRows<{ status: string; light: string; escalation_level: number }>(
        'SELECT status, light, escalation_level FROM assignments WHERE id = $1',
        [assignment.id],
      )
    )[0];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('签收 late: a reminder to the unit (yellow), then level 1 to its head; a unit that signs in time hears nothing', async () => {
    plan = await importWithLimits();
    const finance = of(plan, 'finance');
    const civil = of(plan, 'civil-affairs');
    expect((await act('civil-affairs.staff', civil, 'acknowledge')).body.status).toBe('acknowledged');

    await waitFor(
      'the 签收 reminder',
      async () => (await notices(finance)).includes('acknowledge-reminder→finance'),
      20_000,
    );
    expect(await row(finance)).toMatchObject({ status: 'assigned', light: 'yellow', escalation_level: 0 });
    await waitFor('level 1 for the late 签收', async () => (await escalations(finance)).length > 0, 20_000);
    expect(await escalations(finance)).toEqual([{ level: 1, target: 'finance', reason: '逾期未签收（一级预警）' }]);
    expect((await notices(finance)).filter((kind) => kind !== 'task-assigned→finance')).toEqual([
      'acknowledge-reminder→finance',
      'escalation-level-1→finance/head',
    ]);
    // Late 签收 is yellow, not red, and not overdue on the work (the dashboard counts level ≥ 1 as overdue).
    expect(await row(finance)).toMatchObject({ status: 'assigned', light: 'yellow', escalation_level: 0 });

    // Signing for it stops the clock: nothing more.
    expect((await act('finance.staff', finance, 'acknowledge')).body.status).toBe('acknowledged');
    // Signed: no longer late, so no longer yellow (its deadline is far off).
    expect(await row(finance)).toMatchObject({ status: 'acknowledged', light: 'green', escalation_level: 0 });
    // …and its escalation has lost its cause: it leaves the supervision office's queue.
    expect(await handled(finance)).toEqual(['逾期未签收（一级预警）: resolved']);
    await sleep(2_000);
    expect(await escalations(finance)).toHaveLength(1);
    expect(
      (await notices(civil)).filter((kind) => kind.includes('acknowledge') || kind.startsWith('escalation')),
    ).toEqual([]);
  });

  it('审核 late: a reminder to the lead unit’s head, then the supervision office; the unit’s light and level stay', async () => {
    const civil = of(plan!, 'civil-affairs');
    expect((await act('civil-affairs.staff', civil, 'submit', { summary: '已完成', evidence: [] })).body.status).toBe(
      'submitted',
    );
    await waitFor(
      'the 审核 reminder',
      async () => (await notices(civil)).includes('review-reminder→approval/head'),
      20_000,
    );
    await waitFor('the supervision office', async () => (await escalations(civil)).length > 0, 20_000);
    expect(await escalations(civil)).toEqual([{ level: 2, target: 'supervision', reason: '报送待审核超时（督办）' }]);
    expect(
      (await notices(civil)).filter((kind) => kind.startsWith('review-') || kind.startsWith('escalation')),
    ).toEqual(['review-reminder→approval/head', 'escalation-level-2→supervision/supervisor']);
    expect(await row(civil)).toMatchObject({ status: 'submitted', light: 'green', escalation_level: 0 });
    const audit = await queryRows<{ action: string }>(
      `SELECT action FROM audit_events WHERE subject_id = $1 AND action IN ('assignment.reminded', 'assignment.escalated')`,
      [civil.id],
    );
    expect(audit).toHaveLength(2);

    // The review happens: its clock stops.
    expect((await act('approval.head', civil, 'approve')).body.status).toBe('approved');
    await sleep(2_000);
    expect(await escalations(civil)).toHaveLength(1);
  });

  it('a report submitted on time and returned after the deadline: not escalated while it waits, overdue from the return', async () => {
    latePlan = await importWithLimits();
    const civil = of(latePlan, 'civil-affairs');
    const finance = of(latePlan, 'finance');
    expect((await act('civil-affairs.staff', civil, 'acknowledge')).body.status).toBe('acknowledged');
    expect((await act('finance.staff', finance, 'acknowledge')).body.status).toBe('acknowledged');
    expect((await act('civil-affairs.staff', civil, 'submit', { summary: '按时报送', evidence: [] })).body.status).toBe(
      'submitted',
    );
    const changed = await stack.request('POST', `/tasks/${latePlan.tasks[0].id}/deadline`, {
      token: stack.token('supervisor'),
      body: { dueAt: new Date(Date.now() + 2_000).toISOString(), reason: '测试：临近到期' },
    });
    expect(changed.status).toBe(200);
    // The deadline passes: finance (no report) is overdue; civil-affairs' report waits and it is not escalated,
    // even past the time level 2 would have fired.
    await waitFor('finance overdue', async () => (await row(finance)).escalation_level === 1, 20_000);
    await sleep(9_000);
    expect((await escalations(civil)).filter((escalation) => !escalation.reason.startsWith('报送待审核'))).toEqual([]);
    expect(await row(civil)).toMatchObject({ status: 'submitted', escalation_level: 0 });

    const returnedAt = Date.now();
    expect((await act('approval.head', civil, 'return', { reason: '材料不全' })).body.status).toBe('returned');
    await waitFor(
      'civil-affairs overdue from the return',
      async () => (await row(civil)).escalation_level === 1,
      10_000,
    );
    // Level 2 counts from the return (8 s), not from the deadline (which lies more than 8 s back).
    // Returned (yellow) and overdue (red): red wins.
    expect(await row(civil)).toMatchObject({ status: 'returned', light: 'red' });
    const unit = async () =>
      (await escalations(civil)).filter((escalation) => !escalation.reason.startsWith('报送待审核'));
    expect(await unit()).toEqual([{ level: 1, target: 'civil-affairs', reason: '逾期未完成（一级预警）' }]);
    // The late review's escalation is resolved by the review; the unit's own overdue escalation stays open.
    expect(await handled(civil)).toEqual(['报送待审核超时（督办）: resolved', '逾期未完成（一级预警）: open']);
    await sleep(Math.max(0, returnedAt + 5_000 - Date.now()));
    expect((await unit()).map((escalation) => escalation.level)).toEqual([1]);
    await waitFor('level 2 from the return', async () => (await unit()).length === 2, 20_000);
    expect(Date.now() - returnedAt).toBeGreaterThanOrEqual(7_500);
  });

  it('a returned report is yellow until it is submitted again (DESIGN §4 lights)', async () => {
    returnPlan = await importWithLimits();
    const civil = of(returnPlan, 'civil-affairs');
    expect((await act('civil-affairs.staff', civil, 'acknowledge')).body.status).toBe('acknowledged');
    expect((await act('civil-affairs.staff', civil, 'submit', { summary: '初稿', evidence: [] })).body.status).toBe(
      'submitted',
    );
    expect(await row(civil)).toMatchObject({ status: 'submitted', light: 'green' });
    const returned = await act('approval.head', civil, 'return', { reason: '请补充佐证材料' });
    expect(returned.body).toMatchObject({ status: 'returned', light: 'yellow' });
    expect(await row(civil)).toMatchObject({ status: 'returned', light: 'yellow', escalation_level: 0 });
    const again = await act('civil-affairs.staff', civil, 'submit', { summary: '已补充', evidence: ['佐证'] });
    expect(again.body).toMatchObject({ status: 'submitted', light: 'green' });
    expect(await row(civil)).toMatchObject({ status: 'submitted', light: 'green' });
    expect((await act('approval.head', civil, 'approve')).body.status).toBe('approved');
  });
});
