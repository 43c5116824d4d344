import { assignmentWorkflowId } from '@county/workflows';
import {
  assignmentOf,
  assignmentPolicy,
  ImportedPlan,
  ONE_TASK_LIST,
  policyField,
  queryRows,
  request,
  useStack,
  waitFor,
} from '@county/test-kit';

/** Seconds instead of days: remind 3 s before the deadline, escalate at it, 2 s and 4 s after it. */
const FAST_POLICY = assignmentPolicy({ remind: 3, ladder: [0, 2, 4] });

describe('deadlines: reminders and the escalation ladder', () => {
  /** The plan whose 县民政局 is escalated and reassigned from the queue (a fresh one: see that test). */
  let reassignedPlan: ImportedPlan | undefined;
  const stack = useStack({
    worker: true,
    users: ['supervisor'],
    plan: { policy: FAST_POLICY },
    histories: ({ assignmentOf: imported }) => ({
      'assignment-escalated': assignmentWorkflowId(imported('finance').id),
      // Escalated, its extension approved, then reassigned from the escalation queue.
      'assignment-extended-reassigned': assignmentWorkflowId(
        reassignedPlan ? assignmentOf(reassignedPlan, 'civil-affairs').id : imported('civil-affairs').id,
      ),
    }),
  });

  const finance = () => stack.assignmentOf('finance');
  const assignmentRow = async () =>
    (
      await queryRows<{ escalation_level: number; light: string; due_at: Date }>(
        'SELECT escalation_level, light, due_at FROM assignments WHERE id = $1',
        [finance().id],
      )
    )[0];
  const dueAtOf = async (unitId: string) =>
    (
      await queryRows<{ due_at: Date }>('SELECT due_at FROM assignments WHERE id = $1', [stack.assignmentOf(unitId).id])
    )[0].due_at.getTime();
  const changeDeadline = (dueAt: Date, reason: string) =>
    stack.tasks.changeDeadline(stack.plan.tasks[0].id, dueAt, reason);

  it('only the supervision office moves a deadline, and it needs a reason', async () => {
    const staff = await stack.login('finance.staff');
    const body = { dueAt: new Date(Date.now() + 60_000).toISOString(), reason: '调整' };
    expect(
      (await request(stack.baseUrl, 'POST', `/tasks/${stack.plan.tasks[0].id}/deadline`, { token: staff, body }))
        .status,
    ).toBe(403);
    expect(
      (
        await request(stack.baseUrl, 'POST', `/tasks/${stack.plan.tasks[0].id}/deadline`, {
          token: stack.token('supervisor'),
          body: { dueAt: body.dueAt },
        })
      ).status,
    ).toBe(400);
    expect((await assignmentRow()).escalation_level).toBe(0);
  });

  it('a deadline change re-arms the clock: reminder, then levels 1, 2 and 3, each exactly once and in order', async () => {
    const dueAt = new Date(Date.now() + 5_000);
    const changed = await changeDeadline(dueAt, '测试：提前到期');
    expect(changed.status).toBe(200);
    expect(changed.body.deadlineChanges).toHaveLength(1);
    expect((await assignmentRow()).light).toBe('green');

    await waitFor('level 3', async () => (await assignmentRow()).escalation_level === 3, 40_000, 250);
    // Give a duplicate every chance to appear before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const notifications = await queryRows<{ kind: string; unit: string; role: string | null }>(
      `SELECT kind, recipient_unit_id AS unit, recipient_role AS role FROM notifications
        WHERE subject_id = $1 AND kind IN ('deadline-reminder','escalation-level-1','escalation-level-2','escalation-level-3')
        ORDER BY created_at, kind, recipient_unit_id`,
      [finance().id],
    );
    expect(notifications).toEqual([
      { kind: 'deadline-reminder', unit: 'finance', role: null },
      { kind: 'escalation-level-1', unit: 'approval', role: 'head' },
      { kind: 'escalation-level-1', unit: 'finance', role: 'head' },
      { kind: 'escalation-level-2', unit: 'supervision', role: 'supervisor' },
      { kind: 'escalation-level-3', unit: 'leadership', role: 'leader' },
    ]);
    const escalations = await queryRows<{ level: number; target: string }>(
      'SELECT level, target_unit_id AS target FROM escalations WHERE subject_id = $1 ORDER BY created_at',
      [finance().id],
    );
    expect(escalations).toEqual([
      { level: 1, target: 'finance' },
      { level: 2, target: 'supervision' },
      { level: 3, target: 'leadership' },
    ]);
    expect(await assignmentRow()).toMatchObject({ escalation_level: 3, light: 'red' });
    const task = await request<{ light: string }>(stack.baseUrl, 'GET', `/tasks/${stack.plan.tasks[0].id}`, {
      token: stack.token('supervisor'),
    });
    expect(task.body.light).toBe('red');
  });

  it('moving the deadline out again resets the level and the light, keeping the original on record', async () => {
    const changed = await changeDeadline(new Date(Date.now() + 3_600_000), '测试：延期');
    expect(changed.body.deadlineChanges).toHaveLength(2);
    await waitFor(
      'the reset to reach the read model',
      async () => (await assignmentRow()).escalation_level === 0,
      10_000,
    );
    expect((await assignmentRow()).light).toBe('green');
    const audit = await request<{
      items: Array<{ action: string; payload: { before: string | null; after: string } }>;
    }>(stack.baseUrl, 'GET', `/audit?subjectType=task&subjectId=${stack.plan.tasks[0].id}`, {
      token: stack.token('supervisor'),
    });
    const changes = audit.body.items.filter((event) => event.action === 'task.deadline-changed');
    expect(changes).toHaveLength(2);
    expect(changes[0].payload.before).toBe('2027-06-30T15:59:59.000Z'); // the imported 2027年6月底前
    // The escalations the earlier deadline caused have lost their cause: they leave the queue as resolved.
    await waitFor(
      'the escalations of the old deadline to be resolved',
      async () =>
        (
          await queryRows<{ action: string | null }>('SELECT action FROM escalations WHERE subject_id = $1', [
            finance().id,
          ])
        ).every((row) => row.action === 'resolved'),
      10_000,
    );
  });

  it('refuses a deadline in the past, beyond the horizon, or with a reason of only spaces, changing nothing', async () => {
    const before = await assignmentRow();
    for (const [dueAt, reason] of [
      ['2020-01-01T00:00:00+08:00', '测试：过去的日期'],
      ['9999-12-31T23:59:59+08:00', '测试：太远'],
      [new Date(Date.now() + 86_400_000).toISOString(), '   '],
    ]) {
      const refused = await request(stack.baseUrl, 'POST', `/tasks/${stack.plan.tasks[0].id}/deadline`, {
        token: stack.token('supervisor'),
        body: { dueAt, reason },
      });
      expect({ dueAt, status: refused.status, code: refused.body.code }).toEqual({
        dueAt,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await assignmentRow()).toEqual(before);
  });

  it('puts the escalations in the supervision office queue, one item per unit, handled once for all its levels', async () => {
    type Queue = {
      items: Array<{ id: string; subjectId: string; level: number; levels: number[]; escalationIds: string[] }>;
    };
    expect((await changeDeadline(new Date(Date.now() + 2_000), '测试：再次到期')).status).toBe(200);
    await waitFor('level 3 again', async () => (await assignmentRow()).escalation_level === 3, 40_000, 250);
    const openOf = async () =>
      (
        await request<Queue>(stack.baseUrl, 'GET', '/escalations?open=true&limit=500', {
          token: stack.token('supervisor'),
        })
      ).body.items.filter((item) => item.subjectId === finance().id);
    await waitFor('all three levels in the item', async () => (await openOf())[0]?.levels.length === 3, 10_000);
    const mine = await openOf();
    expect(mine.map((item) => [item.level, item.levels])).toEqual([[3, [3, 2, 1]]]);

    const leaderQueue = await request<Queue>(stack.baseUrl, 'GET', '/escalations', {
      token: await stack.login('leader'),
    });
    expect(leaderQueue.body.items.every((item) => item.level === 3)).toBe(true);
    expect(
      (await request(stack.baseUrl, 'GET', '/escalations', { token: await stack.login('finance.head') })).status,
    ).toBe(403);

    const [item] = mine;
    const handle = (id: string, body: Record<string, string>) =>
      request<{ action: string; handledAt: string | null }>(stack.baseUrl, 'POST', `/escalations/${id}/handle`, {
        token: stack.token('supervisor'),
        body,
      });
    const reminded = await handle(item.id, { action: 'remind', note: '请立即报送' });
    expect(reminded.status).toBe(200);
    expect(reminded.body).toMatchObject({ action: 'remind', handledAt: expect.any(String) });
    // Its lower levels were handled with it.
    expect((await handle(item.escalationIds[1], { action: 'flag', note: 'again' })).status).toBe(409);
    expect(await openOf()).toEqual([]);

    // Late once more: 延期 from the queue.
    expect((await changeDeadline(new Date(Date.now() + 2_000), '测试：第三次到期')).status).toBe(200);
    await waitFor('an open item again', async () => (await openOf()).length === 1, 30_000, 250);
    const [late] = await openOf();
    expect((await handle(late.id, { action: 'extend', note: '延期' })).status).toBe(400); // extend needs dueAt
    const civilDueBefore = await dueAtOf('civil-affairs');
    const extendedTo = new Date(Date.now() + 7_200_000);
    const extended = await handle(late.id, { action: 'extend', note: '同意延期', dueAt: extendedTo.toISOString() });
    expect(extended.status).toBe(200);
    // 延期 on one unit's escalation moves that unit's deadline only, never the whole task's (issue 13).
    await waitFor('the extended deadline', async () => (await dueAtOf('finance')) === extendedTo.getTime(), 10_000);
    expect(await dueAtOf('civil-affairs')).toBe(civilDueBefore);

    const reminders = await queryRows<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE subject_id = $1 AND kind = 'supervision-reminder' AND recipient_unit_id = 'finance'`,
      [finance().id],
    );
    expect(reminders[0].n).toBe(1);
    await waitFor('no open item of 县财政局', async () => (await openOf()).length === 0, 10_000);
    const task = await request<{ timeline: Array<{ action: string }> }>(
      stack.baseUrl,
      'GET',
      `/tasks/${stack.plan.tasks[0].id}`,
      { token: stack.token('supervisor') },
    );
    expect(task.body.timeline.filter((event) => event.action === 'task.deadline-changed')).toHaveLength(4);
  });

  it('moves one unit’s deadline only through an approved extension request', async () => {
    const civil = stack.assignmentOf('civil-affairs');
    const dueAt = async () =>
      (
        await queryRows<{ due_at: Date }>('SELECT due_at FROM assignments WHERE id = $1', [civil.id])
      )[0].due_at.getTime();
    // 县民政局's deadline passed in the test before (only 县财政局's was extended): move the task's out first.
    expect((await changeDeadline(new Date(Date.now() + 3_600_000), '测试：整体延期')).status).toBe(200);
    await waitFor('the new task deadline', async () => (await dueAt()) > Date.now(), 10_000);
    const current = await dueAt();
    const staff = await stack.login('civil-affairs.staff');
    const ask = (token: string, requestedDueAt: number, reason = '需等待上级文件') =>
      request<{ id: string; status: string }>(stack.baseUrl, 'POST', `/assignments/${civil.id}/extension-requests`, {
        token,
        body: { requestedDueAt: new Date(requestedDueAt).toISOString(), reason },
      });

    expect((await ask(await stack.login('finance.staff'), current + 3_600_000)).status).toBe(403);
    expect((await ask(staff, current - 60_000)).status).toBe(400);
    const asked = await ask(staff, current + 3_600_000);
    expect(asked.status).toBe(201);
    expect(asked.body.status).toBe('pending');
    expect((await ask(staff, current + 7_200_000)).status).toBe(409); // one open request at a time
    expect(await dueAt()).toBe(current); // nothing moves until the supervision office decides

    const decide = (id: string, decision: string, token = stack.token('supervisor')) =>
      request<{ status: string }>(stack.baseUrl, 'POST', `/extension-requests/${id}/${decision}`, {
        token,
        body: { comment: '同意' },
      });
    expect((await decide(asked.body.id, 'approve', staff)).status).toBe(403);
    expect((await decide(asked.body.id, 'approve')).body.status).toBe('approved');
    expect((await decide(asked.body.id, 'reject')).status).toBe(409);
    await waitFor(
      'the approved deadline in the read model',
      async () => (await dueAt()) === current + 3_600_000,
      10_000,
    );

    const second = await ask(staff, current + 7_200_000, '再次申请');
    expect((await decide(second.body.id, 'reject')).body.status).toBe('rejected');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await dueAt()).toBe(current + 3_600_000); // a rejected request changes nothing
  });

  it('reassigns an escalated unit’s work from the queue (转办)', async () => {
    // This plan's 县民政局 keeps its approved extension through any earlier task-level deadline (issue 13), so a
    // fresh plan's 县民政局 is the one made overdue here.
    reassignedPlan = await stack.importAndStart(ONE_TASK_LIST, policyField(FAST_POLICY));
    const civil = assignmentOf(reassignedPlan, 'civil-affairs');
    type Queue = { items: Array<{ id: string; subjectId: string; level: number }> };
    const civilStaff = await stack.login('civil-affairs.staff');
    const pending = await request<{ id: string }>(
      stack.baseUrl,
      'POST',
      `/assignments/${civil.id}/extension-requests`,
      {
        token: civilStaff,
        // Later than the fresh plan's imported deadline (2027年6月底前).
        body: { requestedDueAt: '2027-09-30T23:59:59+08:00', reason: '等待批复' },
      },
    );
    expect(pending.status).toBe(201);
    const overdue = await stack.tasks.changeDeadline(
      reassignedPlan.tasks[0].id,
      new Date(Date.now() + 2_000),
      '测试：民政局逾期',
    );
    expect(overdue.status).toBe(200);
    let queue!: { body: Queue };
    await waitFor(
      'an open escalation of 县民政局',
      async () => {
        queue = await request<Queue>(stack.baseUrl, 'GET', '/escalations?open=true&limit=500', {
          token: stack.token('supervisor'),
        });
        return queue.body.items.some((item) => item.subjectId === civil.id);
      },
      20_000,
      250,
    );
    const escalation = queue.body.items.find((item) => item.subjectId === civil.id)!;
    expect(escalation).toBeDefined();
    const handle = (body: Record<string, string>) =>
      request<{ action: string }>(stack.baseUrl, 'POST', `/escalations/${escalation.id}/handle`, {
        token: stack.token('supervisor'),
        body,
      });
    expect((await handle({ action: 'reassign', note: '转办' })).status).toBe(400); // needs toUnitId
    const handled = await handle({ action: 'reassign', note: '逾期未办，转县卫健局办理', toUnitId: 'health' });
    expect(handled.status).toBe(200);
    expect(handled.body.action).toBe('reassign');
    await waitFor(
      'the old assignment to be marked reassigned',
      async () =>
        (await queryRows<{ status: string }>('SELECT status FROM assignments WHERE id = $1', [civil.id]))[0].status ===
        'reassigned',
      10_000,
    );
    const successors = await queryRows<{ unit_id: string; status: string }>(
      'SELECT unit_id, status FROM assignments WHERE reassigned_from_id = $1',
      [civil.id],
    );
    expect(successors).toEqual([{ unit_id: 'health', status: 'assigned' }]);
    // The old unit's other escalations leave the queue with it: there is nothing left to chase there.
    const open = await request<Queue>(stack.baseUrl, 'GET', '/escalations?open=true&limit=500', {
      token: stack.token('supervisor'),
    });
    expect(open.body.items.filter((item) => item.subjectId === civil.id)).toEqual([]);
    // Its request still waiting for a decision is closed: there is no deadline left to move (issue 13) …
    const [closed] = await queryRows<{ status: string }>('SELECT status FROM extension_requests WHERE id = $1', [
      pending.body.id,
    ]);
    expect(closed.status).toBe('closed');
    // … nor can the old unit ask for more time on work that is no longer its own.
    const asked = await request(stack.baseUrl, 'POST', `/assignments/${civil.id}/extension-requests`, {
      token: civilStaff,
      body: { requestedDueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: '申请延期' },
    });
    expect(asked.status).toBe(409);
  });
});
