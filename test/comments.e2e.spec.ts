import { createHash } from 'node:crypto';
import { callWorkflowId } from '@county/workflows';
import { callPolicy, LEVEL_1_AT_DEADLINE, queryRows, useStack, waitFor, waitForCall } from '@county/test-kit';

interface Comment {
  id: string;
  kind: string;
  body: string;
  subjectType: string;
  taskId: string | null;
  mentionedUnitIds: string[];
  authorName: string;
  authorUnitId: string;
  authorUnitName: string;
}
interface Notification {
  kind: string;
  title: string;
  body: string;
  subjectId: string;
}
interface Problem {
  code: string;
  detail: string;
}

/**
 * Comments and 领导批示 (issue 16): a thread on each task, assignment and call where its participants write and name
 * units (each named unit is notified); a leader's 批示 on a task or an escalation is pinned on the task, notified
 * to its units, and carried by the escalation's 挂牌督办.
 */
describe('comments and 领导批示', () => {
  let flaggedCallId: string | undefined;
  const stack = useStack({
    worker: true,
    // Level 1 the moment a deadline passes (levels 2 and 3 well after the suite); a call escalates 2 s after it
    // is raised unanswered.
    plan: { policy: LEVEL_1_AT_DEADLINE },
    apiEnv: { CALL_POLICY: callPolicy({ respond: 2, resolve: 600, ladder: [0, 600, 1200], autoClose: 600 }) },
    users: ['supervisor', 'leader', 'finance.staff', 'approval.head'],
    histories: () => ({ 'call-flagged-with-instruction': flaggedCallId && callWorkflowId(flaggedCallId) }),
  });
  const task = () => stack.plan.tasks[0];
  const finance = () => stack.assignmentOf('finance');
  const commentCount = async () => (await queryRows<{ n: number }>('SELECT count(*)::int AS n FROM comments'))[0].n;
  const notificationsOf = async (who: string, kind: string) =>
    (await stack.as<{ items: Notification[] }>(who, 'GET', `/notifications?kind=${kind}`)).body.items;

  it('a responsible unit writes on its assignment naming the lead unit: the lead head is notified, both read it', async () => {
    const written = await stack.as<Comment>('finance.staff', 'POST', `/assignments/${finance().id}/comments`, {
      body: '财政资金拨付需审批局先确认代办清单，请协调。',
      mentionedUnitIds: ['approval'],
    });
    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({
      kind: 'comment',
      subjectType: 'assignment',
      taskId: task().id,
      mentionedUnitIds: ['approval'],
      authorName: '县财政局工作人员',
      authorUnitId: 'finance',
      authorUnitName: '县财政局',
    });

    const mentions = await notificationsOf('approval.head', 'comment-mention');
    expect(mentions.find((item) => item.subjectId === finance().id)).toMatchObject({
      title: expect.stringContaining('提到了贵单位'),
      body: '财政资金拨付需审批局先确认代办清单，请协调。',
    });
    for (const reader of ['approval.head', 'finance.staff', 'supervisor', 'leader']) {
      const thread = await stack.as<{ items: Comment[] }>(reader, 'GET', `/assignments/${finance().id}/comments`);
      expect({ reader, status: thread.status, ids: thread.body.items.map((item) => item.id) }).toEqual({
        reader,
        status: 200,
        ids: [written.body.id],
      });
    }
    const audit = await queryRows<{ action: string; payload: Record<string, unknown> }>(
      `SELECT action, payload FROM audit_events WHERE subject_id = $1 AND action = 'assignment.commented'`,
      [finance().id],
    );
    expect(audit).toEqual([
      {
        action: 'assignment.commented',
        payload: expect.objectContaining({
          commentId: written.body.id,
          mentionedUnitIds: ['approval'],
          bodySha256: createHash('sha256').update('财政资金拨付需审批局先确认代办清单，请协调。').digest('hex'),
        }),
      },
    ]);
    // The task's timeline, which any user reads, records the comment without its text.
    const timeline = await stack.tasks.get<{ timeline: Array<{ action: string; payload: Record<string, unknown> }> }>(
      task().id,
      'housing.staff',
    );
    const event = timeline.body.timeline.find((item) => item.action === 'assignment.commented');
    expect(event?.payload.body).toBeUndefined();
    expect(JSON.stringify(timeline.body)).not.toContain('财政资金拨付');
  });

  it('refuses outsiders to read or write (403): another unit, a unit of the task outside this assignment, an admin', async () => {
    const before = await commentCount();
    for (const outsider of ['housing.staff', 'civil-affairs.staff', 'admin']) {
      const read = await stack.as<Problem>(outsider, 'GET', `/assignments/${finance().id}/comments`);
      const write = await stack.as<Problem>(outsider, 'POST', `/assignments/${finance().id}/comments`, {
        body: '我来说两句',
      });
      expect({ outsider, read: read.status, write: write.status }).toEqual({ outsider, read: 403, write: 403 });
      expect(write.body.detail).toContain('只有参与这项工作的单位');
    }
    expect((await stack.as('housing.staff', 'GET', `/tasks/${task().id}/comments`)).status).toBe(403);
    // 县民政局 does its part of the task: the task's thread is its to read and write.
    expect((await stack.as('civil-affairs.staff', 'GET', `/tasks/${task().id}/comments`)).status).toBe(200);
    expect(await commentCount()).toBe(before);
  });

  it('refuses naming a unit that takes no part (422, naming it), and unstorable or empty text (400): nothing stored', async () => {
    const before = await commentCount();
    const outsider = await stack.as<Problem>('finance.staff', 'POST', `/assignments/${finance().id}/comments`, {
      body: '请住建局配合',
      mentionedUnitIds: ['approval', 'housing'],
    });
    expect(outsider.status).toBe(422);
    expect(outsider.body).toMatchObject({
      code: 'MENTION_NOT_PARTICIPANT',
      detail: expect.stringContaining('县住建局'),
    });
    for (const body of [
      { body: `含有\u0000字符` },
      { body: '   ' },
      { body: '长'.repeat(5001) },
      { body: '多余字段', authorUnitId: 'supervision' },
      { body: '重复提及', mentionedUnitIds: ['approval', 'approval'] },
    ]) {
      const refused = await stack.as<Problem>('finance.staff', 'POST', `/assignments/${finance().id}/comments`, body);
      expect({ body: JSON.stringify(body).slice(0, 40), status: refused.status }).toEqual({
        body: JSON.stringify(body).slice(0, 40),
        status: 400,
      });
    }
    const nul = await stack.as('leader', 'POST', `/tasks/${task().id}/instructions`, { body: `批示\u0000` });
    expect(nul.status).toBe(400);
    expect(await commentCount()).toBe(before);
  });

  it('a leader’s 批示 on the task is pinned on it and reaches every unit of the task; only leaders write one', async () => {
    for (const who of ['supervisor', 'approval.head', 'finance.staff']) {
      const refused = await stack.as(who, 'POST', `/tasks/${task().id}/instructions`, { body: '我也批示' });
      expect({ who, status: refused.status }).toEqual({ who, status: 403 });
    }
    const text = '代办服务是便民关键，请审批局牵头，六月底前全部行政村覆盖。';
    const written = await stack.as<Comment>('leader', 'POST', `/tasks/${task().id}/instructions`, { body: text });
    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({ kind: 'instruction', subjectType: 'task', taskId: task().id });

    // A staff member of a responsible unit sees it on the task page, with the leader's name and unit.
    const seen = await stack.tasks.get<{ instructions: Comment[] }>(task().id, 'finance.staff');
    expect(seen.body.instructions).toEqual([
      expect.objectContaining({ id: written.body.id, body: text, authorName: '县领导', authorUnitName: '县领导' }),
    ]);
    const notified = await queryRows<{ unit: string }>(
      `SELECT recipient_unit_id AS unit FROM notifications WHERE kind = 'leader-instruction' AND subject_id = $1
        ORDER BY recipient_unit_id`,
      [task().id],
    );
    expect(notified.map((row) => row.unit)).toEqual(['approval', 'civil-affairs', 'finance']);
    expect((await notificationsOf('finance.staff', 'leader-instruction'))[0]).toMatchObject({
      title: '县领导批示：完善村级代办服务机制',
      body: text,
    });
  });

  it('a 批示 on an assignment’s escalation is pinned on the escalation and the task, and its 挂牌督办 carries it', async () => {
    expect((await stack.tasks.changeDeadline(task().id, new Date(Date.now() + 2_000), '测试：到期升级')).status).toBe(
      200,
    );
    type Queue = { items: Array<{ id: string; subjectId: string; level: number; instructions: Comment[] }> };
    let found: Queue['items'][number] | undefined;
    await waitFor(
      'the level-1 escalation of 县财政局',
      async () => {
        const queue = await stack.escalations.list<Queue>('limit=500');
        found = queue.body.items.find((item) => item.subjectId === finance().id);
        return found !== undefined;
      },
      30_000,
      250,
    );
    const escalation = found!;
    const text = '财政局要把资金保障放在前面，督查室挂牌跟踪。';
    const refused = await stack.as('supervisor', 'POST', `/escalations/${escalation.id}/instructions`, { body: text });
    expect(refused.status).toBe(403);
    const written = await stack.as<Comment>('leader', 'POST', `/escalations/${escalation.id}/instructions`, {
      body: text,
    });
    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({ subjectType: 'escalation', taskId: task().id });

    const queue = await stack.escalations.list<Queue>('limit=500');
    // The item carries the 批示 written on any of its levels (a higher one may have been raised meanwhile).
    expect(
      queue.body.items.find((item) => item.subjectId === finance().id)?.instructions.map((item) => item.body),
    ).toEqual([text]);
    const pinned = await stack.tasks.get<{ instructions: Comment[] }>(task().id, 'finance.staff');
    expect(pinned.body.instructions[0]).toMatchObject({ id: written.body.id, body: text }); // newest first
    expect(pinned.body.instructions).toHaveLength(2);

    const flagged = await stack.escalations.handle('supervisor', escalation.id, { action: 'flag', note: '挂牌督办' });
    expect(flagged.status).toBe(200);
    const notices = await notificationsOf('finance.head', 'escalation-flagged');
    expect(notices.find((item) => item.subjectId === finance().id)?.body).toContain(`县领导批示：${text}`);
  });

  it('a call’s thread is its two units’; a 批示 on its escalation reaches both, and its 挂牌督办 notice carries it', async () => {
    const raised = await stack.calls.raise('chengguan.staff', 'housing');
    expect(raised.status).toBe(201);
    const callId = raised.body.id;
    flaggedCallId = callId;
    const written = await stack.as<Comment>('chengguan.staff', 'POST', `/calls/${callId}/comments`, {
      body: '现场情况已拍照，请住建局尽快派人。',
      mentionedUnitIds: ['housing'],
    });
    expect(written.status).toBe(201);
    expect(written.body.taskId).toBeNull();
    expect((await notificationsOf('housing.staff', 'comment-mention')).map((item) => item.subjectId)).toContain(callId);
    expect((await stack.as('baofeng.staff', 'GET', `/calls/${callId}/comments`)).status).toBe(403);
    expect((await stack.as('housing.head', 'GET', `/calls/${callId}/comments`)).status).toBe(200);

    await waitForCall('the level-1 escalation', callId, (row) => (row.escalation_level as number) >= 1, 20_000);
    type Queue = { items: Array<{ id: string; subjectId: string }> };
    const escalation = (await stack.escalations.list<Queue>('limit=500')).body.items.find(
      (item) => item.subjectId === callId,
    )!;
    const text = '群众急事，住建局今天必须响应。';
    expect(
      (await stack.as('leader', 'POST', `/escalations/${escalation.id}/instructions`, { body: text })).status,
    ).toBe(201);
    const told = await queryRows<{ unit: string }>(
      `SELECT recipient_unit_id AS unit FROM notifications WHERE kind = 'leader-instruction' AND subject_id = $1
        ORDER BY recipient_unit_id`,
      [callId],
    );
    expect(told.map((row) => row.unit)).toEqual(['chengguan', 'housing']);

    expect((await stack.escalations.handle('supervisor', escalation.id, { action: 'flag', note: '挂牌' })).status).toBe(
      200,
    );
    await waitFor(
      'the flag notice with the 批示',
      async () =>
        (await notificationsOf('housing.head', 'call-flagged')).some(
          (item) => item.subjectId === callId && item.body.includes(`县领导批示：${text}`),
        ),
      15_000,
    );
  });

  it('repeats a write under the same Idempotency-Key once, keeps comments append-only, and the audit chain verifies', async () => {
    const before = await commentCount();
    const headers = { 'idempotency-key': `comment-${Date.now()}` };
    const send = () =>
      stack.as<Comment>('approval.head', 'POST', `/tasks/${task().id}/comments`, { body: '收到，本周推进。' }, headers);
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(await commentCount()).toBe(before + 1);
    // The application's own database role cannot rewrite what was said.
    await expect(
      queryRows(`SET ROLE county_app; UPDATE comments SET body = 'x' WHERE id = '${first.body.id}'`),
    ).rejects.toThrow(/permission denied/);
    expect((await stack.as('supervisor', 'GET', '/audit/verify')).body).toMatchObject({ ok: true });
  });
});
