import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assignmentWorkflowId, taskWorkflowId } from '@county/workflows';
import { request, useStack } from '@county/test-kit';

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
  const stack = useStack(
    {
      worker: true,
      users: ['supervisor'],
      // Every assignment workflow has recorded "assigned" before the first test.
      plan: { text: SEED, fields: { year: '2027' }, policy: POLICY, startTimeoutMs: 180_000 },
    },
    240_000,
  );

  it('runs 16 task workflows and one assignment workflow per task × unit, all listed by GET /tasks', async () => {
    const client = stack.temporal;
    expect(stack.plan.tasks).toHaveLength(16);
    let assignments = 0;
    for (const task of stack.plan.tasks) {
      const description = await client.workflow.getHandle(taskWorkflowId(stack.plan.id, task.no)).describe();
      expect({ no: task.no, type: description.type, status: description.status.name }).toEqual({
        no: task.no,
        type: 'taskWorkflow',
        status: 'RUNNING',
      });
      for (const assignment of task.assignments) {
        const child = await client.workflow.getHandle(assignmentWorkflowId(assignment.id)).describe();
        expect(child.type).toBe('assignmentWorkflow');
        expect(child.parentExecution?.workflowId).toBe(taskWorkflowId(stack.plan.id, task.no));
        assignments += 1;
      }
    }
    // Task 1 alone is its lead unit and the 13 townships.
    expect(assignments).toBeGreaterThan(16 * 2);
    const listed = await request<{ items: Array<{ id: string; status: string }>; total: number }>(
      stack.baseUrl,
      'GET',
      `/tasks?planId=${stack.plan.id}`,
      { token: stack.token('supervisor') },
    );
    expect({ status: listed.status, total: listed.body.total }).toEqual({ status: 200, total: 16 });
    expect(listed.body.items.every((task) => task.status === 'in-progress')).toBe(true);
  });
});
