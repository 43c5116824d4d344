import { Client, Connection } from '@temporalio/client';
import { assignmentWorkflowId } from '@county/workflows';
import { login, request, RunningApi, startApi } from './support/api';
import { queryRows } from './support/db';
import { recordHistories } from './support/histories';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { waitFor } from './support/wait';
import { RunningWorker, startWorker } from './support/worker';

/** Level 1 the moment a deadline passes; levels 2 and 3 well after the test. */
const POLICY = {
  assignment: {
    remindBefore: ['PT1S'],
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'PT10M', level: 2 },
      { after: 'PT20M', level: 3 },
    ],
  },
};
const HOUR = 3_600_000;

/**
 * Per-unit deadlines (issue 13, DESIGN §4.5): a task-level change never shortens a unit's approved extension, and
 * the on-time figures measure a unit against its original deadline, moved only by an approved extension request or
 * an office decision made before that deadline passed.
 */
describe('per-unit deadlines: extensions survive task-level changes; assessment against the original deadline', () => {
  let worker: RunningWorker;
  let api: RunningApi;
  let connection: Connection;
  let plan: ImportedPlan;
  const tokens: Record<string, string> = {};

  const assignment = (unitId: string) => plan.tasks[0].assignments.find((item) => item.unitId === unitId)!;
  const dueAt = async (unitId: string) =>
    (
      await queryRows<{ due_at: Date }>('SELECT due_at FROM assignments WHERE id = $1', [assignment(unitId).id])
    )[0].due_at.getTime();
  const changeTaskDeadline = async (at: number, reason: string) => {
    const changed = await request(api.baseUrl, 'POST', `/tasks/${plan.tasks[0].id}/deadline`, {
      token: tokens.supervisor,
      body: { dueAt: new Date(at).toISOString(), reason },
    });
    expect(changed.status).toBe(200);
  };
  const act = async (who: string, unitId: string, action: string, body: unknown = {}) => {
    const response = await request(api.baseUrl, 'POST', `/assignments/${assignment(unitId).id}/${action}`, {
      token: tokens[who],
      body,
    });
    expect({ action, status: response.status }).toEqual({ action, status: 200 });
  };

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    for (const username of ['supervisor', 'leader', 'approval.head', 'finance.staff', 'civil-affairs.staff'])
      tokens[username] = await login(api.baseUrl, username);
    plan = await importAndStart(api, tokens.supervisor, ONE_TASK_LIST, { policy: JSON.stringify(POLICY) });
  });

  afterAll(async () => {
    if (plan)
      await recordHistories(new Client({ connection }), {
        // Extension approved, then task-level changes: one earlier (kept), one later (applied).
        'assignment-extension-kept': assignmentWorkflowId(assignment('civil-affairs').id),
      });
    await api?.close();
    await worker?.stop();
    await connection?.close();
  });

  let extendedTo = 0;

  it('a task-level change never shortens an approved extension; the extension row stays true', async () => {
    const start = Date.now();
    // An office decision before the original deadline: every unit now works to start + 1 h.
    await changeTaskDeadline(start + HOUR, '测试：统一调整');
    await waitFor('the task-level deadline', async () => (await dueAt('civil-affairs')) === start + HOUR, 10_000);

    // 县民政局 asks for, and gets, three hours.
    extendedTo = start + 3 * HOUR;
    const asked = await request<{ id: string }>(
      api.baseUrl,
      'POST',
      `/assignments/${assignment('civil-affairs').id}/extension-requests`,
      {
        token: tokens['civil-affairs.staff'],
        body: { requestedDueAt: new Date(extendedTo).toISOString(), reason: '等待批复' },
      },
    );
    expect(asked.status).toBe(201);
    const approved = await request<{ status: string }>(
      api.baseUrl,
      'POST',
      `/extension-requests/${asked.body.id}/approve`,
      {
        token: tokens.supervisor,
        body: { comment: '同意' },
      },
    );
    expect(approved.body.status).toBe('approved');
    await waitFor('the extension in the read model', async () => (await dueAt('civil-affairs')) === extendedTo, 10_000);

    // The task's deadline moves to two hours: 县财政局 follows it, 县民政局 keeps its three.
    await changeTaskDeadline(start + 2 * HOUR, '测试：再次调整');
    await waitFor(
      '县财政局 on the new task deadline',
      async () => (await dueAt('finance')) === start + 2 * HOUR,
      10_000,
    );
    // 县民政局's workflow has answered the third change once it has recorded it (kept, or, before issue 13, applied).
    const civilDeadlineEvents = async () =>
      (
        await queryRows<{ action: string }>(
          `SELECT action FROM audit_events WHERE subject_id = $1
              AND action IN ('assignment.deadline-changed', 'assignment.deadline-kept') ORDER BY seq`,
          [assignment('civil-affairs').id],
        )
      ).map((event) => event.action);
    await waitFor('县民政局 to take the change', async () => (await civilDeadlineEvents()).length === 3, 10_000);
    expect(await dueAt('civil-affairs')).toBe(extendedTo);
    expect((await civilDeadlineEvents())[2]).toBe('assignment.deadline-kept');
    const [row] = await queryRows<{ status: string; requested_due_at: Date }>(
      'SELECT status, requested_due_at FROM extension_requests WHERE id = $1',
      [asked.body.id],
    );
    expect({ status: row.status, requestedDueAt: row.requested_due_at.getTime() }).toEqual({
      status: 'approved',
      requestedDueAt: extendedTo,
    });
    const [notice] = await queryRows<{ title: string }>(
      `SELECT title FROM notifications WHERE subject_id = $1 AND kind = 'deadline-changed' ORDER BY created_at DESC LIMIT 1`,
      [assignment('civil-affairs').id],
    );
    expect(notice.title).toContain('本单位已获延期');

    // A task-level deadline beyond the extension applies to 县民政局 too.
    await changeTaskDeadline(start + 4 * HOUR, '测试：整体延后');
    await waitFor(
      '县民政局 on the later task deadline',
      async () => (await dueAt('civil-affairs')) === start + 4 * HOUR,
      10_000,
    );
    // And brought back before it, 县民政局 is back on its extension, never earlier.
    await changeTaskDeadline(start + HOUR, '测试：提前');
    await waitFor('县财政局 on one hour', async () => (await dueAt('finance')) === start + HOUR, 10_000);
    await waitFor('县民政局 on its extension', async () => (await dueAt('civil-affairs')) === extendedTo, 10_000);
  });
});
