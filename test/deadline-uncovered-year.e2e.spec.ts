import { Client, Connection } from '@temporalio/client';
import { assignmentWorkflowId } from '@county/workflows';
import { login, request, RunningApi, startApi } from './support/api';
import { waitForYearNotCoveredAlert } from './support/calendar-alerts';
import { queryRows } from './support/db';
import { recordHistories } from './support/histories';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { waitFor } from './support/wait';
import { RunningWorker, startWorker } from './support/worker';

/**
 * Level 2 lies 30 working days after the deadline, in a year no holiday notice covers (the holiday table ends
 * with 2026 and no test loads a later year): its instant cannot be computed (fail closed, DESIGN §5). The
 * reminder and level 1 before it must still fire.
 */
const POLICY = {
  assignment: {
    remindBefore: ['PT2S'],
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: { workdays: 30 }, level: 2 },
      { after: { workdays: 31 }, level: 3 },
    ],
  },
};

describe('a deadline whose later escalations fall in a year without a holiday notice', () => {
  let worker: RunningWorker;
  let api: RunningApi;
  let connection: Connection;
  let plan: ImportedPlan;
  let supervisor: string;

  const finance = () => plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    supervisor = await login(api.baseUrl, 'supervisor');
    plan = await importAndStart(api, supervisor, ONE_TASK_LIST, { policy: JSON.stringify(POLICY) });
  });

  afterAll(async () => {
    if (plan) {
      await recordHistories(new Client({ connection }), {
        'assignment-lazy-clock': assignmentWorkflowId(finance().id),
      });
    }
    await api?.close();
    await worker?.stop();
    await connection?.close();
  });

  it('still reminds and escalates to level 1 on time; level 2 waits for the notice and the admins are told', async () => {
    const changed = await request(api.baseUrl, 'POST', `/tasks/${plan.tasks[0].id}/deadline`, {
      token: supervisor,
      body: { dueAt: new Date(Date.now() + 4_000).toISOString(), reason: '测试：临近到期' },
    });
    expect(changed.status).toBe(200);
    const kinds = async () =>
      (
        await queryRows<{ kind: string }>('SELECT kind FROM notifications WHERE subject_id = $1 ORDER BY created_at', [
          finance().id,
        ])
      ).map((row) => row.kind);
    await waitFor('level 1', async () => (await kinds()).includes('escalation-level-1'), 30_000);
    expect((await kinds()).filter((kind) => kind === 'deadline-reminder')).toHaveLength(1);
    const escalations = await queryRows<{ level: number }>('SELECT level FROM escalations WHERE subject_id = $1', [
      finance().id,
    ]);
    expect(escalations.map((row) => row.level)).toEqual([1]);
    await waitForYearNotCoveredAlert();
  });
});
