import { addUnitUpdate, assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import {
  assignmentOf as kitAssignmentOf,
  ImportedPlan,
  importAndStart,
  ONE_TASK_LIST,
  queryRows,
  request,
  RunningWorker,
  startWorker,
  useStack,
  waitFor,
} from '@county/test-kit';

/**
 * Issue 12 (harden the write path), on the real stack: one character from any user must not wedge an item,
 * acting right after an import must not be told the item is finished, calls go only where they can be
 * answered, and a change the database refuses anyway is recorded instead of retried for ever.
 */
describe('the write path: nothing a user sends can wedge a process', () => {
  const stack = useStack({ worker: true, plan: {} });
  const token = (username: string) => stack.login(username);
  const assignmentOf = (unitId: string, of?: ImportedPlan) =>
    of ? kitAssignmentOf(of, unitId) : stack.assignmentOf(unitId);
  const statusOf = async (assignmentId: string) =>
    (await queryRows<{ status: string }>('SELECT status FROM assignments WHERE id = $1', [assignmentId]))[0].status;

  it("a lead unit's head cannot wedge another unit's assignment with a NUL in an approval comment", async () => {
    const finance = assignmentOf('finance');
    const act = async (who: string, action: string, body: unknown) =>
      request<{ status: string; code?: string; detail?: string }>(
        stack.baseUrl,
        'POST',
        `/assignments/${finance.id}/${action}`,
        { token: await token(who), body },
      );
    expect((await act('finance.staff', 'acknowledge', {})).status).toBe(200);
    expect((await act('finance.staff', 'submit', { summary: '已完成', evidence: [] })).body.status).toBe('submitted');

    for (const comment of ['同意\u0000', '同意\ud800']) {
      const started = Date.now();
      const refused = await act('approval.head', 'approve', { comment });
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toContain('comment');
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    // Still actionable: the real approval goes through at once.
    const approved = await act('approval.head', 'approve', { comment: '同意' });
    expect(approved.body.status).toBe('approved');
  });

  it('a NUL in a task-level reason is refused and the whole task stays actionable', async () => {
    const task = stack.plan.tasks[0].id;
    const supervisor = await token('supervisor');
    for (const [path, body] of [
      ['deadline', { dueAt: new Date(Date.now() + 86_400_000).toISOString(), reason: '调整\u0000' }],
      ['cancel', { reason: '撤销\ud800' }],
      ['units', { unitId: 'market-regulation', reason: '加签\u0000' }],
    ] as const) {
      const refused = await request(stack.baseUrl, 'POST', `/tasks/${task}/${path}`, { token: supervisor, body });
      expect({ path, status: refused.status }).toEqual({ path, status: 400 });
    }
    const added = await request<{ assignmentId: string }>(stack.baseUrl, 'POST', `/tasks/${task}/units`, {
      token: supervisor,
      body: { unitId: 'market-regulation', reason: '涉及市场监管职能' },
    });
    expect(added.status).toBe(200);
  });

  it('a call whose subject cannot be stored is refused at once (it used to never answer)', async () => {
    const started = Date.now();
    const refused = await request(stack.baseUrl, 'POST', '/calls', {
      token: await token('chengguan.staff'),
      body: { toUnitId: 'justice', subject: '法律\u0000审核', description: '村规民约', urgency: 'normal' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('subject');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('query filters with a NUL answer 400, not 500', async () => {
    for (const path of ['/tasks?unitId=a%00b', '/calls?toUnitId=%00', `/audit?subjectId=x%00`]) {
      const response = await request(stack.baseUrl, 'GET', path, { token: await token('supervisor') });
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
    }
  });

  describe('calls go only to county units that can answer them (finding 10)', () => {
    it.each([
      ['leadership', '县领导'],
      ['supervision', '县委督查室'],
      ['baofeng', 'another township'],
    ])('refuses a call to %s (%s) and raises nothing', async (toUnitId) => {
      const before = await queryRows('SELECT id FROM calls');
      const refused = await request(stack.baseUrl, 'POST', '/calls', {
        token: await token('chengguan.staff'),
        body: { toUnitId, subject: '请求协调', description: '需要县级协调', urgency: 'normal' },
      });
      expect(refused.status).toBe(400);
      expect(await queryRows('SELECT id FROM calls')).toHaveLength(before.length);
    });

    it("refuses a call citing another township's assignment, accepts one citing its own", async () => {
      const townships = await importAndStart(
        stack.api,
        await token('supervisor'),
        ONE_TASK_LIST.replace('县财政局、县民政局', '城关镇、宝丰镇'),
      );
      const raise = async (relatedAssignmentId: string) =>
        request<{ id: string; relatedAssignmentId: string }>(stack.baseUrl, 'POST', '/calls', {
          token: await token('chengguan.staff'),
          body: {
            toUnitId: 'justice',
            subject: '法律审核',
            description: '村规民约',
            urgency: 'normal',
            relatedAssignmentId,
          },
        });
      const foreign = await raise(assignmentOf('baofeng', townships).id);
      expect(foreign.status).toBe(400);
      expect(foreign.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      const own = await raise(assignmentOf('chengguan', townships).id);
      expect(own.status).toBe(201);
      expect(own.body.relatedAssignmentId).toBe(assignmentOf('chengguan', townships).id);
    });
  });

  it('a change the database refuses anyway is recorded once, the admins are told once, and the task stays actionable', async () => {
    // Past the API (which checks the registry), straight to Temporal: a unit that does not exist. The
    // workflow cannot know the registry; the database refuses the new assignment (foreign key).
    const [supervisor] = await queryRows<{ id: string }>(`SELECT id FROM users WHERE username = 'supervisor'`);
    const handle = stack.temporal.workflow.getHandle(taskWorkflowId(stack.plan.id, 1));
    const added = await handle.executeUpdate(addUnitUpdate, {
      args: [
        {
          actor: { userId: supervisor.id, unitId: 'supervision', roles: ['supervisor'] },
          unitId: 'no-such-unit',
          reason: '伪造的加签',
        },
      ],
    });
    await waitFor(
      'the admins to be alerted',
      async () =>
        (
          await queryRows(
            `SELECT 1 FROM notifications WHERE kind = 'projection-rejected' AND recipient_role = 'admin' AND subject_id = $1`,
            [stack.plan.tasks[0].id],
          )
        ).length === 1,
      20_000,
    );
    const [event] = await queryRows<{ payload: { projectionRejected: { reason: string; kept: string } } }>(
      `SELECT payload FROM audit_events WHERE subject_id = $1 AND action = 'task.unit-added' AND payload->>'unitId' = 'no-such-unit'`,
      [stack.plan.tasks[0].id],
    );
    expect(event.payload.projectionRejected).toMatchObject({ kept: 'audit-only' });
    expect(event.payload.projectionRejected.reason).toMatch(/^23503:/);
    // Nothing pending on the task, and it takes the next real change at once.
    expect((await handle.describe()).raw.pendingActivities ?? []).toHaveLength(0);
    const moved = await request(stack.baseUrl, 'POST', `/tasks/${stack.plan.tasks[0].id}/deadline`, {
      token: await token('supervisor'),
      body: { dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), reason: '调整时限' },
    });
    expect(moved.status).toBe(200);
    expect(await statusOf(assignmentOf('civil-affairs').id)).toBe('assigned');
    // The forged unit's own workflow was refused the same way; nothing retries for ever.
    const orphan = stack.temporal.workflow.getHandle(assignmentWorkflowId(added.assignmentId));
    await waitFor(
      'the forged assignment to have nothing pending',
      async () => ((await orphan.describe()).raw.pendingActivities ?? []).length === 0,
      20_000,
    );
  });
});

describe('acting right after an import (finding 4)', () => {
  let worker: RunningWorker | undefined;
  const taskQueue = `import-race-${process.pid}-${Date.now()}`;
  // No worker polls this queue yet: the task workflows are started but cannot start their units' work.
  const stack = useStack({ apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_UPDATE_TIMEOUT_MS: '2000' } });
  afterAll(() => worker?.stop());

  it('answers 503 with Retry-After while the item’s workflow is not running yet, then acts once it is', async () => {
    const supervisor = await stack.login('supervisor');
    const form = new FormData();
    form.append('file', new Blob([`${ONE_TASK_LIST}${'\n'.repeat(7)}`]), 'plan.txt');
    const imported = await fetch(`${stack.baseUrl}/plans`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${supervisor}` },
    });
    expect(imported.status).toBe(201);
    const plan = (await imported.json()) as ImportedPlan;
    const finance = plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
    const staff = await stack.login('finance.staff');
    const acknowledge = () =>
      request(stack.baseUrl, 'POST', `/assignments/${finance.id}/acknowledge`, { token: staff, body: {} });

    const early = await acknowledge();
    expect(early.status).toBe(503);
    expect(early.body.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);

    worker = await startWorker(taskQueue);
    let answer = early;
    await waitFor(
      'the acknowledgement to go through once the workflow runs',
      async () => (answer = await acknowledge()).status !== 503,
      30_000,
      250,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('acknowledged');
  });
});
