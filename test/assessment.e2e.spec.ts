import {
  AssessmentFigures,
  AssessmentPolicy,
  periodContaining,
  rankAssessment,
  scoreUnit,
  validatePolicy,
} from '@county/domain';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  assessmentPolicySetting,
  callPolicy,
  LEVEL_1_AT_DEADLINE,
  ownDatabase,
  queryRows,
  twoTaskList,
  useStack,
  waitFor,
} from '@county/test-kit';
import { readXlsx } from './support/xlsx';

/** The first sheet's rows, an empty cell as '' (the reader gives null). */
const readFirstSheet = (bytes: Uint8Array) =>
  readXlsx(bytes).sheets[0].rows.map((row) => row.map((cell) => cell ?? ''));

const DEFAULT_ASSESSMENT = validatePolicy(
  JSON.parse(readFileSync(path.resolve(__dirname, '../seeds/policy.default.json'), 'utf8')),
).assessment;
/** Calls count far more, overdue work costs nothing: every unit's score moves. */
const CALLS_FIRST: AssessmentPolicy = {
  weights: { taskOnTime: 10, callResponse: 40, callResolution: 40, satisfaction: 10 },
  deductions: { perOverdue: 0, perEscalation: { level1: 5, level2: 0, level3: 0 } },
};
const CALL_LIMIT_SECONDS = 6;

interface AssessmentBody {
  period: string;
  rankedUnits: number;
  policy: AssessmentPolicy;
  units: Array<{
    rank: number;
    unitId: string;
    unitName: string;
    score: number;
    base: number;
    deductions: number;
    components: Record<string, number | null>;
    figures: Omit<AssessmentFigures, 'unitId' | 'unitName'>;
  }>;
}

/** The figures the scenario below produces, worked out by hand. */
const zero = { level1: 0, level2: 0, level3: 0 };
const NO_CALLS = { callsReceived: 0, respondedOnTime: 0, resolvedOnTime: 0, satisfied: 0, rework: 0 };
const NO_TASKS = { assignmentsDue: 0, approvedOnTime: 0, overdue: 0 };
const EXPECTED: AssessmentFigures[] = [
  // Task 1 approved before its deadline; task 2 past it, escalated (level 1).
  {
    unitId: 'finance',
    unitName: '县财政局',
    assignmentsDue: 2,
    approvedOnTime: 1,
    overdue: 1,
    escalations: { ...zero, level1: 1 },
    ...NO_CALLS,
  },
  // Task 1 reported after the deadline (escalated at it), then approved: late.
  {
    unitId: 'civil-affairs',
    unitName: '县民政局',
    assignmentsDue: 1,
    approvedOnTime: 0,
    overdue: 1,
    escalations: { ...zero, level1: 1 },
    ...NO_CALLS,
  },
  // The lead unit's own assignments of both tasks: past their deadlines, escalated.
  {
    unitId: 'approval',
    unitName: '县审批局',
    assignmentsDue: 2,
    approvedOnTime: 0,
    overdue: 2,
    escalations: { ...zero, level1: 2 },
    ...NO_CALLS,
  },
  // Two calls: one answered and resolved at once and rated 满意; one never answered (level 1 at its limit).
  {
    unitId: 'water',
    unitName: '县水务局',
    ...NO_TASKS,
    escalations: { ...zero, level1: 1 },
    callsReceived: 2,
    respondedOnTime: 1,
    resolvedOnTime: 1,
    satisfied: 1,
    rework: 0,
  },
];

/**
 * 考核 on the real stack: on-time, late and escalated assignments and calls, scored by the formula in
 * libs/domain from figures this test knows; the .xlsx read back without exceljs; another ASSESSMENT_POLICY gives
 * other scores. Its own database: the scores are of every unit in the period, which other suites' rows would skew.
 */
describe('考核: GET /assessment and GET /exports/assessment.xlsx', () => {
  const database = ownDatabase('assessment');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    apiEnv: {
      CALL_POLICY: callPolicy({
        respond: CALL_LIMIT_SECONDS,
        resolve: CALL_LIMIT_SECONDS,
        ladder: [0, 600, 1200],
        autoClose: 600,
      }),
    },
    apis: { callsFirst: assessmentPolicySetting(CALLS_FIRST) },
    users: [
      'supervisor',
      'leader',
      'admin',
      'approval.head',
      'finance.staff',
      'civil-affairs.staff',
      'water.staff',
      'gaoren.staff',
    ],
    plan: { text: twoTaskList(), policy: LEVEL_1_AT_DEADLINE },
  });
  afterAll(() => database.drop());

  const period = periodContaining(new Date());
  const get = (who: string, query = `period=${period}`, on = stack) =>
    on.request<AssessmentBody>('GET', `/assessment?${query}`, { token: stack.token(who) });
  const ok = <T extends { status: number }>(response: T): T => {
    expect(response.status).toBeLessThan(300);
    return response;
  };
  const act = async (who: string, no: number, unitId: string, action: string, body: unknown = {}) =>
    ok(await stack.assignments.act(who, stack.assignmentOf(unitId, no).id, action, body));
  const finish = async (who: string, no: number, unitId: string) => {
    await act(who, no, unitId, 'acknowledge');
    await act(who, no, unitId, 'submit', { summary: '已完成', evidence: [] });
    await act('approval.head', no, unitId, 'approve');
  };
  const query = <T>(sql: string, params: unknown[] = []) => queryRows<T>(sql, params, database.url);

  it('scores on-time, late and escalated work by the formula, and ranks the units', async () => {
    // Both tasks' deadlines a few seconds from now (an office decision before any deadline passed: the units are
    // assessed against it).
    const dueAt = new Date(Date.now() + 12_000).toISOString();
    for (const task of stack.plan.tasks)
      ok(await stack.tasks.act('supervisor', task.id, 'deadline', { dueAt, reason: '考核测试：提前完成' }));
    await waitFor(
      'the new deadline on every assignment',
      async () =>
        (
          await query<{ n: number }>(
            `SELECT count(*)::int AS n FROM assignments a JOIN tasks t ON t.id = a.task_id
              WHERE t.plan_id = $1 AND a.assessed_due_at = $2`,
            [stack.plan.id, dueAt],
          )
        )[0].n === 5,
      20_000,
    );
    await finish('finance.staff', 1, 'finance');

    // Calls to 县水务局: one answered, resolved and rated at once; one left unanswered past its limit.
    const first = ok(await stack.calls.raise('gaoren.staff', 'water')).body.id;
    ok(await stack.calls.act('water.staff', first, 'respond', { note: '已签收' }));
    ok(await stack.calls.act('water.staff', first, 'resolve', { resolution: '已解决' }));
    ok(await stack.calls.act('gaoren.staff', first, 'evaluate', { rating: 'satisfied', comment: '满意' }));
    const second = ok(await stack.calls.raise('gaoren.staff', 'water')).body.id;

    const levelOf = async (unitId: string, no: number) =>
      (
        await query<{ escalation_level: number }>('SELECT escalation_level FROM assignments WHERE id = $1', [
          stack.assignmentOf(unitId, no).id,
        ])
      )[0].escalation_level;
    await waitFor(
      'level 1 on every open assignment',
      async () =>
        (await levelOf('civil-affairs', 1)) === 1 &&
        (await levelOf('finance', 2)) === 1 &&
        (await levelOf('approval', 1)) === 1 &&
        (await levelOf('approval', 2)) === 1,
      30_000,
    );
    await waitFor(
      'the unanswered call at level 1',
      async () =>
        (await query<{ escalation_level: number }>('SELECT escalation_level FROM calls WHERE id = $1', [second]))[0]
          .escalation_level === 1,
      30_000,
    );
    // 县民政局 reports late: approved, not on time.
    await finish('civil-affairs.staff', 1, 'civil-affairs');

    const body = ok(await get('supervisor')).body;
    expect(body.period).toBe(period);
    expect(body.policy).toEqual(DEFAULT_ASSESSMENT);
    const byUnit = Object.fromEntries(body.units.map((unit) => [unit.unitId, unit]));
    for (const expected of EXPECTED) {
      const { unitId, unitName, ...figures } = expected;
      expect({ unitId, figures: byUnit[unitId]?.figures }).toEqual({ unitId, figures });
      const scored = scoreUnit(expected, DEFAULT_ASSESSMENT)!;
      expect(byUnit[unitId]).toMatchObject({
        unitName,
        score: scored.score,
        base: scored.base,
        deductions: scored.deductions,
        components: scored.components,
      });
    }
    // Worked out by hand (weights 50/20/20/10, −2 per overdue, −1 per level-1 escalation):
    // 县水务局 (20×½ + 20×½ + 10×1) / 50 = 60, −1 → 59; 县财政局 50 × ½ = 50, −2 −1 → 47; the others 0.
    expect(body.units.map((unit) => [unit.unitId, unit.score, unit.rank])).toEqual([
      ['water', 59, 1],
      ['finance', 47, 2],
      ['approval', 0, 3],
      ['civil-affairs', 0, 3],
    ]);
    expect(body.rankedUnits).toBe(4);
    expect(body.units).toEqual(
      rankAssessment(EXPECTED, DEFAULT_ASSESSMENT).map(({ figures: _figures, ...score }) =>
        expect.objectContaining(score),
      ),
    );

    // The leader and admin see the same; a unit sees its own row only, with its rank among all.
    expect(ok(await get('leader')).body).toEqual(body);
    expect(ok(await get('admin')).body).toEqual(body);
    const own = ok(await get('finance.staff')).body;
    expect(own.units).toEqual([byUnit.finance]);
    expect(own.rankedUnits).toBe(4);
    expect(ok(await get('gaoren.staff')).body.units).toEqual([]);

    // The year and the quarter containing the month hold the same work; the plan filter keeps the calls.
    const year = ok(await get('supervisor', `period=${period.slice(0, 4)}`)).body;
    expect(year.units).toEqual(body.units);
    const planOnly = ok(await get('supervisor', `period=${period}&planId=${stack.plan.id}`)).body;
    expect(planOnly.units).toEqual(body.units);
    // Last year: nothing due, nothing received.
    expect(ok(await get('supervisor', `period=${Number(period.slice(0, 4)) - 1}`)).body.units).toEqual([]);
  });

  it('another ASSESSMENT_POLICY gives other scores from the same figures', async () => {
    const body = ok(await get('supervisor', `period=${period}`, stack.on('callsFirst') as typeof stack)).body;
    expect(body.policy).toEqual(CALLS_FIRST);
    const expected = rankAssessment(EXPECTED, CALLS_FIRST);
    // 县水务局 (40×½ + 40×½ + 10×1) / 90 × 100 = 55.56, −5 → 50.56; 县财政局 10 × ½ / 10 = 50, −5 → 45.
    expect(body.units.map((unit) => [unit.unitId, unit.score, unit.rank])).toEqual(
      expected.map((score) => [score.unitId, score.score, score.rank]),
    );
    expect(body.units.find((unit) => unit.unitId === 'water')!.score).toBe(50.56);
    expect(body.units.find((unit) => unit.unitId === 'finance')!.score).toBe(45);
    const byDefault = ok(await get('supervisor')).body;
    expect(body.units.map((unit) => unit.score)).not.toEqual(byDefault.units.map((unit) => unit.score));
  });

  it('the .xlsx, read back without exceljs, holds what GET /assessment says', async () => {
    const fetchXlsx = async (who: string) => {
      const response = await fetch(`${stack.baseUrl}/exports/assessment.xlsx?period=${period}`, {
        headers: { authorization: `Bearer ${stack.token(who)}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('spreadsheetml');
      expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('考核'));
      return readFirstSheet(new Uint8Array(await response.arrayBuffer()));
    };
    const percent = (rate: number | null) => (rate === null ? '' : Math.round(rate * 10000) / 100);
    const asRows = (body: AssessmentBody) =>
      body.units.map((unit) => [
        unit.rank,
        unit.unitName,
        unit.score,
        percent(unit.components.taskOnTime),
        percent(unit.components.callResponse),
        percent(unit.components.callResolution),
        percent(unit.components.satisfaction),
        unit.deductions,
        unit.figures.assignmentsDue,
        unit.figures.approvedOnTime,
        unit.figures.overdue,
        unit.figures.escalations.level1,
        unit.figures.escalations.level2,
        unit.figures.escalations.level3,
        unit.figures.callsReceived,
        unit.figures.respondedOnTime,
        unit.figures.resolvedOnTime,
        unit.figures.satisfied,
        unit.figures.rework,
      ]);
    const rows = await fetchXlsx('supervisor');
    expect(rows[0]).toEqual([`${period} 考核得分`]);
    expect(rows[1].slice(0, 7)).toEqual([
      '排名',
      '单位',
      '得分',
      '任务按时完成率',
      '呼应按时响应率',
      '按时办结率',
      '满意率',
    ]);
    expect(rows.slice(2)).toEqual(asRows(ok(await get('supervisor')).body));
    expect(rows.slice(2).map((row) => row[1])).toEqual(['县水务局', '县财政局', '县审批局', '县民政局']);
    // A unit's export is its own row.
    const own = await fetchXlsx('finance.staff');
    expect(own.slice(2)).toEqual(asRows(ok(await get('finance.staff')).body));
    expect(own.slice(2).map((row) => row[1])).toEqual(['县财政局']);
  });

  it.each([
    ['period=2026-13', 'period'],
    ['period=2026-Q5', 'period'],
    ['period=1999', 'period'],
    ['period=2026-1', 'period'],
    ['period=%E4%B8%8A%E5%8D%8A%E5%B9%B4', 'period'],
    ['', 'period'],
    [`period=2026-11&planId=nope`, 'planId'],
    ['period=2026-11&colour=red', 'colour'],
  ])('refuses ?%s with a 400 naming %s (the list and the export)', async (bad, field) => {
    for (const route of ['/assessment', '/exports/assessment.xlsx']) {
      const response = await stack.request<{ status: number; detail: string }>('GET', `${route}?${bad}`, {
        token: stack.token('supervisor'),
      });
      expect({ route, status: response.status }).toEqual({ route, status: 400 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.detail).toContain(field);
    }
  });

  it('a plan cannot set the county-wide weights: 400, nothing stored', async () => {
    const before = (await query<{ n: number }>('SELECT count(*)::int AS n FROM plans'))[0].n;
    const form = new FormData();
    form.append('file', new Blob([twoTaskList('2028年6月底前')]), 'plan.txt');
    form.append('policy', JSON.stringify({ assessment: { weights: { taskOnTime: 1 } } }));
    const response = await fetch(`${stack.baseUrl}/plans`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${stack.token('supervisor')}` },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('policy.assessment');
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM plans'))[0].n).toBe(before);
  });
});
