import {
  assignmentOf,
  assignmentPolicy,
  FULL_LADDER_NOTIFICATIONS,
  notificationCounts,
  OwnRealTemporal,
  queryRows,
  startOwnRealTemporal,
  useStack,
  waitFor,
} from '@county/test-kit';

/** A reminder 2 s before the deadline, level 1 at it, levels 2 and 3 three and six seconds later. */
const FAST_POLICY = assignmentPolicy({ remind: 2, ladder: [0, 3, 6] });

/**
 * The real Temporal server is killed (`kill -9`: no shutdown, whatever it had in memory is gone) while an
 * assignment's reminder and escalation timers are pending, and stays down past the moment the reminder and the
 * first level fall due. Started again on the same PostgreSQL databases, it must fire every one of them, each
 * exactly once, and the API and the worker must carry on without being restarted themselves.
 */
describe('the Temporal server killed with timers pending', () => {
  let temporal: OwnRealTemporal;
  beforeAll(async () => {
    temporal = await startOwnRealTemporal('durability');
  }, 120_000);
  const stack = useStack(() => ({ temporalAddress: temporal.address, worker: true, users: ['supervisor'] }));
  afterAll(async () => {
    await temporal?.stop();
  }, 60_000);

  it('fires each pending reminder and escalation once after a restart', async () => {
    const plan = await stack.importWithPolicy(FAST_POLICY);
    const finance = assignmentOf(plan, 'finance');
    const dueAt = Date.now() + 6_000;
    const changed = await stack.tasks.changeDeadline(plan.tasks[0].id, new Date(dueAt), '测试：Temporal 服务器崩溃');
    expect(changed.status).toBe(200);
    // The workflows have taken the new deadline (their notice is out), so its timers now live only in the server.
    await waitFor(
      'the deadline change to reach finance',
      async () => (await notificationCounts(finance.id)).some((row) => row.kind === 'deadline-changed'),
      30_000,
      100,
    );
    const before = await notificationCounts(finance.id);
    expect(before.map((row) => row.kind)).not.toContain('deadline-reminder');

    await temporal.kill9();
    // Down until the reminder (due − 2 s) and level 1 (the deadline) are overdue.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt - Date.now()) + 1_000));
    expect(await notificationCounts(finance.id)).toEqual(before);
    await temporal.restart();

    const level = async () =>
      (
        await queryRows<{ escalation_level: number }>('SELECT escalation_level FROM assignments WHERE id = $1', [
          finance.id,
        ])
      )[0].escalation_level;
    await waitFor('level 3 after the restart', async () => (await level()) === 3, 90_000, 200);
    // Room for a duplicate to show up, if one were coming.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    expect(await notificationCounts(finance.id)).toEqual(FULL_LADDER_NOTIFICATIONS);
    const escalations = await queryRows<{ level: number }>(
      'SELECT level FROM escalations WHERE subject_id = $1 ORDER BY level',
      [finance.id],
    );
    expect(escalations.map((row) => row.level)).toEqual([1, 2, 3]);
    expect((await stack.as('supervisor', 'GET', '/audit/verify')).body).toMatchObject({ ok: true });
  });
});
