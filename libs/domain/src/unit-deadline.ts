/**
 * One unit's deadlines on a task (DESIGN §4.5), decided here once for the assignment workflow, the read
 * model's assessment and the README.
 *
 * An assignment has three dates:
 * - the task's deadline (the plan's 完成时限, moved for every unit by a task-level change);
 * - the unit's own deadline, set only for that unit: an approved extension request (延期申请) or the supervision
 *   office's 延期 from the unit's escalation;
 * - the deadline the unit is **assessed** against (考核时限) for the on-time figures.
 *
 * Rules:
 * 1. The deadline the unit works to (its clock, `assignments.due_at`) is the later of the task's deadline and the
 *    unit's own: a task-level change never shortens an approved per-unit extension.
 * 2. The unit is assessed against the original deadline. Only two things move that measure:
 *    - an approved extension request (it can only be asked for before the deadline passed), and
 *    - a documented office decision: a deadline change with a reason, by the supervision office, made *before* the
 *      deadline the unit is assessed against had passed (a task-level change, or the office's 延期 for that unit).
 *    A change made after that deadline passed moves the clock (new reminders and escalations) but not the
 *    measure: a unit that missed its deadline stays measured against the date it missed.
 *    When the measure moves, it moves to the deadline the unit then works to (rule 1).
 */

/** Where a deadline change comes from. */
export enum DeadlineChangeSource {
  /** The supervision office moved the task's deadline for every unit (POST /tasks/:id/deadline). */
  Task = 'task',
  /** The supervision office moved this unit's deadline (延期 from its escalation). */
  Office = 'office',
  /** The supervision office approved the unit's extension request. */
  ExtensionRequest = 'extension-request',
}

export interface UnitDeadlines {
  /** The task's deadline as this assignment last heard it; null for an ongoing task (长期坚持). */
  task: string | null;
  /** The unit's own deadline (an approved extension or the office's 延期); null if none. */
  unit: string | null;
  /** The deadline the unit is assessed against; null when there is nothing to miss. */
  assessed: string | null;
}

/** The later of two deadlines (null: no deadline from that side). */
export function laterDeadline(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The deadline the unit works to (rule 1). */
export function workingDeadline(deadlines: UnitDeadlines): string | null {
  return laterDeadline(deadlines.task, deadlines.unit);
}

/** The unit's deadlines when it gets its work: the task's deadline is also the one it is assessed against. */
export function initialDeadlines(taskDueAt: string | null): UnitDeadlines {
  return { task: taskDueAt, unit: null, assessed: taskDueAt };
}

/**
 * The unit's deadlines after a change to `dueAt` from `source` decided at `now` (epoch ms): rules 1 and 2.
 * Whether the measure moves is decided against the assessed deadline as it stood before the change.
 */
export function afterDeadlineChange(
  deadlines: UnitDeadlines,
  change: { source: DeadlineChangeSource; dueAt: string | null },
  now: number,
): UnitDeadlines {
  const next: UnitDeadlines =
    change.source === DeadlineChangeSource.Task
      ? { ...deadlines, task: change.dueAt }
      : { ...deadlines, unit: change.dueAt };
  const working = workingDeadline(next);
  if (movesAssessment(deadlines.assessed, change.source, now)) next.assessed = working;
  return next;
}

/** Rule 2: whether a change from `source` at `now` moves the deadline the unit is assessed against. */
export function movesAssessment(assessed: string | null, source: DeadlineChangeSource, now: number): boolean {
  if (source === DeadlineChangeSource.ExtensionRequest) return true;
  return assessed === null || now <= Date.parse(assessed);
}
