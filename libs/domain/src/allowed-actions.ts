import {
  AssignmentAction,
  AssignmentStatus,
  AssignmentTransition,
  decideAssignmentAction,
  decideDeadlineExtension,
  decideExtensionRequest,
  decideReassign,
  decideUnitWorkOnTask,
  decideUrge,
  isAssignmentLive,
  Permission,
} from './assignment-state';
import {
  CallAction,
  CALL_ITEM_ACTIONS,
  CallItemAction,
  CallStatus,
  CallSupervision,
  decideCallAction,
  decideCallSupervisionState,
} from './call-state';
import { ErrorCode } from './errors';
import { assignmentStatusLabel } from './exports';
import { decideSetHandler } from './people';
import { decideTaskAction, TASK_ACTIONS, TaskAction } from './task-state';
import { Actor, hasRole, isSupervisor, Role } from './user';

/**
 * What the current user may do to each item the API returns (`allowedActions`), decided by the same rules
 * the API's guards and the workflows' update validators use: an action is in the list exactly when the
 * guard would let it through on the item's stored state. The order is the order the console shows buttons.
 */

const TRANSITIONS: readonly AssignmentTransition[] = [
  AssignmentAction.Acknowledge,
  AssignmentAction.Progress,
  AssignmentAction.Submit,
  AssignmentAction.Withdraw,
  AssignmentAction.Approve,
  AssignmentAction.Return,
];

export interface AssignmentFacts {
  unitId: string;
  role: string;
  status: string;
  dueAt: string | null;
  /** An extension request of this assignment waits for a decision. */
  extensionPending?: boolean;
  /** Its 承办人 (null or absent: nobody named). */
  handlerUserId?: string | null;
}

export interface TaskFacts {
  status: string;
  leadUnitIds: readonly string[];
}

/**
 * acknowledge | progress | submit | withdraw | requestExtension | approve | return | reassign | setHandler | urge. `signOffAs`: the
 * actor approve and 退回 are decided for (signOffActor: a deputy under a running 委派 signs off as a head);
 * every other action is decided for the user's own roles.
 */
export function assignmentActions(
  actor: Actor,
  assignment: AssignmentFacts,
  task: TaskFacts,
  now: Date = new Date(),
  signOffAs: Actor = actor,
): AssignmentAction[] {
  const allowed = new Set<AssignmentAction>();
  for (const action of TRANSITIONS) {
    const signsOff = action === AssignmentAction.Approve || action === AssignmentAction.Return;
    const decision = decideAssignmentAction(
      action,
      assignment.status as AssignmentStatus,
      signsOff ? signOffAs : actor,
      {
        unitId: assignment.unitId,
        leadUnitIds: task.leadUnitIds,
      },
    );
    if (decision.allowed) allowed.add(action);
  }
  if (decideExtensionRequest(actor, assignment, now).allowed) allowed.add(AssignmentAction.RequestExtension);
  if (decideReassign(actor, assignment, task).allowed) allowed.add(AssignmentAction.Reassign);
  const handled = {
    unitId: assignment.unitId,
    open: isAssignmentLive(assignment.status),
    handlerUserId: assignment.handlerUserId ?? null,
  };
  if (decideSetHandler(actor, handled).allowed) allowed.add(AssignmentAction.SetHandler);
  if (decideUrge(actor, assignment, task).allowed) allowed.add(AssignmentAction.Urge);
  // A lead unit's own row outlives the unit work (its assignment lasts as long as the task): no 签收 or 申请延期
  // is offered on it once every responsible unit is approved.
  return Object.values(AssignmentAction).filter(
    (action) => allowed.has(action) && decideUnitWorkOnTask(action, task).allowed,
  );
}

/** consolidate | close | return | changeDeadline | addUnit | removeUnit | edit | cancel | instruct. */
export function taskActions(actor: Actor, task: TaskFacts): TaskAction[] {
  return TASK_ACTIONS.filter((action) => decideTaskAction(action, task.status, actor, task).allowed);
}

/** respond | resolve | evaluate | setHandler. */
export function callActions(
  actor: Actor,
  call: { status: string; fromUnitId: string; toUnitId: string; handlerUserId?: string | null },
): CallItemAction[] {
  return CALL_ITEM_ACTIONS.filter((action) =>
    action === CallAction.SetHandler
      ? decideSetHandler(actor, callHandled(call)).allowed
      : decideCallAction(action, call.status as CallStatus, actor, call).allowed,
  );
}

/** A call as the handler rules see it: the called unit works it until it is closed. */
export function callHandled(call: { status: string; toUnitId: string; handlerUserId?: string | null }) {
  return { unitId: call.toUnitId, open: call.status !== CallStatus.Closed, handlerUserId: call.handlerUserId ?? null };
}

/** What the supervision office can do with an escalation: 催办, 转办, extend the deadline, 挂牌督办. */
export enum EscalationAction {
  Remind = 'remind',
  Reassign = 'reassign',
  Extend = 'extend',
  Flag = 'flag',
}

/** Handling a call's escalation is supervising the call the same way. */
export const CALL_SUPERVISION_OF: Record<EscalationAction, CallSupervision> = {
  [EscalationAction.Remind]: CallSupervision.Remind,
  [EscalationAction.Reassign]: CallSupervision.Reassign,
  [EscalationAction.Extend]: CallSupervision.Extend,
  [EscalationAction.Flag]: CallSupervision.Flag,
};

/** The escalation actions an item offers as buttons, in their order. */
export const ESCALATION_ITEM_ACTIONS = [
  EscalationAction.Remind,
  EscalationAction.Reassign,
  EscalationAction.Extend,
  EscalationAction.Flag,
] as const;
export type EscalationItemAction = (typeof ESCALATION_ITEM_ACTIONS)[number];

/** Which clock raised an escalation: a deadline (an assignment's, a reporting cycle's, a call's limit), 签收 or 审核. */
export enum EscalationCause {
  Deadline = 'deadline',
  Acknowledge = 'acknowledge',
  Review = 'review',
}

/** An escalation with the state of what it is about: an assignment (with its task) or a call. */
export interface EscalationFacts {
  subjectType: string;
  /** Absent: a deadline's. */
  cause?: EscalationCause;
  handledAt: string | null;
  /** The assignment's or the call's status now (null when the subject is not recorded). */
  subjectStatus: string | null;
  /** For an assignment: its role and its task's status. */
  assignmentRole?: string | null;
  taskStatus?: string | null;
  /** For a call: its parties. */
  fromUnitId?: string | null;
  toUnitId?: string | null;
}

/**
 * May `actor` handle this escalation with `action`? The supervision office, once, while it is open; 转办 and
 * extend also need the subject to allow them (the same rules as reassigning or extending it directly). The
 * new unit of a 转办 is checked when it is named.
 */
export function decideEscalationHandling(
  action: EscalationAction,
  actor: Actor,
  escalation: EscalationFacts,
): Permission {
  if (!isSupervisor(actor)) {
    return {
      allowed: false,
      code: ErrorCode.Forbidden,
      reason: '只有督查室可以处理预警。',
    };
  }
  if (escalation.handledAt) {
    return { allowed: false, code: ErrorCode.Conflict, reason: '该预警已经处理过。' };
  }
  if (action === EscalationAction.Remind) return { allowed: true };
  // 挂牌督办 of a unit's work needs nothing of its state; a call's follows the call's supervision rules below.
  if (action === EscalationAction.Flag && escalation.subjectType !== 'call') return { allowed: true };
  if (escalation.subjectStatus === null) {
    return { allowed: false, code: ErrorCode.Conflict, reason: '未记录该预警所涉事项的状态，无法处理。' };
  }
  // A late review chases the lead unit's head: moving or reassigning the reporting unit's work answers nothing.
  if (escalation.cause === EscalationCause.Review) {
    return {
      allowed: false,
      code: ErrorCode.Conflict,
      reason: '审核超时预警催办的是牵头单位审核，不能转办或延期报送单位的任务。',
    };
  }
  // A unit late to sign (签收) has no deadline problem to extend; 转办 (the wrong unit was named) still applies.
  if (escalation.cause === EscalationCause.Acknowledge && action === EscalationAction.Extend) {
    return {
      allowed: false,
      code: ErrorCode.Conflict,
      reason: '逾期未签收预警与完成时限无关，不能延期；可催办或转办。',
    };
  }
  if (escalation.subjectType === 'call') {
    return decideCallSupervisionState(CALL_SUPERVISION_OF[action], escalation.subjectStatus as CallStatus, actor, {
      fromUnitId: escalation.fromUnitId ?? '',
      toUnitId: escalation.toUnitId ?? '',
    });
  }
  if (action === EscalationAction.Reassign) {
    return decideReassign(
      actor,
      { role: escalation.assignmentRole ?? '', status: escalation.subjectStatus },
      { status: escalation.taskStatus ?? '' },
    );
  }
  return decideDeadlineExtension(actor, { status: escalation.subjectStatus });
}

/** remind | reassign | extend | flag. */
export function escalationActions(actor: Actor, escalation: EscalationFacts): EscalationItemAction[] {
  return ESCALATION_ITEM_ACTIONS.filter((action) => decideEscalationHandling(action, actor, escalation).allowed);
}

/** What a county leader does with a 挂牌督办 (level-3) item in 待办: 已阅, or write a 批示 on it. */
export enum EscalationLeaderAction {
  Read = 'read',
  Instruct = 'instruct',
}

export const ESCALATION_LEADER_ACTIONS: readonly EscalationLeaderAction[] = Object.values(EscalationLeaderAction);

/** The highest rung: county leadership (挂牌督办), the only level a leader's queue and 待办 hold. */
export const LEADER_ESCALATION_LEVEL = 3;

/**
 * May `actor` mark this item 已阅? A county leader, on an item that reached level 3 (what reaches the leader);
 * a repeat is harmless (it changes nothing), so an item already read still allows it and the console hides it.
 */
export function decideEscalationRead(actor: Actor, escalation: { level: number }): Permission {
  if (!hasRole(actor, Role.Leader)) {
    return { allowed: false, code: ErrorCode.Forbidden, reason: '只有县领导可以标记已阅。' };
  }
  if (escalation.level < LEADER_ESCALATION_LEVEL) {
    return { allowed: false, code: ErrorCode.Forbidden, reason: '只有县领导挂牌督办（三级）的事项需要县领导阅示。' };
  }
  return { allowed: true };
}

/** read (while this leader has not read it) | instruct (批示, any time), for a level-3 item. */
export function escalationLeaderActions(
  actor: Actor,
  escalation: { level: number; readAt: string | null },
): EscalationLeaderAction[] {
  if (!decideEscalationRead(actor, escalation).allowed) return [];
  return escalation.readAt
    ? [EscalationLeaderAction.Instruct]
    : [EscalationLeaderAction.Read, EscalationLeaderAction.Instruct];
}

/** The supervision office's decision on an extension request. */
export enum ExtensionAction {
  Approve = 'approve',
  Reject = 'reject',
}

export const EXTENSION_ACTIONS: readonly ExtensionAction[] = Object.values(ExtensionAction);

export enum ExtensionRequestStatus {
  Pending = 'pending',
  Approved = 'approved',
  Rejected = 'rejected',
  /** Its assignment ended (approved, cancelled, reassigned) while it was still pending. */
  Closed = 'closed',
}

/** A decided request's state as a refusal says it: 该延期申请已批准. */
const EXTENSION_REQUEST_DONE: Readonly<Record<string, string>> = {
  [ExtensionRequestStatus.Approved]: '已批准',
  [ExtensionRequestStatus.Rejected]: '已驳回',
  [ExtensionRequestStatus.Closed]: '已因任务结束而关闭',
};

export const EXTENSION_REQUEST_STATUSES: readonly ExtensionRequestStatus[] = Object.values(ExtensionRequestStatus);

/** The supervision office decides a request once, while it is pending and its assignment has not ended. */
export function decideExtensionDecision(
  actor: Actor,
  request: { status: string },
  assignment?: { status: string },
): Permission {
  if (!isSupervisor(actor)) {
    return {
      allowed: false,
      code: ErrorCode.Forbidden,
      reason: '只有督查室可以决定延期申请。',
    };
  }
  if (request.status !== ExtensionRequestStatus.Pending) {
    return {
      allowed: false,
      code: ErrorCode.Conflict,
      reason: `该延期申请${EXTENSION_REQUEST_DONE[request.status] ?? `的状态为“${request.status}”`}，不能再作决定。`,
    };
  }
  if (assignment && !isAssignmentLive(assignment.status)) {
    return {
      allowed: false,
      code: ErrorCode.Conflict,
      reason: `该单位的任务当前为“${assignmentStatusLabel(assignment.status)}”，不能再决定延期申请。`,
    };
  }
  return { allowed: true };
}

/** approve | reject. */
export function extensionActions(
  actor: Actor,
  request: { status: string },
  assignment?: { status: string },
): ExtensionAction[] {
  return decideExtensionDecision(actor, request, assignment).allowed ? [...EXTENSION_ACTIONS] : [];
}
