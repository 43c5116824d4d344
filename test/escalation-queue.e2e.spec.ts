import {
  assignmentPolicy,
  callPolicy,
  ownDatabase,
  queryRows as queryShared,
  request,
  useStack,
  waitFor,
} from '@county/test-kit';

/** Seconds instead of days: escalate at the deadline, 2 s and 4 s after it (the whole ladder in ~5 s). */
const FAST_POLICY = assignmentPolicy({ remind: 3, ladder: [0, 2, 4] });

interface Item {
  id: string;
  subjectType: string;
  subjectId: string;
  level: number;
  levels: number[];
  escalationIds: string[];
  title: string | null;
  planTitle: string | null;
  planId: string | null;
  unitId: string | null;
  unitName: string | null;
  fromUnitName: string | null;
  firstRaisedAt: string;
  createdAt: string;
  action: string | null;
  readAt: string | null;
  leaderActions: string[];
  allowedActions: string[];
}
type Queue = { items: Item[]; nextCursor: string | null };
type BatchAnswer = { results: Array<{ id: string; outcome: string; code: string | null }> };

/**
 * The escalation queue as work (issue 18): one item per assignment or call at its current level, handling one
 * clears all its levels, items leave when their cause goes, batch handling, and the 待办 of the supervision office
 * and of a county leader (已阅). Its own database: the queue is everyone's, and other suites' items would mix in.
 */
describe('the escalation queue: one item per subject', () => {
  const database = ownDatabase('escalation_queue');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    users: ['supervisor', 'leader', 'finance.staff', 'housing.staff', 'chengguan.staff'],
    plan: { policy: FAST_POLICY },
    // A call must be answered within 2 s, then climbs the ladder like the work does.
    apiEnv: { CALL_POLICY: callPolicy({ respond: 2, resolve: 600, ladder: [0, 2, 4], autoClose: 600 }) },
  });
  afterAll(() => database.drop());
  const queryRows = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    queryShared<T>(sql, params, database.url);

  const taskId = () => stack.plan.tasks[0].id;
  const queue = async (query = '', who = 'supervisor') => {
    const answer = await request<Queue>(stack.baseUrl, 'GET', `/escalations?limit=500${query ? `&${query}` : ''}`, {
      token: stack.token(who),
    });
    expect(answer.status).toBe(200);
    return answer.body.items;
  };
  const itemOf = async (subjectId: string) => (await queue()).find((item) => item.subjectId === subjectId);
  const overdueSoon = (reason: string) => stack.tasks.changeDeadline(taskId(), new Date(Date.now() + 2_000), reason);
  const levelOf = async (assignmentId: string) =>
    (
      await queryRows<{ level: number }>('SELECT escalation_level AS level FROM assignments WHERE id = $1', [
        assignmentId,
      ])
    )[0].level;
  const batch = (body: unknown, who = 'supervisor', headers: Record<string, string> = {}) =>
    request<BatchAnswer>(stack.baseUrl, 'POST', '/escalations/handle', { token: stack.token(who), body, headers });

  it('lists each late unit once, at its highest open level, with the task, the plan and the unit named', async () => {
    expect((await overdueSoon('测试：到期')).status).toBe(200);
    const finance = stack.assignmentOf('finance');
    await waitFor('level 3', async () => (await levelOf(finance.id)) === 3, 40_000, 250);
    await waitFor('three levels of 县财政局', async () => (await itemOf(finance.id))?.levels.length === 3, 10_000);

    const items = await queue();
    // One item per subject however many levels it reached.
    expect(new Set(items.map((item) => item.subjectId)).size).toBe(items.length);
    const item = items.find((candidate) => candidate.subjectId === finance.id)!;
    const plan = await request<{ title: string }>(stack.baseUrl, 'GET', `/plans/${stack.plan.id}`, {
      token: stack.token('supervisor'),
    });
    expect(item).toMatchObject({
      subjectType: 'assignment',
      level: 3,
      levels: [3, 2, 1],
      title: '完善村级代办服务机制',
      planTitle: plan.body.title,
      planId: stack.plan.id,
      unitId: 'finance',
      unitName: '县财政局',
      action: null,
    });
    expect(item.escalationIds).toHaveLength(3);
    expect(item.escalationIds[0]).toBe(item.id);
    // Its age runs from the first level, not from the current one.
    expect(Date.parse(item.firstRaisedAt)).toBeLessThan(Date.parse(item.createdAt));
    const rows = await queryRows<{ id: string }>('SELECT id FROM escalations WHERE subject_id = $1', [finance.id]);
    expect(rows.map((row) => row.id).sort()).toEqual([...item.escalationIds].sort());

    // Filters narrow by the item's current level, unit, plan and kind.
    expect((await queue('unitId=finance')).map((candidate) => candidate.subjectId)).toEqual([finance.id]);
    expect((await queue('level=3')).every((candidate) => candidate.level === 3)).toBe(true);
    expect((await queue('level=3')).some((candidate) => candidate.subjectId === finance.id)).toBe(true);
    expect((await queue('level=1')).some((candidate) => candidate.subjectId === finance.id)).toBe(false);
    expect((await queue(`planId=${stack.plan.id}`)).length).toBe(items.length);
    expect(await queue('planId=00000000-0000-4000-8000-000000000000')).toEqual([]);
    expect(await queue('kind=call')).toEqual([]);
    expect((await queue('kind=assignment')).length).toBe(items.length);
    for (const bad of ['level=4', 'level=x', 'kind=task', 'planId=nope', `unitId=${'x'.repeat(41)}`]) {
      const refused = await request(stack.baseUrl, 'GET', `/escalations?${bad}`, { token: stack.token('supervisor') });
      expect({ bad, status: refused.status }).toEqual({ bad, status: 400 });
    }

    // Paged one by one, the queue gives the same items once each, in the same order.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Queue } = await request<Queue>(
        stack.baseUrl,
        'GET',
        `/escalations?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: stack.token('supervisor') },
      );
      walked.push(...page.body.items.map((candidate) => candidate.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(items.map((candidate) => candidate.id));

    // A county leader's queue is the 挂牌督办 items only.
    expect((await queue('', 'leader')).every((candidate) => candidate.level === 3)).toBe(true);
  });

  it('clears every open level of the subject when the item is handled', async () => {
    const finance = stack.assignmentOf('finance');
    const item = (await itemOf(finance.id))!;
    const handled = await stack.escalations.handle('supervisor', item.id, { action: 'remind', note: '请立即报送' });
    expect(handled.status).toBe(200);
    const rows = await queryRows<{ action: string | null; handled: boolean }>(
      'SELECT action, handled_at IS NOT NULL AS handled FROM escalations WHERE subject_id = $1',
      [finance.id],
    );
    expect(rows).toEqual([
      { action: 'remind', handled: true },
      { action: 'remind', handled: true },
      { action: 'remind', handled: true },
    ]);
    expect(await itemOf(finance.id)).toBeUndefined();
    // With handled ones too (open=false), the unit is still one item, handled, with all its levels.
    const history = (await queue('open=false')).filter((candidate) => candidate.subjectId === finance.id);
    expect(history).toEqual([expect.objectContaining({ id: item.id, action: 'remind', levels: [3, 2, 1] })]);
    // Its lower levels went with it: handling one of them again is a conflict, and nothing is sent twice.
    const again = await stack.escalations.handle('supervisor', item.escalationIds[2], { action: 'flag', note: '再次' });
    expect(again.status).toBe(409);
    const [reminders] = await queryRows<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE subject_id = $1 AND kind = 'supervision-reminder'`,
      [finance.id],
    );
    expect(reminders.n).toBe(1);
    const audit = await queryRows<{ payload: { clearedEscalationIds: string[] } }>(
      `SELECT payload FROM audit_events WHERE action = 'escalation.remind' AND subject_id = $1`,
      [finance.id],
    );
    expect(audit).toHaveLength(1);
    expect([...audit[0].payload.clearedEscalationIds].sort()).toEqual(
      item.escalationIds.filter((id) => id !== item.id).sort(),
    );
  });

  it('handles several items in one batch, per item, and a repeat does nothing twice', async () => {
    const civil = stack.assignmentOf('civil-affairs');
    const approval = stack.assignmentOf('approval');
    const ids = [(await itemOf(civil.id))!.id, (await itemOf(approval.id))!.id];

    // Validated before anything is done.
    for (const body of [
      { ids: [], action: 'remind', note: '催办' },
      { ids: [ids[0], ids[0]], action: 'remind', note: '催办' },
      { ids: ['not-a-uuid'], action: 'remind', note: '催办' },
      { ids, action: 'reassign', note: '转办' },
      { ids, action: 'remind', note: '   ' },
      { ids, action: 'extend', note: '延期' },
      { ids, action: 'remind', note: '催办', extra: 1 },
      { ids: Array.from({ length: 101 }, () => ids[0]), action: 'remind', note: '催办' },
    ]) {
      const refused = await batch(body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
    }
    // Only the supervision office.
    expect((await batch({ ids, action: 'remind', note: '催办' }, 'leader')).status).toBe(403);
    expect((await batch({ ids, action: 'remind', note: '催办' }, 'finance.staff')).status).toBe(403);
    expect(
      await queryRows('SELECT 1 FROM escalations WHERE id = ANY($1::uuid[]) AND handled_at IS NOT NULL', [ids]),
    ).toEqual([]);

    const missing = '00000000-0000-4000-8000-000000000000';
    const body = { ids: [...ids, missing], action: 'remind', note: '请两单位立即报送' };
    const answer = await batch(body, 'supervisor', { 'Idempotency-Key': 'batch-remind-1' });
    expect(answer.status).toBe(200);
    // The same request with the same key is answered as the first time, without running again.
    const replayed = await batch(body, 'supervisor', { 'Idempotency-Key': 'batch-remind-1' });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(answer.body);
    expect(answer.body.results).toEqual([
      { id: ids[0], outcome: 'handled', code: null, detail: null },
      { id: ids[1], outcome: 'handled', code: null, detail: null },
      { id: missing, outcome: 'failed', code: 'NOT_FOUND', detail: expect.any(String) },
    ]);
    for (const subjectId of [civil.id, approval.id]) {
      expect(await itemOf(subjectId)).toBeUndefined();
      const open = await queryRows('SELECT 1 FROM escalations WHERE subject_id = $1 AND handled_at IS NULL', [
        subjectId,
      ]);
      expect(open).toEqual([]);
    }
    // Sent again (a retry): each is already handled that way, and no second 催办 goes out.
    const repeat = await batch({ ids, action: 'remind', note: '请两单位立即报送' });
    expect(repeat.body.results.map((result) => result.outcome)).toEqual(['already-handled', 'already-handled']);
    const other = await batch({ ids, action: 'flag', note: '挂牌督办' });
    expect(other.body.results.map((result) => result.code)).toEqual(['CONFLICT', 'CONFLICT']);
    const [reminders] = await queryRows<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE subject_id = ANY($1) AND kind = 'supervision-reminder'`,
      [[civil.id, approval.id]],
    );
    expect(reminders.n).toBe(2);
  });

  it('lets an item go when its deadline moves into the future, with the reason recorded', async () => {
    const finance = stack.assignmentOf('finance');
    expect((await overdueSoon('测试：再次到期')).status).toBe(200);
    await waitFor('县财政局 back in the queue', async () => (await itemOf(finance.id)) !== undefined, 30_000, 250);
    const stale = (await itemOf(finance.id))!;
    expect((await stack.tasks.changeDeadline(taskId(), new Date(Date.now() + 3_600_000), '测试：延期')).status).toBe(
      200,
    );
    await waitFor('the stale item to leave', async () => (await itemOf(finance.id)) === undefined, 10_000, 250);
    const [row] = await queryRows<{ action: string; resolved_reason: string | null }>(
      'SELECT action, resolved_reason FROM escalations WHERE id = $1',
      [stale.id],
    );
    expect(row.action).toBe('resolved');
    expect(row.resolved_reason).toEqual(expect.stringContaining('deadline-changed'));
    // Handling what has left the queue is a conflict, not a second chase.
    expect((await stack.escalations.handle('supervisor', stale.id, { action: 'remind', note: '催办' })).status).toBe(
      409,
    );
  });

  it("puts open items in the supervision office's 待办 and level-3 items in the leader's, with 已阅", async () => {
    const finance = stack.assignmentOf('finance');
    expect((await overdueSoon('测试：第三次到期')).status).toBe(200);
    await waitFor('level 3 once more', async () => (await itemOf(finance.id))?.level === 3, 40_000, 250);
    type Inbox = { escalations: Item[]; moreEscalations: boolean };
    const inbox = async (who: string) =>
      (await request<Inbox>(stack.baseUrl, 'GET', '/inbox', { token: stack.token(who) })).body;

    const office = await inbox('supervisor');
    expect(office.escalations.some((item) => item.subjectId === finance.id)).toBe(true);
    expect(new Set(office.escalations.map((item) => item.subjectId)).size).toBe(office.escalations.length);
    expect((await inbox('finance.staff')).escalations).toEqual([]);

    const leaderItem = (await inbox('leader')).escalations.find((item) => item.subjectId === finance.id)!;
    expect(leaderItem).toMatchObject({ level: 3, readAt: null, leaderActions: ['read', 'instruct'] });
    const read = (who: string, id = leaderItem.id) =>
      request<{ id: string; readAt: string }>(stack.baseUrl, 'POST', `/escalations/${id}/read`, {
        token: stack.token(who),
      });
    expect((await read('supervisor')).status).toBe(403);
    expect((await read('leader', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const first = await read('leader');
    expect(first.status).toBe(200);
    const second = await read('leader');
    expect(second.body.readAt).toBe(first.body.readAt);
    const audit = await queryRows(`SELECT 1 FROM audit_events WHERE action = 'escalation.read' AND subject_id = $1`, [
      finance.id,
    ]);
    expect(audit).toHaveLength(1);
    // Read: it leaves the leader's 待办, stays in the queue marked read, and 批示 is still offered.
    expect((await inbox('leader')).escalations.some((item) => item.subjectId === finance.id)).toBe(false);
    const queued = (await queue('', 'leader')).find((item) => item.subjectId === finance.id)!;
    expect(queued).toMatchObject({ readAt: first.body.readAt, leaderActions: ['instruct'] });
    // The 批示 written on it travels with the item.
    const instructed = await request(stack.baseUrl, 'POST', `/escalations/${leaderItem.id}/instructions`, {
      token: stack.token('leader'),
      body: { body: '请财政局三日内报送' },
    });
    expect(instructed.status).toBe(201);
    const withInstruction = (await queue('', 'leader')).find((item) => item.subjectId === finance.id) as Item & {
      instructions: Array<{ body: string }>;
    };
    expect(withInstruction.instructions.map((instruction) => instruction.body)).toEqual(['请财政局三日内报送']);
  });

  it('lists a late call once with its subject and township, and lets it go when the call is answered', async () => {
    const raised = await stack.calls.raise('chengguan.staff', 'housing', { subject: '测试：农村危房改造协调' });
    expect(raised.status).toBe(201);
    const callId = raised.body.id;
    await waitFor(
      'the call escalated twice',
      async () => ((await itemOf(callId))?.levels.length ?? 0) >= 2,
      30_000,
      250,
    );
    const item = (await queue('kind=call')).find((candidate) => candidate.subjectId === callId)!;
    expect(item).toMatchObject({
      subjectType: 'call',
      title: '测试：农村危房改造协调',
      fromUnitName: '城关镇',
      unitId: 'housing',
      unitName: '县住建局',
    });
    expect(await queue('kind=call').then((items) => items.filter((c) => c.subjectId === callId))).toHaveLength(1);
    expect((await stack.calls.act('housing.staff', callId, 'respond', { note: '已签收，马上办理' })).status).toBe(200);
    await waitFor(
      'the answered call to leave the queue',
      async () => (await itemOf(callId)) === undefined,
      10_000,
      250,
    );
    const rows = await queryRows<{ action: string; resolved_reason: string | null }>(
      'SELECT action, resolved_reason FROM escalations WHERE subject_id = $1',
      [callId],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.action === 'resolved' && row.resolved_reason !== null)).toBe(true);
  });
});
