import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { assignmentViewQuery, assignmentWorkflowId } from '@county/workflows';
import { freePort } from '../scripts/src/free-port';
import { resolveTemporalCli } from '../scripts/src/temporal-cli';
import { RunningTemporal, startTemporalServer } from '../scripts/src/temporal-server';
import { login, request, RunningApi, startApi } from './support/api';
import { queryRows } from './support/db';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { waitFor } from './support/wait';
import { RunningWorker, startWorker } from './support/worker';

const ONGOING_LIST = ONE_TASK_LIST.replace('\t2027年6月底前', '\t长期坚持');
/** Hourly reports, so no timer fires during the test: only the reports themselves grow the history. */
const HOURLY_POLICY = {
  assignment: {
    reportingCycle: 'PT1H',
    remindBefore: ['PT10M'],
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'PT10M', level: 2 },
      { after: 'PT20M', level: 3 },
    ],
  },
};
const REPORTS = 12;

/**
 * Years of monthly reports would outgrow a workflow history, so an assignment continues as new when
 * Temporal suggests it. This server suggests it after 40 events (Temporal's default is 4,096), so a dozen
 * reports cross several runs.
 */
describe('continue-as-new of a long-running assignment', () => {
  let temporalServer: RunningTemporal;
  let worker: RunningWorker;
  let api: RunningApi;
  let connection: Connection;
  let temporal: Client;
  let plan: ImportedPlan;
  let staff: string;
  let head: string;
  let firstReport: { status: number; body: unknown };

  const finance = () => plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
  const workflowId = () => assignmentWorkflowId(finance().id);
  const progress = (index: number, headers: Record<string, string> = {}) =>
    request(api.baseUrl, 'POST', `/assignments/${finance().id}/progress`, {
      token: staff,
      body: { note: `第${index}次进展`, percent: index },
      headers,
    });
  const auditActions = async () =>
    (
      await queryRows<{ action: string }>('SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq', [
        finance().id,
      ])
    ).map((event) => event.action);

  beforeAll(async () => {
    const port = await freePort();
    temporalServer = await startTemporalServer({
      cli: await resolveTemporalCli(() => undefined),
      port,
      logFile: path.join(os.tmpdir(), `county-temporal-can-${process.pid}.log`),
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 },
    });
    worker = await startWorker(undefined, temporalServer.address);
    api = await startApi({ TEMPORAL_ADDRESS: temporalServer.address, TEMPORAL_TASK_QUEUE: worker.taskQueue });
    connection = await Connection.connect({ address: temporalServer.address });
    temporal = new Client({ connection });
    const supervisor = await login(api.baseUrl, 'supervisor');
    staff = await login(api.baseUrl, 'finance.staff');
    head = await login(api.baseUrl, 'approval.head');
    plan = await importAndStart(api, supervisor, ONGOING_LIST, { policy: JSON.stringify(HOURLY_POLICY) });
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await connection?.close();
    await temporalServer?.stop();
  });

  it('keeps every report across runs: none lost, none written twice', async () => {
    const acknowledged = await request(api.baseUrl, 'POST', `/assignments/${finance().id}/acknowledge`, {
      token: staff,
      body: {},
    });
    expect(acknowledged.status).toBe(200);
    firstReport = await progress(1, { 'idempotency-key': 'can-report-1' });
    expect(firstReport.status).toBe(200);
    for (let index = 2; index <= REPORTS; index += 1) expect((await progress(index)).status).toBe(200);

    const runs: string[] = [];
    await waitFor(
      'the runs to be listed',
      async () => {
        runs.length = 0;
        for await (const run of temporal.workflow.list({ query: `WorkflowId = '${workflowId()}'` })) {
          runs.push(run.status.name);
        }
        return runs.length >= 3;
      },
      15_000,
    );
    expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBe(runs.length - 1);
    expect(runs).toContain('RUNNING');

    const actions = await auditActions();
    expect(actions.filter((action) => action === 'assignment.progress')).toHaveLength(REPORTS);
    expect(actions.filter((action) => action === 'assignment.assigned')).toHaveLength(1);
    // The current run carries the current state (bounded: the reports themselves are in the audit log), and
    // the report due date the first report set.
    const view = await temporal.workflow.getHandle(workflowId()).query(assignmentViewQuery);
    expect(view).not.toHaveProperty('history');
    expect(view.status).toBe('in-progress');
    expect(view.percent).toBe(REPORTS);
    const [row] = await queryRows<{ due_at: Date }>('SELECT due_at FROM assignments WHERE id = $1', [finance().id]);
    expect(row.due_at.toISOString()).toBe(view.dueAt);
  });

  it('answers a repeated Idempotency-Key from before the continue-as-new with the first answer', async () => {
    const before = (await auditActions()).length;
    const repeated = await progress(1, { 'idempotency-key': 'can-report-1' });
    expect(repeated.status).toBe(200);
    expect(repeated.headers.get('idempotent-replayed')).toBe('true');
    expect(repeated.body).toEqual(firstReport.body);
    expect((await auditActions()).length).toBe(before);
  });

  it('still finishes normally in its latest run', async () => {
    const submitted = await request<{ status: string }>(api.baseUrl, 'POST', `/assignments/${finance().id}/submit`, {
      token: staff,
      body: { summary: '年度工作已完成', evidence: [] },
    });
    expect(submitted.body.status).toBe('submitted');
    const approved = await request<{ status: string }>(api.baseUrl, 'POST', `/assignments/${finance().id}/approve`, {
      token: head,
      body: {},
    });
    expect(approved.body.status).toBe('approved');
    // The handle follows the chain of runs to the last one's result.
    expect((await temporal.workflow.getHandle(workflowId()).result()).status).toBe('approved');
  });
});
