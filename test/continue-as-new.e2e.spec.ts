import { assignmentViewQuery, assignmentWorkflowId } from '@county/workflows';
import { assignmentPolicy, ONGOING_LIST, queryRows, request, useStack, waitFor } from '@county/test-kit';

/** Hourly reports, so no timer fires during the test: only the reports themselves grow the history. */
const HOURLY_POLICY = assignmentPolicy({ cycle: 'PT1H', remind: 'PT10M', ladder: [0, 'PT10M', 'PT20M'] });
const REPORTS = 12;

/**
 * Years of monthly reports would outgrow a workflow history, so an assignment continues as new when
 * Temporal suggests it. This server suggests it after 40 events (Temporal's default is 4,096), so a dozen
 * reports cross several runs.
 */
describe('continue-as-new of a long-running assignment', () => {
  const stack = useStack({
    worker: true,
    ownTemporal: { dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 } },
    users: ['supervisor', 'finance.staff', 'approval.head'],
    plan: { text: ONGOING_LIST, policy: HOURLY_POLICY },
  });
  let firstReport: { status: number; body: unknown };

  const finance = () => stack.assignmentOf('finance');
  const workflowId = () => assignmentWorkflowId(finance().id);
  const progress = (index: number, headers: Record<string, string> = {}) =>
    request(stack.baseUrl, 'POST', `/assignments/${finance().id}/progress`, {
      token: stack.token('finance.staff'),
      body: { note: `第${index}次进展`, percent: index },
      headers,
    });
  const auditActions = async () =>
    (
      await queryRows<{ action: string }>('SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY seq', [
        finance().id,
      ])
    ).map((event) => event.action);

  it('keeps every report across runs: none lost, none written twice', async () => {
    const acknowledged = await request(stack.baseUrl, 'POST', `/assignments/${finance().id}/acknowledge`, {
      token: stack.token('finance.staff'),
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
        for await (const run of stack.temporal.workflow.list({ query: `WorkflowId = '${workflowId()}'` })) {
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
    const view = await stack.temporal.workflow.getHandle(workflowId()).query(assignmentViewQuery);
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
    const submitted = await request<{ status: string }>(stack.baseUrl, 'POST', `/assignments/${finance().id}/submit`, {
      token: stack.token('finance.staff'),
      body: { summary: '年度工作已完成', evidence: [] },
    });
    expect(submitted.body.status).toBe('submitted');
    const approved = await request<{ status: string }>(stack.baseUrl, 'POST', `/assignments/${finance().id}/approve`, {
      token: stack.token('approval.head'),
      body: {},
    });
    expect(approved.body.status).toBe('approved');
    // The handle follows the chain of runs to the last one's result.
    expect((await stack.temporal.workflow.getHandle(workflowId()).result()).status).toBe('approved');
  });
});
