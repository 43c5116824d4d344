import type { CallUnitMetrics } from '@county/persistence';
import { callPolicy, queryRows, request, useStack, waitForCall } from '@county/test-kit';

interface DashboardBody {
  tasks: { byStatus: Record<string, number>; byLight: Record<string, number>; total: number };
  calls: {
    byStatus: Record<string, number>;
    byLight: Record<string, number>;
    total: number;
    units: CallUnitMetrics[];
    townships: Array<{ unitId: string; raised: number }>;
  };
}

/** Client-side instants around a request: the workflow stamped its time somewhere in between. */
interface Window {
  sent: number;
  done: number;
}

const LIMIT_SECONDS = 8;

/**
 * Must-show 3: the per-unit call metrics over HTTP match a scripted scenario whose numbers are worked out
 * by hand below. Limits are 8 s: a response or resolution made at once is on time, one made after the
 * level-1 escalation (which fires at the limit) is late. Units and townships here take part in no other
 * test, so their numbers are this scenario's alone.
 */
describe('GET /dashboard: call metrics from stored timestamps', () => {
  const stack = useStack({
    worker: true,
    apiEnv: {
      CALL_POLICY: callPolicy({ respond: LIMIT_SECONDS, resolve: LIMIT_SECONDS, ladder: [0, 600, 1200], autoClose: 2 }),
    },
    users: ['supervisor', 'gaoren.staff', 'hongyazi.staff', 'water.staff', 'emergency.staff'],
  });

  it('matches a scripted scenario of five calls with known timings', async () => {
    const calls = stack.calls;
    const timed = async <T>(run: () => Promise<T>): Promise<[T, Window]> => {
      const sent = Date.now();
      const result = await run();
      return [result, { sent, done: Date.now() }];
    };
    const ok = <T extends { status: number }>(response: T): T => {
      expect(response.status).toBeLessThan(300);
      return response;
    };
    const raise = (township: string, unit: string, urgency = 'normal') =>
      timed(async () => ok(await calls.raise(`${township}.staff`, unit, { urgency })).body.id);
    const act = async (unit: string, id: string, action: string, body: unknown = {}) =>
      ok(await calls.act(`${unit}.staff`, id, action, body));
    const respond = (unit: string, id: string) => timed(() => act(unit, id, 'respond'));
    const lateFor = (id: string, status: string) =>
      waitForCall(
        `the ${status} call to pass its limit`,
        id,
        (row) => row.status === status && row.escalation_level === 1,
      );

    // Call 1 → water: answered, resolved at once, 满意.
    const [one, oneRaised] = await raise('gaoren', 'water');
    const [, oneResponded] = await respond('water', one);
    await act('water', one, 'resolve', { resolution: '已解决' });
    await act('gaoren', one, 'evaluate', { rating: 'satisfied' });

    // Call 2 → water: answered late; resolved at once; 不满意 (rework); resolved again at once; 基本满意.
    const [two, twoRaised] = await raise('gaoren', 'water');
    // Call 3 → water: never answered.
    await raise('hongyazi', 'water');
    // Call 4 → emergency: answered at once; resolved late; never evaluated, so it closes itself (满意 by default).
    const [four, fourRaised] = await raise('hongyazi', 'emergency');
    const [, fourResponded] = await respond('emergency', four);
    // Call 5 → emergency (urgent): answered at once, never resolved.
    const [five, fiveRaised] = await raise('hongyazi', 'emergency', 'urgent');
    const [, fiveResponded] = await respond('emergency', five);

    const [[, twoResponded]] = await Promise.all([
      lateFor(two, 'raised').then(() => respond('water', two)),
      lateFor(four, 'responded').then(() => act('emergency', four, 'resolve', { resolution: '迟办结' })),
    ]);
    await act('water', two, 'resolve', { resolution: '第一次办理' });
    await act('gaoren', two, 'evaluate', { rating: 'dissatisfied', comment: '未解决' });
    await waitForCall('the new resolution limit', two, (row) => row.resolve_due_at !== null, 10_000);
    await act('water', two, 'resolve', { resolution: '第二次办理' });
    await act('gaoren', two, 'evaluate', { rating: 'basically-satisfied' });
    await waitForCall('call 4 to close itself', four, (row) => row.status === 'closed' && row.auto_closed === true);

    const dashboard = await request<DashboardBody>(stack.baseUrl, 'GET', '/dashboard', {
      token: stack.token('water.staff'),
    });
    expect(dashboard.status).toBe(200);
    const unit = (id: string) => dashboard.body.calls.units.find((metrics) => metrics.unitId === id)!;

    // Response time bounds from the test's own clock: stamped after the raise was sent and before it answered.
    const bounds = (pairs: Array<[Window, Window]>) => {
      const seconds = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length / 1000;
      return {
        low: seconds(pairs.map(([raised, responded]) => responded.sent - raised.done)),
        high: seconds(pairs.map(([raised, responded]) => responded.done - raised.sent)),
      };
    };

    // water: 3 received (1, 2, 3); 2 responded (1 on time, 2 late); 2 resolved, both on time in their
    // round (call 2's second resolution came at once after the reopening); evaluations 满意, 不满意, 基本满意.
    const water = unit('water');
    expect(water).toMatchObject({ received: 3, responded: 2, reworkCount: 1 });
    expect(water.responseRate).toBeCloseTo(2 / 3, 6);
    expect(water.onTimeResponseRate).toBeCloseTo(1 / 3, 6);
    expect(water.resolutionRate).toBeCloseTo(2 / 3, 6);
    expect(water.onTimeResolutionRate).toBeCloseTo(2 / 3, 6);
    expect(water.satisfactionRate).toBeCloseTo(2 / 3, 6);
    const waterTimes = bounds([
      [oneRaised, oneResponded],
      [twoRaised, twoResponded],
    ]);
    expect(water.averageResponseSeconds!).toBeGreaterThanOrEqual(waterTimes.low - 0.01);
    expect(water.averageResponseSeconds!).toBeLessThanOrEqual(waterTimes.high + 0.01);
    // Call 2 waited past its 8 s limit, so the mean is at least half of it.
    expect(water.averageResponseSeconds!).toBeGreaterThanOrEqual(LIMIT_SECONDS / 2);

    // emergency: 2 received (4, 5), both answered at once; only call 4 resolved, and late; its one
    // evaluation is the default 满意; no rework.
    const emergency = unit('emergency');
    expect(emergency).toMatchObject({ received: 2, responded: 2, reworkCount: 0 });
    expect(emergency.responseRate).toBe(1);
    expect(emergency.onTimeResponseRate).toBe(1);
    expect(emergency.resolutionRate).toBeCloseTo(1 / 2, 6);
    expect(emergency.onTimeResolutionRate).toBe(0);
    expect(emergency.satisfactionRate).toBe(1);
    const emergencyTimes = bounds([
      [fourRaised, fourResponded],
      [fiveRaised, fiveResponded],
    ]);
    expect(emergency.averageResponseSeconds!).toBeGreaterThanOrEqual(emergencyTimes.low - 0.01);
    expect(emergency.averageResponseSeconds!).toBeLessThanOrEqual(emergencyTimes.high + 0.01);

    // Ranked by on-time resolution first: water (2/3) ahead of emergency (0).
    expect(water.rank).toBeLessThan(emergency.rank);
    const ranks = dashboard.body.calls.units.map((metrics) => metrics.rank);
    expect(ranks).toEqual(ranks.map((_, index) => index + 1));

    expect(dashboard.body.calls.townships).toEqual(
      expect.arrayContaining([
        { unitId: 'gaoren', unitName: '高仁乡', raised: 2 },
        { unitId: 'hongyazi', unitName: '红崖子乡', raised: 3 },
      ]),
    );
    expect(dashboard.body.calls.townships).toHaveLength(13);
    // Counts add up, and the calls of this scenario are among them.
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);
    expect(sum(dashboard.body.calls.byStatus)).toBe(dashboard.body.calls.total);
    expect(sum(dashboard.body.calls.byLight)).toBe(dashboard.body.calls.total);
    expect(dashboard.body.calls.total).toBeGreaterThanOrEqual(5);
    expect(sum(dashboard.body.tasks.byStatus)).toBe(dashboard.body.tasks.total);
    expect(sum(dashboard.body.tasks.byLight)).toBe(dashboard.body.tasks.total);
  });

  it('tells every user the same picture, and needs a login', async () => {
    expect((await request(stack.baseUrl, 'GET', '/dashboard')).status).toBe(401);
    const asTownship = await request<DashboardBody>(stack.baseUrl, 'GET', '/dashboard', {
      token: stack.token('gaoren.staff'),
    });
    expect(asTownship.status).toBe(200);
    expect(asTownship.body.calls.units.some((metrics) => metrics.unitId === 'water')).toBe(true);
  });

  it('the call counts the board sums are those of the call rows, kept by every write in its own transaction', async () => {
    // The rule stated again from the rows (not the migration's SQL): after the five calls' responses, 转办,
    // resolutions and evaluations above, nothing may have drifted.
    const figures = `sum(n)::int AS n, sum(responded)::int AS responded, sum(responded_on_time)::int AS on_time,
      sum(resolved)::int AS resolved, sum(resolved_on_time)::int AS resolved_on_time, sum(closed)::int AS closed,
      sum(rework)::int AS rework, sum(response_seconds)::float8 AS seconds, sum(response_n)::int AS response_n`;
    const kept = await queryRows(
      `SELECT to_unit_id, status, light, ${figures} FROM call_counts GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3`,
    );
    const counted = await queryRows(
      `SELECT to_unit_id, status, light, ${figures} FROM (
         SELECT to_unit_id, status, light, 1 AS n, (responded_at IS NOT NULL)::int AS responded,
                (responded_at IS NOT NULL AND responded_at <= COALESCE(respond_due_at, 'infinity'))::int AS responded_on_time,
                (resolved_at IS NOT NULL)::int AS resolved,
                (resolved_at IS NOT NULL AND resolved_at <= COALESCE(resolve_due_at, 'infinity'))::int AS resolved_on_time,
                (closed_at IS NOT NULL)::int AS closed, rework_count AS rework,
                COALESCE(extract(epoch FROM responded_at - assigned_at), 0) AS response_seconds,
                (responded_at IS NOT NULL)::int AS response_n
           FROM calls) c GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(counted.length).toBeGreaterThan(0);
    expect(kept).toEqual(counted);
    const townships = await queryRows(`SELECT from_unit_id, n FROM call_township_counts WHERE n <> 0 ORDER BY 1`);
    expect(townships).toEqual(
      await queryRows(`SELECT from_unit_id, count(*)::int AS n FROM calls GROUP BY 1 ORDER BY 1`),
    );
  });
});
