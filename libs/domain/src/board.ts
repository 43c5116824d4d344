/**
 * What the 督查看板 (board) says about a task at a glance (issue 18): how many of its units have signed (签收),
 * submitted (提交) and been approved (通过), the percentage they report, and the short word each unit's chip shows.
 * The API counts with these rules and the console words chips with this table, so the two never disagree.
 *
 * This file imports nothing: the console bundles it as it is (apps/web/src/labels.ts).
 */

/**
 * AssignmentStatus's values, spelled out rather than imported so that the console can bundle this file alone
 * (board.spec.ts checks that the two lists agree).
 */
type StatusCode =
  | 'assigned'
  | 'acknowledged'
  | 'in-progress'
  | 'submitted'
  | 'returned'
  | 'approved'
  | 'cancelled'
  | 'reassigned'
  | 'removed';

/**
 * The chip's word for a unit's status: short (a chip sits beside 15 others), and one word per step, so that
 * "13 of 13 approved" reads 通过 thirteen times rather than as thirteen lights.
 */
export const ASSIGNMENT_CHIP_LABELS: Readonly<Record<StatusCode, string>> = {
  assigned: '待签收',
  acknowledged: '已签收',
  'in-progress': '办理中',
  submitted: '已报送',
  returned: '退回',
  approved: '通过',
  cancelled: '撤销',
  reassigned: '转办',
  removed: '减签',
};

export function assignmentChipLabel(status: string): string {
  return (ASSIGNMENT_CHIP_LABELS as Record<string, string>)[status] ?? status;
}

/**
 * Work that no longer belongs to the unit on the task: 转办 left a new assignment in its place, 减签 took the unit
 * off, 撤销 ended it. Such records stay for the audit trail but are not "units of the task" on the board.
 */
const OFF_TASK: ReadonlySet<string> = new Set<StatusCode>(['cancelled', 'reassigned', 'removed']);

/** Has signed for the work (签收) — every status after `assigned`, a returned report included. */
const SIGNED: ReadonlySet<string> = new Set<StatusCode>([
  'acknowledged',
  'in-progress',
  'submitted',
  'returned',
  'approved',
]);

/** Its report is in and stands: waiting for review, or approved. A returned report is not counted as submitted. */
const SUBMITTED: ReadonlySet<string> = new Set<StatusCode>(['submitted', 'approved']);

export function isOnTask(status: string): boolean {
  return !OFF_TASK.has(status);
}

/** One unit's part as the board counts it: its status and the percentage it last reported (null: never). */
export interface UnitPart {
  status: string;
  percent: number | null;
}

/** A task's units by how far they got, each count out of `total`, and the mean reported percentage. */
export interface TaskProgress {
  /** Units on the task (not 转办 away, 减签 or 撤销). */
  total: number;
  acknowledged: number;
  submitted: number;
  approved: number;
  returned: number;
  /**
   * The mean, over the units on the task, of each unit's latest reported percentage (an approved unit counts
   * 100: its work is accepted whatever it last typed; a unit that never reported counts 0), rounded to a whole
   * number; null when the task has no units.
   */
  percent: number | null;
}

export function taskProgress(parts: readonly UnitPart[]): TaskProgress {
  const onTask = parts.filter((part) => isOnTask(part.status));
  const count = (set: ReadonlySet<string>) => onTask.filter((part) => set.has(part.status)).length;
  const reported = onTask.map((part) =>
    part.status === 'approved' ? 100 : Math.min(100, Math.max(0, part.percent ?? 0)),
  );
  return {
    total: onTask.length,
    acknowledged: count(SIGNED),
    submitted: count(SUBMITTED),
    approved: onTask.filter((part) => part.status === 'approved').length,
    returned: onTask.filter((part) => part.status === 'returned').length,
    percent: onTask.length === 0 ? null : Math.round(reported.reduce((sum, n) => sum + n, 0) / onTask.length),
  };
}

/** A plan as the board chooses among them: its id, when it was imported, and how much work in it is still open. */
export interface PlanChoice {
  id: string;
  importedAt: string;
  /** Assignments still with a unit or waiting for review, on tasks not closed or cancelled. */
  openAssignments: number;
}

/**
 * The plan the board opens on: the one the user chose last (remembered by the console) while it still exists,
 * else the plan with the most open work — the list the office is supervising now, not merely the newest import
 * (a one-task test list imported this morning must not hide the county's real list) — newest first on a tie.
 */
export function defaultBoardPlan(plans: readonly PlanChoice[], remembered: string | null): string | null {
  if (remembered && plans.some((plan) => plan.id === remembered)) return remembered;
  let best: PlanChoice | null = null;
  for (const plan of plans) {
    if (
      !best ||
      plan.openAssignments > best.openAssignments ||
      (plan.openAssignments === best.openAssignments && plan.importedAt > best.importedAt)
    ) {
      best = plan;
    }
  }
  return best?.id ?? null;
}
