import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { login, request, RunningApi, startApi } from './support/api';
import { ImportedPlan, importAndStart } from './support/plans';
import { RunningWorker, startWorker } from './support/worker';

const SEED = readFileSync(path.resolve(__dirname, '../seeds/pingluo-2021-grassroots-reform-task-list.txt'), 'utf8');
/** Fixed-length escalation steps, so nothing here waits on a working-day calendar for 2027. */
const POLICY = {
  assignment: {
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'P3D', level: 2 },
      { after: 'P7D', level: 3 },
    ],
  },
};

describe('importing the seed list starts its whole process', () => {
  let worker: RunningWorker;
  let api: RunningApi;
  let connection: Connection;
  let plan: ImportedPlan;
  let supervisor: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    supervisor = await login(api.baseUrl, 'supervisor');
    // importAndStart waits until every assignment workflow has recorded "assigned".
    plan = await importAndStart(api, supervisor, SEED, { year: '2027', policy: JSON.stringify(POLICY) }, 180_000);
  }, 240_000);

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await connection?.close();
  });

  it('runs 16 task workflows and one assignment workflow per task × unit, all listed by GET /tasks', async () => {
    const client = new Client({ connection });
    expect(plan.tasks).toHaveLength(16);
    let assignments = 0;
    for (const task of plan.tasks) {
      const description = await client.workflow.getHandle(taskWorkflowId(plan.id, task.no)).describe();
      expect({ no: task.no, type: description.type, status: description.status.name }).toEqual({
        no: task.no,
        type: 'taskWorkflow',
        status: 'RUNNING',
      });
      for (const assignment of task.assignments) {
        const child = await client.workflow.getHandle(assignmentWorkflowId(assignment.id)).describe();
        expect(child.type).toBe('assignmentWorkflow');
        expect(child.parentExecution?.workflowId).toBe(taskWorkflowId(plan.id, task.no));
        assignments += 1;
      }
    }
    // Task 1 alone is its lead unit and the 13 townships.
    expect(assignments).toBeGreaterThan(16 * 2);
    const listed = await request<{ items: Array<{ id: string; status: string }>; total: number }>(
      api.baseUrl,
      'GET',
      `/tasks?planId=${plan.id}`,
      { token: supervisor },
    );
    expect(listed.body.total).toBe(16);
    expect(listed.body.items.every((task) => task.status === 'in-progress')).toBe(true);
  });
});
