import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AssessmentFigures,
  AssessmentPolicy,
  parsePeriod,
  periodContaining,
  rankAssessment,
  scoreUnit,
  seesEveryUnitsAssessment,
} from './assessment';
import { Policy, validatePolicy } from './policy';

const DEFAULTS = validatePolicy(
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../seeds/policy.default.json'), 'utf8')),
) as Policy;
const POLICY: AssessmentPolicy = {
  weights: { taskOnTime: 50, callResponse: 20, callResolution: 20, satisfaction: 10 },
  deductions: { perOverdue: 2, perEscalation: { level1: 1, level2: 2, level3: 4 } },
};

function figures(unitId: string, overrides: Partial<AssessmentFigures> = {}): AssessmentFigures {
  return {
    unitId,
    unitName: unitId,
    assignmentsDue: 0,
    approvedOnTime: 0,
    overdue: 0,
    escalations: { level1: 0, level2: 0, level3: 0 },
    callsReceived: 0,
    respondedOnTime: 0,
    resolvedOnTime: 0,
    satisfied: 0,
    rework: 0,
    ...overrides,
  };
}

describe('assessment score (考核)', () => {
  it('the seeded defaults are the weights documented in the README', () => {
    expect(DEFAULTS.assessment).toEqual(POLICY);
  });

  it('weighs every rate and takes off the deductions', () => {
    const score = scoreUnit(
      figures('finance', {
        assignmentsDue: 4,
        approvedOnTime: 3,
        overdue: 1,
        escalations: { level1: 1, level2: 1, level3: 0 },
        callsReceived: 2,
        respondedOnTime: 2,
        resolvedOnTime: 1,
        satisfied: 1,
        rework: 1,
      }),
      POLICY,
    )!;
    // 50×0.75 + 20×1 + 20×0.5 + 10×0.5 = 72.5 of 100; − 2×1 − 1 − 2 = 67.5
    expect(score.components).toEqual({ taskOnTime: 0.75, callResponse: 1, callResolution: 0.5, satisfaction: 0.5 });
    expect(score.base).toBe(72.5);
    expect(score.deductions).toBe(5);
    expect(score.score).toBe(67.5);
  });

  it('gives a component without work its weight to the others (a unit never called: tasks only)', () => {
    const score = scoreUnit(figures('a', { assignmentsDue: 3, approvedOnTime: 2 }), POLICY)!;
    expect(score.components).toEqual({
      taskOnTime: 2 / 3,
      callResponse: null,
      callResolution: null,
      satisfaction: null,
    });
    expect(score.score).toBe(66.67);
  });

  it('calls without evaluations: satisfaction is left out, the other call rates count', () => {
    const score = scoreUnit(figures('a', { callsReceived: 1, respondedOnTime: 1, resolvedOnTime: 0 }), POLICY)!;
    // (20×1 + 20×0) / 40
    expect(score.score).toBe(50);
  });

  it('no work in the period: no score, not ranked', () => {
    expect(scoreUnit(figures('idle'), POLICY)).toBeNull();
    expect(rankAssessment([figures('idle')], POLICY)).toEqual([]);
  });

  it('never goes below 0', () => {
    const score = scoreUnit(
      figures('late', { assignmentsDue: 5, overdue: 5, escalations: { level1: 5, level2: 5, level3: 5 } }),
      POLICY,
    )!;
    expect(score.base).toBe(0);
    expect(score.deductions).toBe(45);
    expect(score.score).toBe(0);
  });

  it('other weights give other scores (weights are relative)', () => {
    const unit = figures('a', { assignmentsDue: 2, approvedOnTime: 2, callsReceived: 1 });
    expect(scoreUnit(unit, POLICY)!.score).toBe(55.56); // 50×1 / 90
    const callsFirst = {
      ...POLICY,
      weights: { taskOnTime: 10, callResponse: 45, callResolution: 45, satisfaction: 0 },
    };
    expect(scoreUnit(unit, callsFirst)!.score).toBe(10);
  });

  it('ranks best first; equal scores share a rank, then by unit id', () => {
    const ranked = rankAssessment(
      [
        figures('c', { assignmentsDue: 1, approvedOnTime: 0 }),
        figures('b', { assignmentsDue: 1, approvedOnTime: 1 }),
        figures('a', { assignmentsDue: 2, approvedOnTime: 2 }),
        figures('d', { assignmentsDue: 2, approvedOnTime: 1 }),
      ],
      POLICY,
    );
    expect(ranked.map((row) => [row.unitId, row.score, row.rank])).toEqual([
      ['a', 100, 1],
      ['b', 100, 1],
      ['d', 50, 3],
      ['c', 0, 4],
    ]);
  });
});

describe('assessment period', () => {
  it.each([
    ['2026-11', 'month', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z'],
    ['2026-12', 'month', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['2024-02', 'month', '2024-01-31T16:00:00.000Z', '2024-02-29T16:00:00.000Z'],
    ['2026-Q4', 'quarter', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    ['2026-Q1', 'quarter', '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
    ['2026', 'year', '2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
  ])('%s is a %s in China time', (text, kind, start, end) => {
    const period = parsePeriod(text)!;
    expect(period.kind).toBe(kind);
    expect(period.start.toISOString()).toBe(start);
    expect(period.end.toISOString()).toBe(end);
  });

  it.each(['2026-13', '2026-00', '2026-Q5', '2026-Q0', '26', '2026-1', '2026-11-01', ' 2026', '1999', 'x'])(
    'refuses %j',
    (text) => expect(parsePeriod(text)).toBeNull(),
  );

  it('the period containing an instant is taken in China time', () => {
    // 16:30 UTC on 31 October is already 1 November in Pingluo.
    expect(periodContaining(new Date('2026-10-31T16:30:00Z'))).toBe('2026-11');
    expect(periodContaining(new Date('2026-10-31T15:30:00Z'), 'quarter')).toBe('2026-Q4');
    expect(periodContaining(new Date('2026-12-31T16:30:00Z'), 'year')).toBe('2027');
  });
});

describe('who sees which scores', () => {
  it.each([
    [['supervisor'], true],
    [['leader'], true],
    [['admin'], true],
    [['staff'], false],
    [['head'], false],
    [['staff', 'head'], false],
  ])('%j sees every unit: %s', (roles, expected) => {
    expect(seesEveryUnitsAssessment({ roles })).toBe(expected);
  });
});
