import { Duration, durationProblem } from './duration';
import { ReportingCycle, reportingCycleProblem } from './reporting-cycle';

export interface EscalationStep {
  /** Measured from the deadline (assignments) or from the response/resolution limit (calls). */
  after: Duration;
  level: 1 | 2 | 3;
}

export interface CallLimits {
  respondWithin: Duration;
  resolveWithin: Duration;
}

export interface Policy {
  timezone: string;
  assignment: {
    acknowledgeWithin: Duration;
    /** Reminders this long before the deadline. */
    remindBefore: Duration[];
    escalateAfter: EscalationStep[];
    reviewWithin: Duration;
    /** When an ongoing task (长期坚持) reports; a missed report is reminded and escalated like a deadline. */
    reportingCycle: ReportingCycle;
  };
  call: {
    normal: CallLimits;
    urgent: CallLimits;
    /** Reminders this long before the running limit (to respond, or to resolve). */
    remindBefore: Duration[];
    escalateAfter: EscalationStep[];
    /** A resolved call nobody evaluates within this long closes itself as 满意 by default (marked so). */
    autoCloseAfter: Duration;
  };
  /**
   * 考核 (scoreUnit in ./assessment): weights of the four rates (relative: they need not sum to 100) and the points
   * taken off per overdue assignment and per escalation by level. County-wide: a score spans plans, so the API
   * uses the default policy (with ASSESSMENT_POLICY laid over it), never a plan's.
   */
  assessment: {
    weights: { taskOnTime: number; callResponse: number; callResolution: number; satisfaction: number };
    deductions: { perOverdue: number; perEscalation: { level1: number; level2: number; level3: number } };
  };
}

/** A policy document names the field that is wrong, e.g. `assignment.remindBefore[1]`. */
export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid policy: ${problems.join('; ')}`);
    this.name = 'PolicyError';
  }
}

/**
 * Each reminder is a timer, a notification and an audit event per unit and deadline: a policy with a
 * thousand of them would flood every unit. The ladder is bounded by its levels (1–3, each once).
 */
export const MAX_REMINDERS = 10;

type Shape = 'duration' | 'durations' | 'ladder' | 'timezone' | 'cycle' | 'points' | { [field: string]: Shape };

const LIMITS: Shape = { respondWithin: 'duration', resolveWithin: 'duration' };
const POLICY_SHAPE: Shape = {
  timezone: 'timezone',
  assignment: {
    acknowledgeWithin: 'duration',
    remindBefore: 'durations',
    escalateAfter: 'ladder',
    reviewWithin: 'duration',
    reportingCycle: 'cycle',
  },
  call: {
    normal: LIMITS,
    urgent: LIMITS,
    remindBefore: 'durations',
    escalateAfter: 'ladder',
    autoCloseAfter: 'duration',
  },
  assessment: {
    weights: { taskOnTime: 'points', callResponse: 'points', callResolution: 'points', satisfaction: 'points' },
    deductions: { perOverdue: 'points', perEscalation: { level1: 'points', level2: 'points', level3: 'points' } },
  },
};

/** A weight or a deduction: a finite number of points, 0…100 (more would make one item outweigh the whole score). */
const MAX_POINTS = 100;

/**
 * Validates a complete policy. Every problem is reported with the path of its field; unknown fields are
 * problems too (a misspelt `remindBefor` would otherwise silently fall back to a default).
 */
export function validatePolicy(input: unknown): Policy {
  const problems: string[] = [];
  check(input, POLICY_SHAPE, 'policy', problems);
  // All weights 0 would leave every unit without a score: nothing to divide by.
  if (problems.length === 0) {
    const weights = Object.values((input as Policy).assessment.weights);
    if (weights.every((weight) => weight === 0))
      problems.push('policy.assessment.weights: at least one must be above 0');
  }
  if (problems.length > 0) throw new PolicyError(problems);
  return input as Policy;
}

/**
 * A plan's policy: the defaults with the plan's own fields laid over them (objects merge field by field,
 * lists replace), then validated as a whole.
 */
export function resolvePolicy(defaults: Policy, overrides: unknown): Policy {
  if (overrides === undefined || overrides === null) return validatePolicy(defaults);
  if (typeof overrides !== 'object' || Array.isArray(overrides))
    throw new PolicyError(['policy: must be a JSON object']);
  return validatePolicy(merge(defaults, overrides as Record<string, unknown>));
}

function merge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = key in base ? merge(base[key], value) : value;
  return result;
}

function check(value: unknown, shape: Shape, path: string, problems: string[]): void {
  if (shape === 'duration') {
    const problem = durationProblem(value);
    if (problem) problems.push(`${path}: ${problem}`);
  } else if (shape === 'durations') {
    if (!Array.isArray(value)) problems.push(`${path}: must be a list of durations`);
    else if (value.length > MAX_REMINDERS) problems.push(`${path}: at most ${MAX_REMINDERS} reminders`);
    else value.forEach((item, index) => check(item, 'duration', `${path}[${index}]`, problems));
  } else if (shape === 'cycle') {
    const problem = reportingCycleProblem(value);
    if (problem) problems.push(`${path}: ${problem}`);
  } else if (shape === 'points') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_POINTS)
      problems.push(`${path}: ${JSON.stringify(value)} must be a number from 0 to ${MAX_POINTS}`);
  } else if (shape === 'ladder') {
    checkLadder(value, path, problems);
  } else if (shape === 'timezone') {
    if (typeof value !== 'string' || !isTimeZone(value))
      problems.push(`${path}: ${JSON.stringify(value)} is not an IANA time zone`);
  } else if (!isPlainObject(value)) {
    problems.push(`${path}: must be an object`);
  } else {
    for (const [field, fieldShape] of Object.entries(shape)) {
      if (!(field in value)) problems.push(`${path}.${field}: is required`);
      else check(value[field], fieldShape, `${path}.${field}`, problems);
    }
    for (const field of Object.keys(value)) if (!(field in shape)) problems.push(`${path}.${field}: unknown field`);
  }
}

/** An escalation ladder climbs: levels 1, 2, 3 in that order, each at most once. */
function checkLadder(value: unknown, path: string, problems: string[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${path}: must be a non-empty list of { "after": duration, "level": 1|2|3 }`);
    return;
  }
  let previous = 0;
  value.forEach((step, index) => {
    const stepPath = `${path}[${index}]`;
    if (!isPlainObject(step)) return problems.push(`${stepPath}: must be { "after": duration, "level": 1|2|3 }`);
    for (const field of Object.keys(step))
      if (field !== 'after' && field !== 'level') problems.push(`${stepPath}.${field}: unknown field`);
    check(step.after, 'duration', `${stepPath}.after`, problems);
    if (step.level !== 1 && step.level !== 2 && step.level !== 3) {
      problems.push(`${stepPath}.level: must be 1, 2 or 3`);
    } else if (step.level <= previous) {
      problems.push(
        `${stepPath}.level: levels must climb in order (level ${step.level} comes after level ${previous})`,
      );
    } else {
      previous = step.level;
    }
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
