import { assignmentWorkflowId } from '@county/workflows';
import { login, queryRows, request, useStack } from '@county/test-kit';

/**
 * Issue 14, people: 承办人 (a unit hands its item to a named colleague; the unit stays responsible) and 委派
 * (a head hands their sign-off to a deputy of the same unit for a window), against the real API, worker,
 * Temporal and PostgreSQL.
 */
describe('承办人 and 委派, end to end', () => {
  /** A second staff member of finance, so a handler can be someone other than the one naming them. */
  const SECOND = `finance.second-${Math.random().toString(36).slice(2, 8)}`;
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'approval.head', 'approval.staff', 'finance.staff', 'finance.head', 'civil-affairs.head'],
    plan: {},
    histories: ({ assignmentOf }) => ({
      'assignment-approved-by-deputy': assignmentWorkflowId(assignmentOf('finance').id),
    }),
  });
  const ids: Record<string, string> = {};

  type Handler = { userId: string; displayName: string; phone: string | null } | null;
  type Detail = { assignment: { id: string; handler: Handler; allowedActions: string[] }; code?: string };
  type Inbox = {
    items: Array<{ kind: string; assignmentId: string | null; handler: Handler; allowedActions: string[] }>;
  };
  const idOf = async (who: string) => (await stack.as<{ id: string }>(who, 'GET', '/me')).body.id;
  const setHandler = (who: string, assignmentId: string, userId: string) =>
    stack.as<Detail>(who, 'POST', `/assignments/${assignmentId}/handler`, { userId });
  const detail = async (who: string, assignmentId: string) =>
    (await stack.as<Detail>(who, 'GET', `/assignments/${assignmentId}`)).body.assignment;
  const events = (subjectId: string, action: string) =>
    queryRows<{ actor_user_id: string; payload: Record<string, unknown> }>(
      'SELECT actor_user_id, payload FROM audit_events WHERE subject_id = $1 AND action = $2 ORDER BY seq',
      [subjectId, action],
    );

  beforeAll(async () => {
    for (const who of ['finance.staff', 'finance.head', 'approval.head', 'approval.staff', 'civil-affairs.head'])
      ids[who] = await idOf(who);
    // Same password as the demo users: the copy of finance.staff's credentials under another name.
    await queryRows(
      `INSERT INTO users (username, display_name, unit_id, roles, password_hash)
       SELECT $1, '财政局第二工作人员', unit_id, roles, password_hash FROM users WHERE username = 'finance.staff'`,
      [SECOND],
    );
    ids[SECOND] = await idOf(SECOND);
  }, 60_000);

  describe('承办人', () => {
    it('staff name a colleague while none is named; then only the head changes it; each change is audited', async () => {
      const finance = stack.assignmentOf('finance');
      expect((await detail('finance.staff', finance.id)).allowedActions).toContain('setHandler');
      const named = await setHandler('finance.staff', finance.id, ids[SECOND]);
      expect(named.status).toBe(200);
      expect(named.body.assignment.handler).toMatchObject({ userId: ids[SECOND], displayName: '财政局第二工作人员' });
      // A colleague's item is not taken away by staff: no button, and 403 when tried.
      expect(named.body.assignment.allowedActions).not.toContain('setHandler');
      const taken = await setHandler('finance.staff', finance.id, ids['finance.staff']);
      expect([taken.status, taken.body.code]).toEqual([403, 'FORBIDDEN']);
      // The handler hands on their own item; the head changes it at any time.
      expect((await detail(SECOND, finance.id)).allowedActions).toContain('setHandler');
      expect((await setHandler('finance.head', finance.id, ids['finance.staff'])).status).toBe(200);
      expect((await detail('finance.staff', finance.id)).handler?.userId).toBe(ids['finance.staff']);
      const audited = await events(finance.id, 'assignment.handler-set');
      expect(audited.map((event) => [event.actor_user_id, event.payload.handlerUserId])).toEqual([
        [ids['finance.staff'], ids[SECOND]],
        [ids['finance.head'], ids['finance.staff']],
      ]);
      expect(audited[1].payload).toMatchObject({ previousHandlerUserId: ids[SECOND], handlerName: '县财政局工作人员' });
    });

    it('the lead unit and the office see the handler and phone; the unit stays responsible (any colleague still acts)', async () => {
      const finance = stack.assignmentOf('finance');
      await queryRows(`UPDATE users SET phone = '13800000001' WHERE id = $1`, [ids['finance.staff']]);
      // The phone goes to those who chase the work: the unit, the lead unit, the office; another unit sees the name.
      for (const [who, phone] of [
        ['finance.head', '13800000001'],
        ['approval.head', '13800000001'],
        ['supervisor', '13800000001'],
        ['civil-affairs.head', null],
      ])
        expect({ who, handler: (await detail(who!, finance.id)).handler }).toMatchObject({
          who,
          handler: { userId: ids['finance.staff'], displayName: '县财政局工作人员', phone },
        });
      const task = await stack.tasks.get<{ assignments: Array<{ id: string; handler: Handler }> }>(
        stack.plan.tasks[0].id,
      );
      expect(task.body.assignments.find((assignment) => assignment.id === finance.id)?.handler?.displayName).toBe(
        '县财政局工作人员',
      );
      // Naming a handler is not a transition: the head (not the handler) still signs for the work.
      expect((await stack.assignments.act('finance.head', finance.id, 'acknowledge')).status).toBe(200);
    });

    it('refuses a user of another unit, an unknown user, and a disabled colleague with 400 naming userId', async () => {
      const finance = stack.assignmentOf('finance');
      for (const userId of [ids['civil-affairs.head'], '00000000-0000-4000-8000-000000000000']) {
        const refused = await setHandler('finance.head', finance.id, userId);
        expect([refused.status, refused.body.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(String((refused.body as { detail?: string }).detail)).toContain('userId');
      }
      await queryRows('UPDATE users SET disabled = true WHERE id = $1', [ids[SECOND]]);
      try {
        expect((await setHandler('finance.head', finance.id, ids[SECOND])).status).toBe(400);
      } finally {
        await queryRows('UPDATE users SET disabled = false WHERE id = $1', [ids[SECOND]]);
      }
      expect((await setHandler('finance.head', finance.id, 'not-a-uuid')).status).toBe(400);
    });

    it("puts the handler's items first in their 待办, and only theirs", async () => {
      const second = await stack.importAndStart();
      const newer = second.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
      const older = stack.assignmentOf('finance');
      // A fresh login: disabling SECOND above revoked its earlier tokens (the token version moved).
      const order = async (who: string) =>
        (
          await request<Inbox>(stack.baseUrl, 'GET', '/inbox?limit=500', { token: await login(stack.baseUrl, who) })
        ).body.items
          .filter((item) => item.kind === 'work')
          .map((item) => item.assignmentId);
      const before = await order(SECOND);
      expect(before).toEqual(expect.arrayContaining([older.id, newer.id]));
      const last = before.filter((id) => id === older.id || id === newer.id).pop()!;
      expect((await setHandler('finance.head', last, ids[SECOND])).status).toBe(200);
      expect((await order(SECOND))[0]).toBe(last);
      // For the others of the unit the order is the urgency order it was.
      expect(await order('finance.head')).toEqual(before);
    });

    it("names a call's handler within the called unit only", async () => {
      const raised = await stack.calls.raise('chengguan.staff', 'housing');
      expect(raised.status).toBe(201);
      expect(raised.body).toMatchObject({ handler: null });
      const housingHead = await idOf('housing.head');
      const byTownship = await stack.as('chengguan.head', 'POST', `/calls/${raised.body.id}/handler`, {
        userId: housingHead,
      });
      expect(byTownship.status).toBe(403);
      const named = await stack.as<{ handler: Handler; allowedActions: string[] }>(
        'housing.staff',
        'POST',
        `/calls/${raised.body.id}/handler`,
        { userId: housingHead },
      );
      expect(named.status).toBe(200);
      expect(named.body.handler?.userId).toBe(housingHead);
      expect((await stack.calls.get(raised.body.id, 'chengguan.staff')) as unknown).toMatchObject({
        handler: { userId: housingHead },
      });
      expect((await events(raised.body.id, 'call.handler-set')).length).toBe(1);
    });
  });

  describe('委派', () => {
    const window = () => ({
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });

    /** The delegations from approval.head that have not ended (another suite on this database may leave one). */
    const running = async () =>
      (
        await queryRows(
          'SELECT 1 FROM delegations WHERE head_user_id = $1 AND revoked_at IS NULL AND ends_at > now()',
          [ids['approval.head']],
        )
      ).length;
    beforeAll(async () => {
      await queryRows('UPDATE delegations SET revoked_at = now() WHERE head_user_id = $1 AND revoked_at IS NULL', [
        ids['approval.head'],
      ]);
    });

    it('refuses a delegation by staff, to another unit, to oneself, or for a window that has ended', async () => {
      const tries = [
        await stack.as('approval.staff', 'POST', '/delegations', { deputyUserId: ids['finance.staff'], ...window() }),
        await stack.as('approval.head', 'POST', '/delegations', { deputyUserId: ids['finance.staff'], ...window() }),
        await stack.as('approval.head', 'POST', '/delegations', { deputyUserId: ids['approval.head'], ...window() }),
        await stack.as('approval.head', 'POST', '/delegations', {
          deputyUserId: ids['approval.staff'],
          startsAt: '2026-01-01T00:00:00+08:00',
          endsAt: '2026-01-02T00:00:00+08:00',
        }),
      ].map((response) => response.status);
      expect(tries).toEqual([403, 400, 400, 400]);
      expect(await running()).toBe(0);
    });

    it('while it runs the deputy approves as the head, both names recorded; after revoking, no longer', async () => {
      const finance = stack.assignmentOf('finance');
      const civil = stack.assignmentOf('civil-affairs');
      await stack.assignments.act('finance.staff', finance.id, 'submit', { summary: '已完成', evidence: ['附件'] });
      await stack.assignments.submit('civil-affairs.head', civil.id);
      // Before any delegation the lead unit's staff may not sign off.
      expect((await stack.assignments.act('approval.staff', finance.id, 'approve')).status).toBe(403);

      const created = await stack.as<{ id: string; active: boolean; headName: string; deputyName: string }>(
        'approval.head',
        'POST',
        '/delegations',
        { deputyUserId: ids['approval.staff'], ...window() },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ active: true, headName: '县审批局负责人', deputyName: '县审批局工作人员' });
      // Both users' pages show it.
      for (const who of ['approval.head', 'approval.staff']) {
        const me = await stack.as<{ delegations: Array<{ id: string; allowedActions: string[] }> }>(who, 'GET', '/me');
        expect(me.body.delegations.map((delegation) => delegation.id)).toEqual([created.body.id]);
        expect(me.body.delegations[0].allowedActions).toEqual(who === 'approval.head' ? ['revoke'] : []);
      }
      // The deputy finds the reports in 待办 with the sign-off buttons, and approves.
      const inbox = await stack.as<Inbox>('approval.staff', 'GET', '/inbox?limit=500');
      const review = inbox.body.items.find((item) => item.kind === 'review' && item.assignmentId === finance.id);
      expect(review?.allowedActions).toEqual(['approve', 'return']);
      expect(inbox.body.items.some((item) => item.kind === 'consolidate')).toBe(false);
      const approved = await stack.assignments.act('approval.staff', finance.id, 'approve', {
        comment: '代为审核同意',
      });
      expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
      const [event] = await events(finance.id, 'assignment.approve');
      expect(event.actor_user_id).toBe(ids['approval.staff']);
      expect(event.payload.actingFor).toEqual({
        delegationId: created.body.id,
        headUserId: ids['approval.head'],
        headName: '县审批局负责人',
        deputyName: '县审批局工作人员',
      });
      // Only sign-off is delegated: the deputy gets no other head action (adding a unit stays the head's).
      const task = await stack.tasks.get<{ allowedActions: string[] }>(stack.plan.tasks[0].id, 'approval.staff');
      expect(task.body.allowedActions).toEqual([]);

      expect((await stack.as('approval.staff', 'POST', `/delegations/${created.body.id}/revoke`)).status).toBe(403);
      const revoked = await stack.as<{ active: boolean; revokedAt: string | null }>(
        'approval.head',
        'POST',
        `/delegations/${created.body.id}/revoke`,
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ active: false });
      expect((await stack.assignments.act('approval.staff', civil.id, 'return', { reason: '请补充材料' })).status).toBe(
        403,
      );
      expect((await stack.as<{ delegations: unknown[] }>('approval.staff', 'GET', '/me')).body.delegations).toEqual([]);
      const audited = await queryRows<{ action: string }>(
        'SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq',
        [created.body.id],
      );
      expect(audited.map((row) => row.action)).toEqual(['delegation.created', 'delegation.revoked']);
    });
  });
});
