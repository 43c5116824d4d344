import { login, request, RunningApi, startApi } from './support/api';
import { queryRows } from './support/db';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { waitFor } from './support/wait';
import { RunningWorker, startWorker } from './support/worker';

/** An approval sent while no worker runs: the API says 503 instead of hanging, and a retry lands once. */
describe('an approval while no worker runs', () => {
  let worker: RunningWorker | undefined;
  let api: RunningApi;
  let plan: ImportedPlan;
  let taskQueue: string;
  const tokens: Record<string, string> = {};

  const finance = () => plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
  const act = (who: string, action: string, body: unknown, headers: Record<string, string> = {}) =>
    request<{ status: string; code?: string }>(api.baseUrl, 'POST', `/assignments/${finance().id}/${action}`, {
      token: tokens[who],
      body,
      headers,
    });
  const count = async (sql: string) => (await queryRows<{ n: number }>(sql.replace('$ID', '$1'), [finance().id]))[0].n;

  beforeAll(async () => {
    worker = await startWorker();
    taskQueue = worker.taskQueue;
    api = await startApi({ TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_UPDATE_TIMEOUT_MS: '3000' });
    for (const username of ['supervisor', 'finance.staff', 'approval.head'])
      tokens[username] = await login(api.baseUrl, username);
    plan = await importAndStart(api, tokens.supervisor, ONE_TASK_LIST);
    await act('finance.staff', 'acknowledge', {});
    expect((await act('finance.staff', 'submit', { summary: '已完成', evidence: [] })).body.status).toBe('submitted');
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
  });

  it('answers 503 within the update timeout and changes nothing while the worker is down', async () => {
    await worker!.stop();
    worker = undefined;
    const started = Date.now();
    const response = await act('approval.head', 'approve', { comment: '同意' }, { 'idempotency-key': 'approve-1' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(10_000);
    const [row] = await queryRows<{ status: string }>('SELECT status FROM assignments WHERE id = $1', [finance().id]);
    expect(row.status).toBe('submitted');
  });

  it('a retry with the same Idempotency-Key after a worker is back approves exactly once', async () => {
    worker = await startWorker(taskQueue);
    let answer: { status: number; body: { status: string } } | undefined;
    await waitFor(
      'the retried approval to be answered',
      async () => {
        answer = await act('approval.head', 'approve', { comment: '同意' }, { 'idempotency-key': 'approve-1' });
        return answer.status !== 503;
      },
      60_000,
    );
    expect(answer!.status).toBe(200);
    expect(answer!.body.status).toBe('approved');
    // A different request to approve again is refused: the state moved on once.
    expect((await act('approval.head', 'approve', { comment: '再次' })).status).toBe(409);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $ID AND action = 'assignment.approve'`,
      ),
    ).toBe(1);
    expect(
      await count(`SELECT count(*)::int AS n FROM notifications WHERE subject_id = $ID AND kind = 'report-approved'`),
    ).toBe(1);
  });
});
