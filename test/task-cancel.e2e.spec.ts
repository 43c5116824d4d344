import { Client, Connection } from '@temporalio/client';
import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { login, request, RunningApi, startApi } from './support/api';
import { queryRows } from './support/db';
import { recordHistories } from './support/histories';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { RunningWorker, startWorker } from './support/worker';

describe('cancelling a task', () => {
  let worker: RunningWorker;
  let api: RunningApi;
  let connection: Connection;
  let temporal: Client;
  let plan: ImportedPlan;
  const tokens: Record<string, string> = {};

  const cancel = (who: string, body: unknown) =>
    request<{ status: string; code?: string }>(api.baseUrl, 'POST', `/tasks/${plan.tasks[0].id}/cancel`, {
      token: tokens[who],
      body,
    });
  const assignmentOf = (unitId: string) =>
    plan.tasks[0].assignments.find((assignment) => assignment.unitId === unitId)!;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    temporal = new Client({ connection });
    for (const username of ['supervisor', 'approval.head', 'finance.staff'])
      tokens[username] = await login(api.baseUrl, username);
    plan = await importAndStart(api, tokens.supervisor, ONE_TASK_LIST);
  });

  afterAll(async () => {
    if (plan) await recordHistories(temporal, { 'task-cancelled': taskWorkflowId(plan.id, 1) });
    await api?.close();
    await worker?.stop();
    await connection?.close();
  });

  it('only the supervision office cancels, and only with a reason', async () => {
    expect((await cancel('approval.head', { reason: '不再需要' })).status).toBe(403);
    expect((await cancel('supervisor', {})).status).toBe(400);
    const [task] = await queryRows<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [plan.tasks[0].id]);
    expect(task.status).toBe('in-progress');
  });

  it('cancels the task and every open assignment, telling each unit why', async () => {
    const finance = assignmentOf('finance');
    expect(
      (
        await request(api.baseUrl, 'POST', `/assignments/${finance.id}/acknowledge`, {
          token: tokens['finance.staff'],
          body: {},
        })
      ).status,
    ).toBe(200);
    const cancelled = await cancel('supervisor', { reason: '机构改革，任务调整' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    // The task workflow ends once it has told every assignment; each assignment ends as cancelled.
    expect((await temporal.workflow.getHandle(taskWorkflowId(plan.id, 1)).result()).status).toBe('cancelled');
    for (const assignment of plan.tasks[0].assignments) {
      const result = await temporal.workflow.getHandle(assignmentWorkflowId(assignment.id)).result();
      expect({ unit: assignment.unitId, status: result.status }).toEqual({
        unit: assignment.unitId,
        status: 'cancelled',
      });
    }
    const rows = await queryRows<{ unit_id: string; status: string }>(
      'SELECT unit_id, status FROM assignments WHERE task_id = $1 ORDER BY unit_id',
      [plan.tasks[0].id],
    );
    expect(rows).toEqual([
      { unit_id: 'approval', status: 'cancelled' },
      { unit_id: 'civil-affairs', status: 'cancelled' },
      { unit_id: 'finance', status: 'cancelled' },
    ]);
    const notices = await queryRows<{ unit: string; n: number }>(
      `SELECT recipient_unit_id AS unit, count(*)::int AS n FROM notifications
        WHERE kind = 'task-cancelled' AND subject_id = ANY($1) GROUP BY 1 ORDER BY 1`,
      [[plan.tasks[0].id, ...plan.tasks[0].assignments.map((assignment) => assignment.id)]],
    );
    // The lead unit hears it twice: as the task's lead (to its head) and for its own assignment.
    expect(notices).toEqual([
      { unit: 'approval', n: 2 },
      { unit: 'civil-affairs', n: 1 },
      { unit: 'finance', n: 1 },
    ]);
  });

  it('refuses anything further: cancelling again, or acting on a cancelled assignment', async () => {
    expect((await cancel('supervisor', { reason: '再次' })).status).toBe(409);
    const late = await request(api.baseUrl, 'POST', `/assignments/${assignmentOf('finance').id}/progress`, {
      token: tokens['finance.staff'],
      body: { note: '进展', percent: 10 },
    });
    expect(late.status).toBe(409);
  });
});
