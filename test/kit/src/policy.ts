/**
 * Deadline policies in seconds instead of working days, for suites that must watch reminders and escalations
 * fire. A number is seconds; a string is an ISO duration ('PT10M'); `{ workdays }` is working days.
 */
export type Offset = number | string | { workdays: number };

const duration = (offset: Offset) => (typeof offset === 'number' ? `PT${offset}S` : offset);

export interface AssignmentPolicyOptions {
  /** Reminders this long before the deadline. */
  remind: Offset | Offset[];
  /** Levels 1, 2 and 3 this long after the deadline. */
  ladder: [Offset, Offset, Offset];
  /** For ongoing tasks (长期坚持): a progress report due every cycle. */
  cycle?: Offset;
}

/** The `policy` overrides an import takes (its `policy` form field is this, as JSON: see policyField). */
export function assignmentPolicy({ remind, ladder, cycle }: AssignmentPolicyOptions) {
  return {
    assignment: {
      ...(cycle === undefined ? {} : { reportingCycle: duration(cycle) }),
      remindBefore: (Array.isArray(remind) ? remind : [remind]).map(duration),
      escalateAfter: ladder.map((after, index) => ({ after: duration(after), level: index + 1 })),
    },
  };
}

/** Level 1 the moment a deadline passes (a reminder 1 s before it); levels 2 and 3 well after any test. */
export const LEVEL_1_AT_DEADLINE = assignmentPolicy({ remind: 1, ladder: [0, 'PT10M', 'PT20M'] });

/**
 * One of each, exactly: the notifications (by kind, counted) finance's assignment of ONE_TASK_LIST ends with once a
 * deadline moved into the near future has passed and the whole ladder has fired.
 */
export const FULL_LADDER_NOTIFICATIONS = [
  { kind: 'deadline-changed', n: 1 },
  { kind: 'deadline-reminder', n: 1 },
  { kind: 'escalation-level-1', n: 2 }, // the unit's head and the lead unit's head
  { kind: 'escalation-level-2', n: 1 },
  { kind: 'escalation-level-3', n: 1 },
  { kind: 'task-assigned', n: 1 },
];

/** The import form's `policy` field. */
export const policyField = (policy: object) => ({ policy: JSON.stringify(policy) });

/** Call limits in seconds instead of working days, laid over the default call policy (CALL_POLICY, as JSON). */
export function callPolicy(seconds: {
  respond: number;
  resolve: number;
  ladder: [number, number, number];
  autoClose: number;
  remind?: number;
}): string {
  const limits = { respondWithin: `PT${seconds.respond}S`, resolveWithin: `PT${seconds.resolve}S` };
  return JSON.stringify({
    normal: limits,
    urgent: limits,
    remindBefore: seconds.remind === undefined ? [] : [`PT${seconds.remind}S`],
    escalateAfter: seconds.ladder.map((after, index) => ({ after: `PT${after}S`, level: index + 1 })),
    autoCloseAfter: `PT${seconds.autoClose}S`,
  });
}

/** Calls answer within ten minutes: nothing fires while a test acts (CALL_POLICY). */
export const PATIENT_CALL_POLICY = callPolicy({ respond: 600, resolve: 600, ladder: [0, 600, 1200], autoClose: 600 });

/** 考核 weights and deductions, as the API's ASSESSMENT_POLICY setting (laid over the default policy's `assessment`). */
export function assessmentPolicySetting(assessment: {
  weights?: Partial<Record<'taskOnTime' | 'callResponse' | 'callResolution' | 'satisfaction', number>>;
  deductions?: { perOverdue?: number; perEscalation?: Partial<Record<'level1' | 'level2' | 'level3', number>> };
}): NodeJS.ProcessEnv {
  return { ASSESSMENT_POLICY: JSON.stringify(assessment) };
}
