import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal as temporal_proto } from '@temporalio/proto';
import { UnitKind } from '@county/domain';
import { callWorkflowId, respondCallUpdate } from '@county/workflows';
import {
  CallBody,
  callPolicy,
  callRow,
  PATIENT_CALL_POLICY,
  queryRows,
  startApi,
  useStack,
  waitForCall,
} from '@county/test-kit';

/**
 * 乡呼县应 calls over HTTP against the real worker, Temporal dev server and PostgreSQL. Two APIs share the
 * worker: on the "patient" one limits are ten minutes (nothing fires while a test acts), on the "fast" one
 * they are seconds (the ladder and the auto-close happen within the test). A call keeps the policy it was
 * raised with, so each test picks the API whose clock it needs.
 */
describe('乡呼县应 calls, end to end', () => {
  let happyCallId: string | undefined;

  const USERS = [
    'supervisor',
    'leader',
    'chengguan.staff',
    'chengguan.head',
    'baofeng.staff',
    'housing.staff',
    'housing.head',
    'transport.staff',
    'health.staff',
  ];
  const stack = useStack({
    worker: true,
    // The patient API is the stack's own; the fast one shares its worker.
    apiEnv: { CALL_POLICY: PATIENT_CALL_POLICY },
    apis: { fast: { CALL_POLICY: callPolicy({ respond: 3, resolve: 3, ladder: [0, 2, 4], autoClose: 3, remind: 1 }) } },
    users: USERS,
    histories: () => ({
      'call-happy-path': happyCallId && callWorkflowId(happyCallId),
      // The same path after the start input was checked (patched 'checked-call-start').
      'call-checked-start': happyCallId && callWorkflowId(happyCallId),
    }),
  });
  const patient = () => stack.calls;
  const fast = () => stack.on('fast').calls;

  /** Update events in a workflow's history (timers and activities add other events on their own). */
  const updateEvents = async (workflowId: string) =>
    ((await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((event) =>
      (temporal_proto.api.enums.v1.EventType[event.eventType ?? 0] ?? '').includes('UPDATE'),
    ).length;
  const auditActions = async (callId: string) =>
    (
      await queryRows<{ action: string }>(`SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq`, [
        callId,
      ])
    ).map((row) => row.action);
  const notificationsOf = (callId: string) =>
    queryRows<{ kind: string; unit: string; role: string | null }>(
      `SELECT kind, recipient_unit_id AS unit, recipient_role AS role FROM notifications WHERE subject_id = $1
        ORDER BY created_at, kind, recipient_unit_id`,
      [callId],
    );
  type Inbox = { calls: Array<{ kind: string; callId: string }> };
  const inbox = async (who: string) =>
    (await stack.request<Inbox>('GET', '/inbox?limit=500', { token: stack.token(who) })).body.calls;

  it('happy path: raised → responded → resolved → evaluated 满意 → closed, each answered after the read model has it', async () => {
    const raised = await patient().raise('chengguan.staff', 'housing', { urgency: 'urgent' });
    expect(raised.status).toBe(201);
    const id = raised.body.id;
    happyCallId = id;
    expect(raised.body).toMatchObject({ status: 'raised', fromUnitId: 'chengguan', toUnitId: 'housing' });
    await waitForCall('the response limit', id, (row) => row.respond_due_at !== null, 10_000);
    expect(await inbox('housing.staff')).toContainEqual(expect.objectContaining({ kind: 'respond', callId: id }));

    const responded = await patient().act('housing.staff', id, 'respond', { note: '已签收' });
    expect(responded.status).toBe(200);
    expect(responded.body.status).toBe('responded');
    expect(await inbox('housing.staff')).toContainEqual(expect.objectContaining({ kind: 'resolve', callId: id }));
    expect((await patient().act('housing.staff', id, 'respond')).status).toBe(409); // 签收 once

    const resolved = await patient().act('housing.head', id, 'resolve', { resolution: '已派员现场鉴定' });
    expect(resolved.body.status).toBe('resolved');
    expect(await inbox('chengguan.staff')).toContainEqual(expect.objectContaining({ kind: 'evaluate', callId: id }));
    expect(await inbox('housing.staff')).not.toContainEqual(expect.objectContaining({ callId: id }));

    const evaluated = await patient().act('chengguan.head', id, 'evaluate', { rating: 'satisfied', comment: '及时' });
    expect(evaluated.status).toBe(200);
    expect(evaluated.body).toMatchObject({ status: 'closed', rating: 'satisfied', autoClosed: false, reworkCount: 0 });
    await stack.temporal.workflow.getHandle(callWorkflowId(id)).result();

    const row = await callRow(id);
    for (const column of [
      'raised_at',
      'respond_due_at',
      'responded_at',
      'resolve_due_at',
      'resolved_at',
      'evaluated_at',
    ])
      expect(row[column]).toBeInstanceOf(Date);
    expect(row.urgency).toBe('urgent');
    expect((row.resolve_due_at as Date).getTime()).toBeGreaterThan((row.responded_at as Date).getTime());
    expect(await auditActions(id)).toEqual([
      'call.raised',
      'call.limit-set',
      'call.responded',
      'call.limit-set',
      'call.resolved',
      'call.evaluated',
    ]);
    const detail = await stack.request<{ timeline: Array<{ action: string }> }>('GET', `/calls/${id}`, {
      token: stack.token('baofeng.staff'),
    });
    expect(detail.body.timeline.map((event) => event.action)).toContain('call.evaluated');
    expect(await notificationsOf(id)).toEqual([
      { kind: 'call-received', unit: 'housing', role: null },
      { kind: 'call-responded', unit: 'chengguan', role: null },
      { kind: 'call-resolved', unit: 'chengguan', role: null },
      { kind: 'call-evaluated', unit: 'housing', role: null },
    ]);
    const listed = await stack.request<{ items: CallBody[] }>(
      'GET',
      '/calls?fromUnitId=chengguan&toUnitId=housing&status=closed',
      { token: stack.token('health.staff') },
    );
    expect(listed.body.items.map((call) => call.id)).toContain(id);
  });

  it('a county unit cannot raise a call as a township, nor a township call a township: nothing is written', async () => {
    const count = async () => (await queryRows<{ n: number }>('SELECT count(*)::int AS n FROM calls'))[0].n;
    const auditLength = async () =>
      (await queryRows<{ n: number }>('SELECT count(*)::int AS n FROM audit_events'))[0].n;
    const [callsBefore, auditBefore] = [await count(), await auditLength()];
    const byCounty = await patient().raise('housing.staff', 'transport');
    expect(byCounty.status).toBe(403);
    expect(byCounty.body.code).toBe('FORBIDDEN');
    expect(byCounty.headers.get('content-type')).toContain('application/problem+json');
    expect((await patient().raise('supervisor', 'transport')).status).toBe(403);
    expect((await patient().raise('chengguan.staff', 'baofeng')).status).toBe(400);
    expect((await patient().raise('chengguan.staff', 'no-such-unit')).status).toBe(400);
    expect((await patient().raise('chengguan.staff', 'housing', { urgency: 'whenever' })).status).toBe(400);
    expect((await patient().raise('chengguan.staff', 'housing', { fromUnitId: 'baofeng' })).status).toBe(400);
    expect(await count()).toBe(callsBefore);
    expect(await auditLength()).toBe(auditBefore);
  });

  it('a different county unit cannot respond, a township cannot evaluate another township’s call: 403, nothing written', async () => {
    const { body: call } = await patient().raise('chengguan.staff', 'housing');
    const workflowId = callWorkflowId(call.id);
    // The workflow records the response limit just after the raise; compare rows only once it has.
    await waitForCall('the response limit', call.id, (row) => row.respond_due_at !== null, 10_000);
    const before = await updateEvents(workflowId);
    const rowBefore = await callRow(call.id);

    const wrongUnit = await patient().act('transport.staff', call.id, 'respond', { note: '代签' });
    expect(wrongUnit.status).toBe(403);
    expect(wrongUnit.body.code).toBe('FORBIDDEN');
    expect((await patient().act('chengguan.staff', call.id, 'respond')).status).toBe(403);
    expect(await updateEvents(workflowId)).toBe(before);
    expect(await callRow(call.id)).toEqual(rowBefore);

    await patient().act('housing.staff', call.id, 'respond');
    expect((await patient().act('transport.staff', call.id, 'resolve', { resolution: 'x' })).status).toBe(403);
    await patient().act('housing.staff', call.id, 'resolve', { resolution: '已办结' });
    const resolvedUpdates = await updateEvents(workflowId);
    const resolvedRow = await callRow(call.id);
    expect(resolvedUpdates).toBeGreaterThan(before); // the control: accepted updates do show in the history

    const otherTownship = await patient().act('baofeng.staff', call.id, 'evaluate', { rating: 'dissatisfied' });
    expect(otherTownship.status).toBe(403);
    expect((await patient().act('housing.head', call.id, 'evaluate', { rating: 'satisfied' })).status).toBe(403);
    expect((await patient().act('chengguan.staff', call.id, 'evaluate', { rating: 'great' })).status).toBe(400);
    expect(await updateEvents(workflowId)).toBe(resolvedUpdates);
    expect(await callRow(call.id)).toEqual(resolvedRow);
    expect(resolvedRow.status).toBe('resolved');
  });

  it('a repeated raise with the same Idempotency-Key returns the first call and raises nothing more', async () => {
    const body = { toUnitId: 'health', subject: '同一呼叫', description: '网络重试', urgency: 'normal' };
    const send = () =>
      stack.request<CallBody>('POST', '/calls', {
        token: stack.token('baofeng.staff'),
        body,
        headers: { 'idempotency-key': `raise-${randomUUID()}` },
      });
    const key = `raise-${randomUUID()}`;
    const sendWithKey = () =>
      stack.request<CallBody>('POST', '/calls', {
        token: stack.token('baofeng.staff'),
        body,
        headers: { 'idempotency-key': key },
      });
    const first = await sendWithKey();
    const second = await sendWithKey();
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const rows = await queryRows<{ n: number }>(
      `SELECT count(*)::int AS n FROM calls WHERE from_unit_id = 'baofeng' AND subject = $1`,
      [body.subject],
    );
    expect(rows[0].n).toBe(1);
    // The control: a new key is a new call.
    expect((await send()).body.id).not.toBe(first.body.id);
  });

  it('refuses to start with a CALL_POLICY that is not a valid call policy, naming the field', async () => {
    await expect(
      startApi({ TEMPORAL_TASK_QUEUE: stack.taskQueue, CALL_POLICY: '{"autoCloseAfter":"soon"}' }),
    ).rejects.toThrow(/CALL_POLICY: policy\.call\.autoCloseAfter/);
  });

  it('the workflow checks again: a forged raise or response is refused by its update validator, nothing written', async () => {
    const refusedType = async (attempt: Promise<unknown>) => {
      const error = await attempt.then(
        () => null,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      return (cause as ApplicationFailure).type;
    };
    // Straight to Temporal, past the API's checks: a county unit raising as if it were a township.
    const forgedId = randomUUID();
    const forged = stack.raiseCallInTemporal({
      callId: forgedId,
      fromUnitId: 'housing',
      fromUnitKind: UnitKind.CountyDepartment,
      toUnitId: 'transport',
      raisedBy: { userId: randomUUID(), unitId: 'housing', roles: ['staff'] },
      subject: '伪造',
      description: '伪造',
    });
    expect(await refusedType(forged)).toBe('FORBIDDEN');
    await stack.temporal.workflow.getHandle(callWorkflowId(forgedId)).result();
    expect(await callRow(forgedId)).toBeUndefined();
    expect(await auditActions(forgedId)).toEqual([]);

    const { body: call } = await patient().raise('chengguan.staff', 'housing');
    const handle = stack.temporal.workflow.getHandle(callWorkflowId(call.id));
    const wrongUnit = { userId: randomUUID(), unitId: 'transport', roles: ['head'] };
    expect(await refusedType(handle.executeUpdate(respondCallUpdate, { args: [{ actor: wrongUnit }] }))).toBe(
      'FORBIDDEN',
    );
    expect((await callRow(call.id)).status).toBe('raised');
    expect(await auditActions(call.id)).not.toContain('call.responded');
  });

  it('不满意 reopens the call to the same unit (rework), which resolves it again; then 满意 closes it', async () => {
    const { body: call } = await patient().raise('baofeng.staff', 'health');
    await patient().act('health.staff', call.id, 'respond');
    await patient().act('health.staff', call.id, 'resolve', { resolution: '初步处理' });
    const reopened = await patient().act('baofeng.staff', call.id, 'evaluate', {
      rating: 'dissatisfied',
      comment: '问题未解决',
    });
    expect(reopened.body).toMatchObject({ status: 'reopened', rating: 'dissatisfied', reworkCount: 1 });
    const reopenedRow = await callRow(call.id);
    expect(reopenedRow).toMatchObject({ to_unit_id: 'health', resolved_at: null, rework_count: 1 });
    // Signed for once already: the unit resolves again without a second 签收.
    expect((await patient().act('health.staff', call.id, 'respond')).status).toBe(409);
    expect((await patient().act('baofeng.staff', call.id, 'evaluate', { rating: 'satisfied' })).status).toBe(409);
    await waitForCall('the new resolution limit', call.id, (row) => row.resolve_due_at !== null, 10_000);

    expect((await patient().act('health.staff', call.id, 'resolve', { resolution: '彻底解决' })).body.status).toBe(
      'resolved',
    );
    const closed = await patient().act('baofeng.staff', call.id, 'evaluate', { rating: 'satisfied' });
    expect(closed.body).toMatchObject({ status: 'closed', rating: 'satisfied', reworkCount: 1 });
    expect(await auditActions(call.id)).toEqual(
      expect.arrayContaining(['call.evaluated', 'call.resolved', 'call.evaluated']),
    );
    expect((await auditActions(call.id)).filter((action) => action === 'call.resolved')).toHaveLength(2);
    expect((await notificationsOf(call.id)).filter((row) => row.kind === 'call-reopened')).toEqual([
      { kind: 'call-reopened', unit: 'health', role: null },
    ]);
  });

  it('no response: reminder, then levels 1, 2 and 3 in order, exactly once each, to the right recipients', async () => {
    const { body: call } = await fast().raise('chengguan.staff', 'transport', { urgency: 'urgent' });
    await waitForCall('level 3', call.id, (row) => row.escalation_level === 3);
    // Give a duplicate every chance to appear before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const escalations = await queryRows<{ level: number; target: string }>(
      `SELECT level, target_unit_id AS target FROM escalations WHERE subject_type = 'call' AND subject_id = $1
        ORDER BY created_at`,
      [call.id],
    );
    expect(escalations).toEqual([
      { level: 1, target: 'transport' },
      { level: 2, target: 'supervision' },
      { level: 3, target: 'leadership' },
    ]);
    const ladder = (await notificationsOf(call.id)).filter(
      (row) => row.kind.startsWith('escalation-') || row.kind === 'call-reminder',
    );
    expect(ladder).toEqual([
      { kind: 'call-reminder', unit: 'transport', role: null },
      { kind: 'escalation-level-1', unit: 'transport', role: 'head' },
      { kind: 'escalation-level-2', unit: 'supervision', role: 'supervisor' },
      { kind: 'escalation-level-3', unit: 'leadership', role: 'leader' },
    ]);
    expect((await auditActions(call.id)).filter((action) => action === 'call.escalated')).toHaveLength(3);
    expect(await callRow(call.id)).toMatchObject({ status: 'raised', escalation_level: 3, light: 'red' });

    // The queue shows the unit that is late; leaders see the level-3 one.
    type Queue = { items: Array<{ subjectId: string; level: number; levels: number[]; unitId: string | null }> };
    const queue = await stack
      .on('fast')
      .request<Queue>('GET', '/escalations?limit=500', { token: stack.token('supervisor') });
    // One item for the call (issue 18), at its highest level, having passed all three.
    expect(queue.body.items.filter((item) => item.subjectId === call.id)).toEqual([
      expect.objectContaining({ level: 3, levels: [3, 2, 1], unitId: 'transport' }),
    ]);
    const leaderQueue = await stack.on('fast').request<Queue>('GET', '/escalations?limit=500', {
      token: stack.token('leader'),
    });
    expect(leaderQueue.body.items.filter((item) => item.subjectId === call.id).map((item) => item.level)).toEqual([3]);

    // A late response still counts as a response, and the resolution clock starts from it.
    expect((await fast().act('transport.staff', call.id, 'respond')).body.status).toBe('responded');
  });

  it('an unevaluated resolved call closes itself as 满意 by default, marked so', async () => {
    const { body: call } = await fast().raise('baofeng.staff', 'housing');
    await fast().act('housing.staff', call.id, 'respond');
    await fast().act('housing.staff', call.id, 'resolve', { resolution: '已处理' });
    const row = await waitForCall('the auto-close', call.id, (current) => current.status === 'closed');
    expect(row).toMatchObject({ rating: 'satisfied', auto_closed: true, evaluated_at: null, rework_count: 0 });
    expect((row.closed_at as Date).getTime()).toBeGreaterThanOrEqual((row.resolved_at as Date).getTime() + 3000);
    expect((await auditActions(call.id)).filter((action) => action === 'call.auto-closed')).toHaveLength(1);
    expect((await notificationsOf(call.id)).filter((item) => item.kind === 'call-auto-closed')).toEqual([
      { kind: 'call-auto-closed', unit: 'baofeng', role: null },
      { kind: 'call-auto-closed', unit: 'housing', role: null },
    ]);
    // Too late to evaluate now.
    expect((await fast().act('baofeng.staff', call.id, 'evaluate', { rating: 'dissatisfied' })).status).toBe(409);
    const result = await stack.temporal.workflow.getHandle(callWorkflowId(call.id)).result();
    expect(result).toMatchObject({ status: 'closed', autoClosed: true, rating: 'satisfied' });
  });

  it('the supervision office reassigns an escalated call (转办) to another county unit, which must respond afresh', async () => {
    const { body: call } = await fast().raise('chengguan.staff', 'transport');
    await waitForCall('level 2', call.id, (row) => (row.escalation_level as number) >= 2);
    type Queue = { items: Array<{ id: string; subjectId: string; level: number }> };
    const queue = await stack
      .on('fast')
      .request<Queue>('GET', '/escalations?limit=500', { token: stack.token('supervisor') });
    const item = queue.body.items.find((candidate) => candidate.subjectId === call.id)!;
    const handle = (body: Record<string, string>, who = 'supervisor') =>
      stack.on('fast').request<{ action: string; code?: string }>('POST', `/escalations/${item.id}/handle`, {
        token: stack.token(who),
        body,
      });

    const rowBefore = await callRow(call.id);
    expect((await handle({ action: 'reassign', note: '转办' })).status).toBe(400); // names no unit
    expect((await handle({ action: 'reassign', note: '转办', toUnitId: 'baofeng' })).status).toBe(400); // township
    expect((await handle({ action: 'reassign', note: '转办', toUnitId: 'transport' })).status).toBe(400); // same unit
    expect((await handle({ action: 'reassign', note: '转办', toUnitId: 'health' }, 'transport.staff')).status).toBe(
      403,
    );
    expect((await callRow(call.id)).to_unit_id).toBe(rowBefore.to_unit_id);

    const reassigned = await handle({ action: 'reassign', note: '职责属卫健部门，转办', toUnitId: 'health' });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.action).toBe('reassign');
    const row = await callRow(call.id);
    expect(row).toMatchObject({ to_unit_id: 'health', status: 'raised', responded_at: null });
    expect((row.assigned_at as Date).getTime()).toBeGreaterThan((row.raised_at as Date).getTime());
    expect((await handle({ action: 'flag', note: 'again' })).status).toBe(409); // handled once

    // The old unit has lost it; the new one signs for it.
    expect((await fast().act('transport.staff', call.id, 'respond')).status).toBe(403);
    expect((await fast().act('health.staff', call.id, 'respond')).body.status).toBe('responded');
    expect((await notificationsOf(call.id)).filter((item) => item.kind.startsWith('call-re'))).toEqual(
      expect.arrayContaining([
        { kind: 'call-received', unit: 'health', role: null },
        { kind: 'call-reassigned', unit: 'transport', role: null },
        { kind: 'call-reassigned', unit: 'chengguan', role: null },
      ]),
    );
    const audit = await queryRows<{ action: string; payload: { from?: string; to?: string } }>(
      `SELECT action, payload FROM audit_events WHERE subject_id = $1 AND action IN ('call.reassigned','escalation.reassign')`,
      [call.id],
    );
    expect(audit.map((event) => event.action).sort()).toEqual(['call.reassigned', 'escalation.reassign']);
    expect(audit.find((event) => event.action === 'call.reassigned')!.payload).toMatchObject({
      from: 'transport',
      to: 'health',
    });
  });

  it('the supervision office extends a call’s running limit and flags it (挂牌督办) from its escalations', async () => {
    // Two calls: handling an item answers all its levels (issue 18), so each handling gets a call of its own.
    const { body: flaggedCall } = await fast().raise('baofeng.staff', 'housing');
    const { body: call } = await fast().raise('baofeng.staff', 'housing');
    await waitForCall('level 2', flaggedCall.id, (row) => (row.escalation_level as number) >= 2);
    await waitForCall('level 2', call.id, (row) => (row.escalation_level as number) >= 2);
    type Queue = { items: Array<{ id: string; subjectId: string; level: number }> };
    const queue = await stack
      .on('fast')
      .request<Queue>('GET', '/escalations?limit=500', { token: stack.token('supervisor') });
    const itemOf = (callId: string) => queue.body.items.find((item) => item.subjectId === callId)!;
    const flagged = await stack.on('fast').request('POST', `/escalations/${itemOf(flaggedCall.id).id}/handle`, {
      token: stack.token('supervisor'),
      body: { action: 'flag', note: '挂牌督办' },
    });
    expect(flagged.status).toBe(200);
    expect((await fast().get(flaggedCall.id)).flagged).toBe(true);
    expect((await notificationsOf(flaggedCall.id)).filter((item) => item.kind === 'call-flagged')).toEqual([
      { kind: 'call-flagged', unit: 'housing', role: 'head' },
    ]);
    const flaggedRows = await queryRows<{ level: number; action: string }>(
      'SELECT level, action FROM escalations WHERE subject_id = $1 AND level <= 2 ORDER BY level',
      [flaggedCall.id],
    );
    expect(flaggedRows).toEqual([
      { level: 1, action: 'flag' },
      { level: 2, action: 'flag' },
    ]);

    const dueAt = new Date(Date.now() + 3_600_000).toISOString();
    const extended = await stack.on('fast').request('POST', `/escalations/${itemOf(call.id).id}/handle`, {
      token: stack.token('supervisor'),
      body: { action: 'extend', note: '同意延期', dueAt },
    });
    expect(extended.status).toBe(200);
    const row = await callRow(call.id);
    expect((row.respond_due_at as Date).toISOString()).toBe(dueAt);
    expect(row).toMatchObject({ escalation_level: 0, light: 'green', status: 'raised' });
    // The moved limit removed the cause of every escalation still open: none is left in the queue, and the item
    // handled keeps what the office did.
    const handled = await queryRows<{ id: string; action: string | null }>(
      'SELECT id, action FROM escalations WHERE subject_id = $1',
      [call.id],
    );
    expect(handled.find((escalation) => escalation.id === itemOf(call.id).id)?.action).toBe('extend');
    expect(handled.every((escalation) => escalation.action !== null)).toBe(true);
    // With the limit an hour away, nothing further escalates.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await callRow(call.id)).escalation_level).toBe(0);
    expect(
      (await stack.on('fast').request('GET', '/audit/verify', { token: stack.token('supervisor') })).body,
    ).toMatchObject({
      ok: true,
    });
  });
});
