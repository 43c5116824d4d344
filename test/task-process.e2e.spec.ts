import { temporal as temporal_proto } from '@temporalio/proto';
import { Client as PgClient } from 'pg';
import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { ImportedAssignment, ONE_TASK_LIST_USERS, request, useStack, waitFor } from '@county/test-kit';

type Assignment = ImportedAssignment;

describe('the task process, end to end (HTTP → workflow update → projection)', () => {
  const stack = useStack({
    worker: true,
    users: [...ONE_TASK_LIST_USERS, 'civil-affairs.head', 'finance.head'],
    plan: {},
    histories: ({ plan, assignmentOf }) => ({
      'task-happy-path': taskWorkflowId(plan.id, 1),
      // Recorded after the assignments-started-together patch: the older task-happy-path replays the sequential starts.
      'task-assignments-started-together': taskWorkflowId(plan.id, 1),
      'assignment-approved': assignmentWorkflowId(assignmentOf('finance').id),
      'assignment-returned-resubmitted': assignmentWorkflowId(assignmentOf('civil-affairs').id),
    }),
  });

  const assignmentOf = (unitId: string) => stack.assignmentOf(unitId);
  const act = (who: string, assignment: Assignment, action: string, body: unknown = {}) =>
    stack.assignments.act(who, assignment.id, action, body);
  /** Update events in a workflow's history (its timers and activities add other events on their own). */
  const updateEvents = async (workflowId: string) =>
    ((await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((event) =>
      (temporal_proto.api.enums.v1.EventType[event.eventType ?? 0] ?? '').includes('UPDATE'),
    ).length;
  const dbStatus = (assignment: Assignment) => stack.assignments.status(assignment.id);

  it('a unit cannot act on another unit’s assignment: 403, and nothing reaches the workflow history', async () => {
    const finance = assignmentOf('finance');
    const before = await updateEvents(assignmentWorkflowId(finance.id));
    for (const action of ['acknowledge', 'submit']) {
      const response = await act(
        'civil-affairs.staff',
        finance,
        action,
        action === 'submit' ? { summary: 'x', evidence: [] } : {},
      );
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    // Only a lead unit head signs off: the responsible unit's own head cannot approve.
    expect((await act('civil-affairs.head', assignmentOf('civil-affairs'), 'approve')).status).toBe(403);
    expect((await act('approval.staff', finance, 'approve')).status).toBe(403);
    expect(await updateEvents(assignmentWorkflowId(finance.id))).toBe(before);
    expect(await dbStatus(finance)).toBe('assigned');
  });

  it('acknowledge → progress → submit → approve, each answered after the read model has it', async () => {
    const finance = assignmentOf('finance');
    type Inbox = { items: Array<{ kind: string; assignmentId: string | null }> };
    const inbox = async (who: string) =>
      (await request<Inbox>(stack.baseUrl, 'GET', '/inbox?limit=500', { token: stack.token(who) })).body.items;
    expect(await inbox('finance.staff')).toContainEqual(
      expect.objectContaining({ kind: 'work', assignmentId: finance.id }),
    );
    const updatesBefore = await updateEvents(assignmentWorkflowId(finance.id));
    expect((await act('finance.staff', finance, 'acknowledge', { note: '已签收' })).body.status).toBe('acknowledged');
    // The control for the 403 test: an accepted update does show in the history.
    expect(await updateEvents(assignmentWorkflowId(finance.id))).toBeGreaterThan(updatesBefore);
    expect(await dbStatus(finance)).toBe('acknowledged');
    expect((await act('finance.staff', finance, 'progress', { note: '过半', percent: 50 })).body.status).toBe(
      'in-progress',
    );
    expect(
      (await act('finance.staff', finance, 'submit', { summary: '已完成', evidence: ['附件1'] })).body.status,
    ).toBe('submitted');
    expect(await dbStatus(finance)).toBe('submitted');
    // The report now waits for the lead unit's head, and no longer for the responsible unit.
    expect(await inbox('approval.head')).toContainEqual(
      expect.objectContaining({ kind: 'review', assignmentId: finance.id }),
    );
    expect(await inbox('approval.staff')).not.toContainEqual(expect.objectContaining({ kind: 'review' }));
    expect(await inbox('finance.staff')).not.toContainEqual(expect.objectContaining({ assignmentId: finance.id }));
    const approved = await act('approval.head', finance, 'approve', { comment: '同意' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(await dbStatus(finance)).toBe('approved');
  });

  it('approving twice gets 409', async () => {
    const second = await act('approval.head', assignmentOf('finance'), 'approve', { comment: '再次同意' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('CONFLICT');
  });

  it('a repeated request with the same Idempotency-Key returns the first answer and changes nothing', async () => {
    const lead = assignmentOf('approval');
    const workflowId = assignmentWorkflowId(lead.id);
    const before = await updateEvents(workflowId);
    const send = (note: string) =>
      request<{ status: string }>(stack.baseUrl, 'POST', `/assignments/${lead.id}/acknowledge`, {
        token: stack.token('approval.staff'),
        body: { note },
        headers: { 'idempotency-key': `ack-${lead.id}` },
      });
    const first = await send('签收');
    const second = await send('签收');
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    // Without the key the same request is a second acknowledgement: refused, as the state has moved on.
    const withoutKey = await request(stack.baseUrl, 'POST', `/assignments/${lead.id}/acknowledge`, {
      token: stack.token('approval.staff'),
      body: { note: '签收' },
    });
    expect(withoutKey.status).toBe(409);
    const reused = await send('另一个请求');
    expect({ status: reused.status, body: reused.body }).toMatchObject({
      status: 422,
      body: { code: 'IDEMPOTENCY_KEY_REUSED' },
    });
    const updatesAdded = (await updateEvents(workflowId)) - before;
    expect(updatesAdded).toBeGreaterThan(0);
    // One accepted update writes the same number of events however often the key is repeated.
    const again = await send('签收');
    expect(again.body).toEqual(first.body);
    expect((await updateEvents(workflowId)) - before).toBe(updatesAdded);
  });

  it('return with a reason, resubmit, approve; then consolidate and close the task', async () => {
    const civil = assignmentOf('civil-affairs');
    await act('civil-affairs.staff', civil, 'acknowledge');
    await act('civil-affairs.staff', civil, 'submit', { summary: '初稿', evidence: [] });
    const returned = await act('approval.head', civil, 'return', { reason: '请补充佐证材料' });
    expect(returned.body.status).toBe('returned');
    expect((await act('approval.head', civil, 'return', { reason: 'again' })).status).toBe(409);
    await act('civil-affairs.staff', civil, 'submit', { summary: '补充后', evidence: ['佐证.pdf'] });
    expect((await act('approval.head', civil, 'approve')).body.status).toBe('approved');

    const taskId = stack.plan.tasks[0].id;
    const taskStatus = async () =>
      (
        await request<{ status: string }>(stack.baseUrl, 'GET', `/tasks/${taskId}`, {
          token: stack.token('supervisor'),
        })
      ).body.status;
    await waitFor(
      'the task to await consolidation',
      async () => (await taskStatus()) === 'awaiting-consolidation',
      20_000,
    );

    expect(
      (await request(stack.baseUrl, 'POST', `/tasks/${taskId}/close`, { token: stack.token('supervisor'), body: {} }))
        .status,
    ).toBe(409);
    expect(
      (
        await request(stack.baseUrl, 'POST', `/tasks/${taskId}/consolidate`, {
          token: stack.token('finance.staff'),
          body: { summary: 'x' },
        })
      ).status,
    ).toBe(403);
    const consolidated = await request<{ status: string }>(stack.baseUrl, 'POST', `/tasks/${taskId}/consolidate`, {
      token: stack.token('approval.head'),
      body: { summary: '各责任单位均已完成' },
    });
    expect(consolidated.body.status).toBe('awaiting-verification');
    const closed = await request<{ status: string }>(stack.baseUrl, 'POST', `/tasks/${taskId}/close`, {
      token: stack.token('supervisor'),
      body: { comment: '销号' },
    });
    expect(closed.body.status).toBe('closed');
    expect(await taskStatus()).toBe('closed');
    await stack.temporal.workflow.getHandle(taskWorkflowId(stack.plan.id, 1)).result();
  });

  it('shows a unit its own notifications, and only the unit may mark them read', async () => {
    const list = await request<{
      items: Array<{ id: string; kind: string; subjectId: string; readAt: string | null; link: string }>;
    }>(stack.baseUrl, 'GET', '/notifications?unread=true&limit=200', { token: stack.token('finance.staff') });
    const mine = list.body.items.filter((item) => item.subjectId === assignmentOf('finance').id);
    expect(mine.map((item) => item.kind).sort()).toEqual(['report-approved', 'task-assigned']);
    // An assignment's notification leads to its task in the console (the read model joins for the task id).
    expect(mine.map((item) => item.link)).toEqual(mine.map(() => `/tasks/${stack.plan.tasks[0].id}`));
    const target = mine[0];
    expect(
      (
        await request(stack.baseUrl, 'POST', `/notifications/${target.id}/read`, {
          token: stack.token('civil-affairs.staff'),
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await request(stack.baseUrl, 'POST', `/notifications/${target.id}/read`, {
          token: stack.token('finance.staff'),
        })
      ).status,
    ).toBe(204);
    const after = await request<{ items: Array<{ id: string }> }>(
      stack.baseUrl,
      'GET',
      '/notifications?unread=true&limit=200',
      {
        token: stack.token('finance.staff'),
      },
    );
    expect(after.body.items.map((item) => item.id)).not.toContain(target.id);
    // Read state is per user: the colleague who did not open it still has it unread, with the badge counting it.
    type Listing = { items: Array<{ id: string; readAt: string | null }>; unreadCount: number };
    const listing = async (who: string) =>
      (await request<Listing>(stack.baseUrl, 'GET', '/notifications?limit=200', { token: stack.token(who) })).body;
    const badge = async (who: string) =>
      (
        await request<{ unreadCount: number }>(stack.baseUrl, 'GET', '/notifications/unread-count', {
          token: stack.token(who),
        })
      ).body.unreadCount;
    const colleague = await listing('finance.head');
    expect(colleague.items.find((item) => item.id === target.id)?.readAt).toBeNull();
    expect((await listing('finance.staff')).items.find((item) => item.id === target.id)?.readAt).toEqual(
      expect.any(String),
    );
    expect(await badge('finance.head')).toBe(colleague.unreadCount);
    expect(colleague.unreadCount).toBeGreaterThan(0);
    const markedAll = await request<{ marked: number }>(stack.baseUrl, 'POST', '/notifications/read-all', {
      token: stack.token('finance.staff'),
    });
    expect(markedAll.status).toBe(200);
    expect(markedAll.body.marked).toBeGreaterThan(0);
    expect(await badge('finance.staff')).toBe(0);
    expect(await badge('finance.head')).toBe(colleague.unreadCount);
    // Marking read twice is harmless and changes nothing.
    expect(
      (
        await request(stack.baseUrl, 'POST', `/notifications/${target.id}/read`, {
          token: stack.token('finance.staff'),
        })
      ).status,
    ).toBe(204);
    // Heads see what is addressed to heads (the report waiting for sign-off); staff of the same unit do not.
    const headView = await request<{ items: Array<{ kind: string }> }>(
      stack.baseUrl,
      'GET',
      '/notifications?limit=200',
      {
        token: stack.token('approval.head'),
      },
    );
    const staffView = await request<{ items: Array<{ kind: string }> }>(
      stack.baseUrl,
      'GET',
      '/notifications?limit=200',
      { token: stack.token('approval.staff') },
    );
    expect(headView.body.items.some((item) => item.kind === 'report-submitted')).toBe(true);
    expect(staffView.body.items.some((item) => item.kind === 'report-submitted')).toBe(false);
  });

  it('wrote each notification exactly once and kept the audit chain intact', async () => {
    const db = new PgClient({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const ids = stack.plan.tasks[0].assignments.map((assignment) => assignment.id);
      const { rows } = await db.query(
        `SELECT recipient_unit_id AS unit, kind, count(*)::int AS n FROM notifications WHERE subject_id = ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`,
        [ids],
      );
      expect(rows).toEqual([
        { unit: 'approval', kind: 'report-submitted', n: 3 },
        { unit: 'approval', kind: 'task-assigned', n: 1 },
        { unit: 'civil-affairs', kind: 'report-approved', n: 1 },
        { unit: 'civil-affairs', kind: 'report-returned', n: 1 },
        { unit: 'civil-affairs', kind: 'task-assigned', n: 1 },
        { unit: 'finance', kind: 'report-approved', n: 1 },
        { unit: 'finance', kind: 'task-assigned', n: 1 },
      ]);
    } finally {
      await db.end();
    }
    expect(
      (await request(stack.baseUrl, 'GET', '/audit/verify', { token: stack.token('supervisor') })).body,
    ).toMatchObject({
      ok: true,
    });
  });
});
