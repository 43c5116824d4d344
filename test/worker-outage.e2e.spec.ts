import { queryRows, RunningWorker, startWorker, uniqueTaskQueue, useStack, waitFor } from '@county/test-kit';

/** An approval sent while no worker runs: the API says 503 instead of hanging, and a retry lands once. */
describe('an approval while no worker runs', () => {
  // The suite stops and restarts the worker itself, so it runs its own on the API's queue.
  const taskQueue = uniqueTaskQueue();
  let worker: RunningWorker | undefined;
  beforeAll(async () => {
    worker = await startWorker(taskQueue);
  });
  const stack = useStack({ apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_UPDATE_TIMEOUT_MS: '3000' }, plan: {} });
  afterAll(() => worker?.stop());

  const finance = () => stack.assignmentOf('finance');
  const act = (who: string, action: string, body: unknown, headers: Record<string, string> = {}) =>
    stack.assignments.act(who, finance().id, action, body, headers);
  const count = async (sql: string) => (await queryRows<{ n: number }>(sql.replace('$ID', '$1'), [finance().id]))[0].n;

  beforeAll(async () => {
    await act('finance.staff', 'acknowledge', {});
    expect((await act('finance.staff', 'submit', { summary: '已完成', evidence: [] })).body.status).toBe('submitted');
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
