/**
 * 考核: a unit's score for a period (issue 17). One pure formula that the API, the export and the console all show.
 *
 * Components (each a fraction 0…1, or null when the unit had no such work in the period):
 * - taskOnTime    任务按时完成率 = assignments approved on time / assignments due in the period
 * - callResponse  呼应按时响应率 = calls responded on time / calls received in the period
 * - callResolution 按时办结率    = calls resolved on time / calls received in the period
 * - satisfaction  满意率        = satisfied evaluations / all evaluations (each 不满意 is one 返工)
 *
 * score = max(0, 100 × Σ(weight × rate) / Σ(weight of the components the unit has)
 *                − perOverdue × overdue − Σ(perEscalation[level] × escalations at that level))
 *
 * A component without work is left out and its weight goes to the others in proportion (a department no township
 * ever called is scored on its tasks alone, neither rewarded nor punished for the calls it never got). A unit with
 * no component at all in the period has no score and is not ranked. Scores are rounded to two decimals.
 */
import { Policy } from './policy';
import { Role } from './user';

export const ASSESSMENT_COMPONENTS = ['taskOnTime', 'callResponse', 'callResolution', 'satisfaction'] as const;
export type AssessmentComponent = (typeof ASSESSMENT_COMPONENTS)[number];

/** Chinese names for everything a user reads (board, export). */
export const ASSESSMENT_COMPONENT_NAMES: Record<AssessmentComponent, string> = {
  taskOnTime: '任务按时完成率',
  callResponse: '呼应按时响应率',
  callResolution: '按时办结率',
  satisfaction: '满意率',
};

export type AssessmentPolicy = Policy['assessment'];

/** What the read model knows about one unit in one period (AssessmentRepository computes these in SQL). */
export interface AssessmentFigures {
  unitId: string;
  unitName: string;
  /** Assignments whose assessed deadline falls in the period (and has passed, or the work is approved on time). */
  assignmentsDue: number;
  approvedOnTime: number;
  /** Of those due: approved late, or past the deadline and escalated while still with the unit. */
  overdue: number;
  /** Deadline escalations (assignments and calls of the unit) raised in the period, by level. */
  escalations: { level1: number; level2: number; level3: number };
  /** Calls the unit got in the period. */
  callsReceived: number;
  respondedOnTime: number;
  resolvedOnTime: number;
  /** Satisfied evaluations (满意, 基本满意, closed as 满意 by default). */
  satisfied: number;
  /** 不满意 evaluations (返工). */
  rework: number;
}

export interface AssessmentScore {
  unitId: string;
  unitName: string;
  /** Rounded to two decimals; 0…100. */
  score: number;
  /** 1 = best; equal scores share a rank (1, 2, 2, 4). */
  rank: number;
  components: Record<AssessmentComponent, number | null>;
  /** The part of 100 from the rates, before deductions. */
  base: number;
  /** Points taken off for overdue work and escalations. */
  deductions: number;
  /** The figures the score came from (the unit's id and name are on the score itself). */
  figures: Omit<AssessmentFigures, 'unitId' | 'unitName'>;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const round2 = (value: number): number => Math.round(value * 100) / 100;

export function assessmentComponents(figures: AssessmentFigures): Record<AssessmentComponent, number | null> {
  return {
    taskOnTime: ratio(figures.approvedOnTime, figures.assignmentsDue),
    callResponse: ratio(figures.respondedOnTime, figures.callsReceived),
    callResolution: ratio(figures.resolvedOnTime, figures.callsReceived),
    satisfaction: ratio(figures.satisfied, figures.satisfied + figures.rework),
  };
}

/** One unit's score, or null when it had no work in the period to score. */
export function scoreUnit(figures: AssessmentFigures, policy: AssessmentPolicy): Omit<AssessmentScore, 'rank'> | null {
  const components = assessmentComponents(figures);
  let weighted = 0;
  let weights = 0;
  for (const component of ASSESSMENT_COMPONENTS) {
    const rate = components[component];
    if (rate === null) continue;
    weighted += policy.weights[component] * rate;
    weights += policy.weights[component];
  }
  if (weights === 0) return null;
  const base = (100 * weighted) / weights;
  const { perOverdue, perEscalation } = policy.deductions;
  const deductions =
    perOverdue * figures.overdue +
    perEscalation.level1 * figures.escalations.level1 +
    perEscalation.level2 * figures.escalations.level2 +
    perEscalation.level3 * figures.escalations.level3;
  const { unitId, unitName, ...counts } = figures;
  return {
    unitId,
    unitName,
    score: round2(Math.max(0, base - deductions)),
    components,
    base: round2(base),
    deductions: round2(deductions),
    figures: counts,
  };
}

/** Every unit with work in the period, best first; ties by unit id so the order is stable. */
export function rankAssessment(all: AssessmentFigures[], policy: AssessmentPolicy): AssessmentScore[] {
  const scored = all
    .map((figures) => scoreUnit(figures, policy))
    .filter((score): score is Omit<AssessmentScore, 'rank'> => score !== null)
    .sort((a, b) => b.score - a.score || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  let rank = 0;
  return scored.map((score, index) => {
    if (index === 0 || scored[index - 1].score !== score.score) rank = index + 1;
    return { ...score, rank };
  });
}

export interface AssessmentPeriod {
  /** As given: '2026-11', '2026-Q4' or '2026'. */
  label: string;
  kind: 'month' | 'quarter' | 'year';
  /** Inclusive start and exclusive end, as instants (China time, UTC+8: China has kept no daylight saving since 1991). */
  start: Date;
  end: Date;
}

const PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;
export const PERIOD_FORMAT = "'YYYY-MM' (month), 'YYYY-Qn' (quarter) or 'YYYY' (year)";

/** Midnight China time of the first day of month `month0` (0-based, may be 12 = next year's January). */
const chinaMidnight = (year: number, month0: number): Date => new Date(Date.UTC(year, month0, 1) - 8 * 3600_000);

/** A period the assessment understands, or null (the API answers 400 naming PERIOD_FORMAT). */
export function parsePeriod(text: string): AssessmentPeriod | null {
  const match = PERIOD_PATTERN.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return null;
  if (match[2]) {
    const month0 = Number(match[2]) - 1;
    return { label: text, kind: 'month', start: chinaMidnight(year, month0), end: chinaMidnight(year, month0 + 1) };
  }
  if (match[3]) {
    const month0 = (Number(match[3]) - 1) * 3;
    return { label: text, kind: 'quarter', start: chinaMidnight(year, month0), end: chinaMidnight(year, month0 + 3) };
  }
  return { label: text, kind: 'year', start: chinaMidnight(year, 0), end: chinaMidnight(year, 12) };
}

/** The period (of `kind`) that contains `at`, in China time — the console's default. */
export function periodContaining(at: Date, kind: AssessmentPeriod['kind'] = 'month'): string {
  const china = new Date(at.getTime() + 8 * 3600_000);
  const year = china.getUTCFullYear();
  const month = china.getUTCMonth() + 1;
  if (kind === 'year') return String(year);
  if (kind === 'quarter') return `${year}-Q${Math.ceil(month / 3)}`;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/**
 * Who sees whose score: the supervision office, county leaders and admins see every unit (as on the dashboard's
 * rankings); a unit's staff and head see their own unit's row only — its score, rank and components — and not the
 * other units' details (the rank says where it stands).
 */
export function seesEveryUnitsAssessment(viewer: { roles: readonly string[] }): boolean {
  return viewer.roles.some((role) => role === Role.Supervisor || role === Role.Leader || role === Role.Admin);
}
