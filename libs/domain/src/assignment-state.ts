import { ErrorCode } from './errors';
import { assignmentStatusLabel, taskStatusLabel } from './exports';
import { AssignmentRole } from './plan';
import { TaskStatus } from './task-state';
import { Actor, actsForUnit, isLeadUnitHead, isSupervisor, isUnitWorker } from './user';

/** Where one unit's part of a task stands (DESIGN §4). */
export enum AssignmentStatus {
  Assigned = 'assigned',
  /** 签收: the unit has taken the work on. */
  Acknowledged = 'acknowledged',
  InProgress = 'in-progress',
  Submitted = 'submitted',
  /** 退回: the lead unit's head sent the report back with a reason. */
  Returned = 'returned',
  Approved = 'approved',
  Cancelled = 'cancelled',
  /** 转办: the supervision office moved the work to another unit; this record stays for the audit trail. */
  Reassigned = 'reassigned',
  /** 减签: the supervision office took the unit off the task (with a reason); this record stays for the audit trail. */
  Removed = 'removed',
}

/** Where the work is with the unit: it can 签收, report progress or submit (and its deadline clock runs). */
export const OPEN_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = [
  AssignmentStatus.Assigned,
  AssignmentStatus.Acknowledged,
  AssignmentStatus.InProgress,
  AssignmentStatus.Returned,
];

/** Not yet ended: open, or submitted and waiting for review. Such an assignment can be reassigned or extended. */
export const LIVE_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = [
  ...OPEN_ASSIGNMENT_STATUSES,
  AssignmentStatus.Submitted,
];

/**
 * Nothing more is expected of a unit whose work is approved, cancelled, moved to another unit (转办) or taken
 * off the task (减签).
 */
export const ENDED_ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = [
  AssignmentStatus.Approved,
  AssignmentStatus.Cancelled,
  AssignmentStatus.Reassigned,
  AssignmentStatus.Removed,
];

export function isAssignmentEnded(status: string): boolean {
  return ENDED_ASSIGNMENT_STATUSES.includes(status as AssignmentStatus);
}

export function isAssignmentLive(status: string): boolean {
  return LIVE_ASSIGNMENT_STATUSES.includes(status as AssignmentStatus);
}

/**
 * What can be done to an assignment (the route verbs). The order is the order the console shows buttons in.
 * The transitions move it through its state table; the others are decided by their own rules below.
 */
export enum AssignmentAction {
  Acknowledge = 'acknowledge',
  Progress = 'progress',
  Submit = 'submit',
  /** 撤回: the unit takes its submitted report back before the lead unit's head has decided on it. */
  Withdraw = 'withdraw',
  /** Ask the supervision office for a later deadline (DESIGN §4.5). */
  RequestExtension = 'requestExtension',
  Approve = 'approve',
  Return = 'return',
  /** 转办 (supervision office). */
  Reassign = 'reassign',
  /** Name the unit's 承办人 (decideSetHandler); not a transition, the workflow does not know of it. */
  SetHandler = 'setHandler',
  /** 催办 (decideUrge): a reminder with a text, at any time; not a transition either. */
  Urge = 'urge',
}

export const ASSIGNMENT_ACTIONS: readonly AssignmentAction[] = Object.values(AssignmentAction);

/** The actions that move an assignment through its state table. */
export type AssignmentTransition = Exclude<
  AssignmentAction,
  AssignmentAction.RequestExtension | AssignmentAction.Reassign | AssignmentAction.SetHandler | AssignmentAction.Urge
>;

/** The whole state machine: the states each action may start from, and where it leads. */
export const ASSIGNMENT_TRANSITIONS: Record<
  AssignmentTransition,
  { from: readonly AssignmentStatus[]; to: AssignmentStatus }
> = {
  [AssignmentAction.Acknowledge]: { from: [AssignmentStatus.Assigned], to: AssignmentStatus.Acknowledged },
  [AssignmentAction.Progress]: {
    from: [AssignmentStatus.Acknowledged, AssignmentStatus.InProgress, AssignmentStatus.Returned],
    to: AssignmentStatus.InProgress,
  },
  [AssignmentAction.Submit]: {
    from: [AssignmentStatus.Acknowledged, AssignmentStatus.InProgress, AssignmentStatus.Returned],
    to: AssignmentStatus.Submitted,
  },
  // Back to the unit's own work: the report stays in the audit log as submitted, and the unit may submit again.
  [AssignmentAction.Withdraw]: { from: [AssignmentStatus.Submitted], to: AssignmentStatus.InProgress },
  [AssignmentAction.Approve]: { from: [AssignmentStatus.Submitted], to: AssignmentStatus.Approved },
  [AssignmentAction.Return]: { from: [AssignmentStatus.Submitted], to: AssignmentStatus.Returned },
};

export interface AssignmentParties {
  unitId: string;
  leadUnitIds: readonly string[];
}

export type Decision = { allowed: true; to: AssignmentStatus } | { allowed: false; code: ErrorCode; reason: string };
/** A yes/no decision with the reason for a no (for actions that do not move the assignment's state). */
export type Permission = { allowed: true } | { allowed: false; code: ErrorCode; reason: string };

const refuse = (code: ErrorCode, reason: string) => ({ allowed: false as const, code, reason });

/** How a refusal names each step of the state table: a person reads the reason (the console shows it). */
const TRANSITION_VERBS: Record<AssignmentTransition, string> = {
  [AssignmentAction.Acknowledge]: '签收',
  [AssignmentAction.Progress]: '报告进展',
  [AssignmentAction.Submit]: '提交办理结果',
  [AssignmentAction.Withdraw]: '撤回提交',
  [AssignmentAction.Approve]: '审核通过',
  [AssignmentAction.Return]: '退回',
};

/**
 * Decides whether `actor` may take `action` on an assignment in `status`. Pure, so the API can check before
 * sending and the workflow's update validator checks again against its own state. Who: the assigned unit's
 * own people do the work; only a head of a lead unit signs it off, and never its own unit's part.
 */
export function decideAssignmentAction(
  action: AssignmentTransition,
  status: AssignmentStatus,
  actor: Actor,
  parties: AssignmentParties,
): Decision {
  const signsOff = action === AssignmentAction.Approve || action === AssignmentAction.Return;
  if (signsOff) {
    if (!isLeadUnitHead(actor, parties.leadUnitIds)) {
      return refuse(ErrorCode.Forbidden, '只有本任务牵头单位的负责人可以审核通过或退回报送。');
    }
    if (parties.leadUnitIds.includes(parties.unitId) && actsForUnit(actor, parties.unitId)) {
      return refuse(ErrorCode.Forbidden, '牵头单位不能审核本单位自己的报送。');
    }
  } else if (!isUnitWorker(actor, parties.unitId)) {
    return refuse(ErrorCode.Forbidden, '只有承办单位的工作人员或负责人可以办理。');
  }
  const transition = ASSIGNMENT_TRANSITIONS[action];
  if (!transition.from.includes(status)) {
    return refuse(
      ErrorCode.Conflict,
      `该单位的任务当前为“${assignmentStatusLabel(status)}”，不能${TRANSITION_VERBS[action]}。`,
    );
  }
  return { allowed: true, to: transition.to };
}

/**
 * May `actor` ask for a later deadline on this assignment now? Staff or the head of the assigned unit, while
 * the work is not ended, before its current deadline passes (DESIGN §4.5) and while no earlier request waits
 * for a decision. The requested date itself is checked by `checkRequestedDueAt`.
 */
export function decideExtensionRequest(
  actor: Actor,
  assignment: { unitId: string; status: string; dueAt: string | null; extensionPending?: boolean },
  now: Date,
): Permission {
  if (!isUnitWorker(actor, assignment.unitId)) {
    return refuse(ErrorCode.Forbidden, '只有承办单位的工作人员或负责人可以申请延期。');
  }
  if (!isAssignmentLive(assignment.status))
    return refuse(
      ErrorCode.Conflict,
      `该单位的任务当前为“${assignmentStatusLabel(assignment.status)}”，不能申请延期。`,
    );
  if (assignment.dueAt && Date.parse(assignment.dueAt) < now.getTime()) {
    return refuse(ErrorCode.Conflict, '已过完成时限：延期须在到期前申请。');
  }
  if (assignment.extensionPending) {
    return refuse(ErrorCode.Conflict, '该任务已有一项延期申请等待督查室决定。');
  }
  return { allowed: true };
}

/** The requested deadline must be later than the current one and in the future. */
export function checkRequestedDueAt(requestedDueAt: Date, currentDueAt: string | null, now: Date): Permission {
  if (
    (currentDueAt && requestedDueAt.getTime() <= Date.parse(currentDueAt)) ||
    requestedDueAt.getTime() <= now.getTime()
  ) {
    return refuse(ErrorCode.ValidationFailed, '申请的新时限须晚于当前完成时限，且在今后。');
  }
  return { allowed: true };
}

/**
 * The unit-work phase of a task is over: every responsible unit is approved (the task waits for the lead unit's
 * 汇总 or the supervision office's 销号), or the task is closed or cancelled. What stays of a lead unit's own
 * assignment then (it lasts as long as its task and never needs an approval) is no work to 签收, report or
 * extend: the lead unit's part is the consolidated report (TaskAction.Consolidate).
 */
export function taskLeftUnitWork(task: { status: string }): boolean {
  // The statuses after unit work, named rather than "all but in progress": a task whose workflow has not started
  // (TASK_NOT_STARTED) has its unit work ahead, and an action then waits for the process (503 with Retry-After).
  // A switch, not a module-level set: task-state and this module import each other, so TaskStatus may not be
  // defined yet while this module loads.
  switch (task.status) {
    case TaskStatus.AwaitingConsolidation:
    case TaskStatus.AwaitingVerification:
    case TaskStatus.Closed:
    case TaskStatus.Cancelled:
      return true;
    default:
      return false;
  }
}

/** The actions that are a unit doing its own part of a task: offered only while the task's unit work runs. */
export const UNIT_WORK_ACTIONS: readonly AssignmentAction[] = [
  AssignmentAction.Acknowledge,
  AssignmentAction.Progress,
  AssignmentAction.Submit,
  AssignmentAction.Withdraw,
  AssignmentAction.RequestExtension,
];

/**
 * May a unit still do `action` on its part of this task? Refused (409) once the task has left unit work
 * (taskLeftUnitWork); every other action is left to its own rule.
 */
export function decideUnitWorkOnTask(action: AssignmentAction, task: { status: string }): Permission {
  if (UNIT_WORK_ACTIONS.includes(action) && taskLeftUnitWork(task)) {
    return refuse(
      ErrorCode.Conflict,
      task.status === TaskStatus.Closed || task.status === TaskStatus.Cancelled
        ? '任务已销号或已撤销，各单位的办理已结束。'
        : '各责任单位均已审核通过，单位办理阶段已结束；牵头单位请提交汇总情况。',
    );
  }
  return { allowed: true };
}

/**
 * May `actor` 转办 this assignment? The supervision office, for a responsible unit's part that has not ended,
 * while the task is in progress. (The new unit is checked against the registry and the task separately.)
 */
export function decideReassign(
  actor: Actor,
  assignment: { role: string; status: string },
  task: { status: string },
): Permission {
  if (!isSupervisor(actor)) return refuse(ErrorCode.Forbidden, '只有督查室可以转办。');
  if (assignment.role !== AssignmentRole.Responsible) {
    return refuse(ErrorCode.Conflict, '牵头单位的任务不能转办；请改为加签新的单位。');
  }
  if (!isAssignmentLive(assignment.status)) {
    return refuse(ErrorCode.Conflict, `该单位的任务当前为“${assignmentStatusLabel(assignment.status)}”，不能转办。`);
  }
  if (task.status !== TaskStatus.InProgress) {
    return refuse(ErrorCode.Conflict, `任务当前为“${taskStatusLabel(task.status)}”，只有推进中的任务可以增加单位。`);
  }
  return { allowed: true };
}

/**
 * May `actor` 催办 (urge) this unit's work? The supervision office may urge any unit; a lead unit's head may urge
 * the other units of its own task (not its own part: its people do that work). Only live work can be urged, as
 * often as needed: every 催办 is its own notification and audit event.
 */
export function decideUrge(
  actor: Actor,
  assignment: { unitId: string; status: string },
  task: { status: string; leadUnitIds: readonly string[] },
): Permission {
  const leadHead = isLeadUnitHead(actor, task.leadUnitIds) && !actsForUnit(actor, assignment.unitId);
  if (!isSupervisor(actor) && !leadHead) {
    return refuse(ErrorCode.Forbidden, '只有督查室或本任务牵头单位负责人可以催办其他单位。');
  }
  const ended = task.status === TaskStatus.Closed || task.status === TaskStatus.Cancelled;
  if (!isAssignmentLive(assignment.status) || ended) {
    return refuse(ErrorCode.Conflict, '该单位的这项工作已结束（已通过、已销号、已取消或已转办），无需催办。');
  }
  return { allowed: true };
}

/**
 * May the supervision office move this unit's deadline (延期 from an escalation)? Only while its work has
 * not ended.
 */
export function decideDeadlineExtension(actor: Actor, assignment: { status: string }): Permission {
  if (!isSupervisor(actor)) return refuse(ErrorCode.Forbidden, '只有督查室可以调整完成时限。');
  if (!isAssignmentLive(assignment.status)) {
    return refuse(
      ErrorCode.Conflict,
      `该单位的任务当前为“${assignmentStatusLabel(assignment.status)}”，没有需要调整的完成时限。`,
    );
  }
  return { allowed: true };
}

/**
 * May `actor` take this unit off the task (减签)? The supervision office, while the task is in progress, for a
 * responsible unit whose work is still live. A lead unit's own part is not removed this way (its lead role is
 * changed by editing the task), and the last responsible unit stays: a task with nobody to do the work would
 * move straight on to consolidation, which is what cancelling the task is for. `otherResponsibleUnits` counts
 * the task's other responsible units still on it (approved ones included: they did their part).
 */
export function decideUnitRemoval(
  actor: Actor,
  task: { status: string },
  assignment: { role: string; live: boolean } | undefined,
  otherResponsibleUnits: number,
): Permission {
  if (!isSupervisor(actor)) return refuse(ErrorCode.Forbidden, '只有督查室可以减签责任单位。');
  if (task.status !== TaskStatus.InProgress) {
    return refuse(ErrorCode.Conflict, `任务当前为“${taskStatusLabel(task.status)}”，只有推进中的任务可以减签。`);
  }
  if (!assignment) return refuse(ErrorCode.NotFound, '该单位不是本任务的责任单位。');
  if (assignment.role !== AssignmentRole.Responsible) {
    return refuse(ErrorCode.Conflict, '牵头单位不能减签；如需调整牵头单位，请修改任务。');
  }
  if (!assignment.live) {
    return refuse(ErrorCode.Conflict, '该单位的任务已结束（已通过、已取消、已转办或已减签），不能减签。');
  }
  if (otherResponsibleUnits === 0) {
    return refuse(ErrorCode.Conflict, '不能减签本任务唯一的责任单位；如任务不再办理，请撤销任务。');
  }
  return { allowed: true };
}
