import type { Actor } from './user';
import { ErrorCode } from './errors';
import { callStatusLabel } from './exports';
import { UnitKind } from './unit';
import { isSupervisor, isUnitWorker } from './user';

/** Where a 乡呼县应 call stands (DESIGN §4). */
export enum CallStatus {
  /** 呼: a township has asked; the called county unit has not signed for it yet. */
  Raised = 'raised',
  /** 应: the called unit has signed for it (签收) and works on it. */
  Responded = 'responded',
  /** The called unit reports it resolved; the calling township evaluates. */
  Resolved = 'resolved',
  /** 不满意: back with the same unit to resolve again (counted as rework). */
  Reopened = 'reopened',
  /** Evaluated as satisfied or basically satisfied, or closed by default when nobody evaluated in time. */
  Closed = 'closed',
}

export enum CallUrgency {
  Normal = 'normal',
  Urgent = 'urgent',
}

/** 满意 / 基本满意 / 不满意. Wire values: they never change once released. */
export enum CallRating {
  Satisfied = 'satisfied',
  BasicallySatisfied = 'basically-satisfied',
  Dissatisfied = 'dissatisfied',
}

export enum CallAction {
  Raise = 'raise',
  Respond = 'respond',
  Resolve = 'resolve',
  Evaluate = 'evaluate',
  /** The supervision office handling an escalation: extend the limit, reassign (转办), flag (挂牌督办). */
  Supervise = 'supervise',
  /** Name the called unit's 承办人 (decideSetHandler); not a transition, the workflow does not know of it. */
  SetHandler = 'setHandler',
}

export const CALL_STATUSES: readonly CallStatus[] = Object.values(CallStatus);
export const CALL_URGENCIES: readonly CallUrgency[] = Object.values(CallUrgency);
export const CALL_RATINGS: readonly CallRating[] = Object.values(CallRating);

/**
 * The whole state machine: the states each action may start from, and where it leads. Evaluate leads to
 * Closed, or to Reopened when the rating is 不满意 (see `callEvaluationOutcome`).
 */
export const CALL_TRANSITIONS: Record<
  Exclude<CallAction, CallAction.Raise | CallAction.Supervise | CallAction.SetHandler>,
  { from: readonly CallStatus[]; to: CallStatus }
> = {
  [CallAction.Respond]: { from: [CallStatus.Raised], to: CallStatus.Responded },
  // A reopened call is still signed for by the same unit: it resolves again without a second 签收.
  [CallAction.Resolve]: { from: [CallStatus.Responded, CallStatus.Reopened], to: CallStatus.Resolved },
  [CallAction.Evaluate]: { from: [CallStatus.Resolved], to: CallStatus.Closed },
};

/** How a refusal names each step (a person reads it). */
const CALL_ACTION_VERBS: Record<keyof typeof CALL_TRANSITIONS, string> = {
  [CallAction.Respond]: '签收',
  [CallAction.Resolve]: '办结',
  [CallAction.Evaluate]: '评价',
};

/**
 * Open with the called unit: it still has to sign for or resolve the call, a limit is running (and so can be
 * extended), and the call can change hands (转办) — only before it is resolved.
 */
export const OPEN_CALL_STATUSES: readonly CallStatus[] = [CallStatus.Raised, CallStatus.Responded, CallStatus.Reopened];

/** The actions a call item offers its reader (the route verbs), in the order the console shows them. */
export const CALL_ITEM_ACTIONS = [
  CallAction.Respond,
  CallAction.Resolve,
  CallAction.Evaluate,
  CallAction.SetHandler,
] as const;
export type CallItemAction = (typeof CALL_ITEM_ACTIONS)[number];

/** States in which the supervision office may still intervene (not once the call is closed). */
export const SUPERVISABLE_CALL_STATUSES: readonly CallStatus[] = [
  CallStatus.Raised,
  CallStatus.Responded,
  CallStatus.Resolved,
  CallStatus.Reopened,
];

/** The two sides of a call: the township that asked and the county unit that must answer. */
export interface CallParties {
  fromUnitId: string;
  toUnitId: string;
}

export type CallDecision = { allowed: true; to: CallStatus } | { allowed: false; code: ErrorCode; reason: string };

const refuse = (code: ErrorCode, reason: string): CallDecision => ({ allowed: false, code, reason });

/**
 * Units a township may call: the county units that can answer a call for help (DESIGN §4) — county
 * departments, city branches, the court and the procuratorate. Not another township, and not the county
 * leadership or the supervision office, which supervise calls rather than answer them.
 */
export const CALLABLE_UNIT_KINDS: readonly UnitKind[] = [
  UnitKind.CountyDepartment,
  UnitKind.CityBranch,
  UnitKind.Court,
  UnitKind.Procuratorate,
];

export function isCallableUnitKind(kind: UnitKind): boolean {
  return CALLABLE_UNIT_KINDS.includes(kind);
}

/**
 * May `actor` (of a unit of `actorUnitKind`) raise a call to a unit of `toUnitKind`? Only staff or the head
 * of a township raise calls, for their own township, and only to a county unit.
 */
export function decideCallRaise(actor: Actor, actorUnitKind: UnitKind, toUnitKind: UnitKind): CallDecision {
  if (actorUnitKind !== UnitKind.Township || !isUnitWorker(actor, actor.unitId)) {
    return refuse(ErrorCode.Forbidden, '只有乡镇的工作人员或负责人可以发起呼叫（乡呼县应）。');
  }
  if (!isCallableUnitKind(toUnitKind)) {
    return refuse(ErrorCode.ValidationFailed, '呼叫只能发给能够应答的县级单位（县直部门、市直分局、法院或检察院）。');
  }
  return { allowed: true, to: CallStatus.Raised };
}

/**
 * Decides whether `actor` may take `action` on a call in `status`. Pure, so the API checks it against the
 * stored call before sending anything and the workflow's update validator checks it again against its own
 * state. Who: the called unit's staff or head respond and resolve; the calling township's staff or head
 * evaluate; only the supervision office supervises.
 */
export function decideCallAction(
  action: Exclude<CallAction, CallAction.Raise | CallAction.SetHandler>,
  status: CallStatus,
  actor: Actor,
  parties: CallParties,
): CallDecision {
  if (action === CallAction.Supervise) {
    if (!isSupervisor(actor)) return refuse(ErrorCode.Forbidden, '只有督查室可以督办呼叫。');
    if (!SUPERVISABLE_CALL_STATUSES.includes(status))
      return refuse(ErrorCode.Conflict, `该呼叫当前为“${callStatusLabel(status)}”，已无需督办。`);
    return { allowed: true, to: status };
  }
  const actingUnit = action === CallAction.Evaluate ? parties.fromUnitId : parties.toUnitId;
  if (!isUnitWorker(actor, actingUnit)) {
    return refuse(
      ErrorCode.Forbidden,
      action === CallAction.Evaluate
        ? '只有发起呼叫的乡镇的工作人员或负责人可以评价。'
        : '只有被呼叫单位的工作人员或负责人可以签收或办结该呼叫。',
    );
  }
  const transition = CALL_TRANSITIONS[action];
  if (!transition.from.includes(status))
    return refuse(ErrorCode.Conflict, `该呼叫当前为“${callStatusLabel(status)}”，不能${CALL_ACTION_VERBS[action]}。`);
  return { allowed: true, to: transition.to };
}

export enum CallSupervision {
  /** 催办: a reminder to the called unit (changes nothing in the process). */
  Remind = 'remind',
  /** A new limit for the running clock (respond or resolve); the ladder re-arms from it. */
  Extend = 'extend',
  /** 转办: the call goes to another county unit, which must respond afresh. */
  Reassign = 'reassign',
  /** 挂牌督办: the call is marked as under the supervision office's personal watch. */
  Flag = 'flag',
}

const CALL_SUPERVISION_VERBS: Record<CallSupervision, string> = {
  [CallSupervision.Remind]: '催办',
  [CallSupervision.Extend]: '延期',
  [CallSupervision.Reassign]: '转办',
  [CallSupervision.Flag]: '挂牌督办',
};

/**
 * May the supervision office take `supervision` on a call in `status`? Who and when only; a reassignment's
 * new unit is checked by `decideCallSupervision`.
 */
export function decideCallSupervisionState(
  supervision: CallSupervision,
  status: CallStatus,
  actor: Actor,
  parties: CallParties,
): CallDecision {
  const base = decideCallAction(CallAction.Supervise, status, actor, parties);
  if (!base.allowed) return base;
  if (supervision === CallSupervision.Extend || supervision === CallSupervision.Reassign) {
    if (!OPEN_CALL_STATUSES.includes(status))
      return refuse(
        ErrorCode.Conflict,
        `该呼叫当前为“${callStatusLabel(status)}”，不能${CALL_SUPERVISION_VERBS[supervision]}。`,
      );
  }
  return { allowed: true, to: supervision === CallSupervision.Reassign ? CallStatus.Raised : status };
}

/**
 * May the supervision office take `supervision` on a call in `status`? A reassignment names its new unit,
 * which must be a county unit other than the one called now.
 */
export function decideCallSupervision(
  supervision: CallSupervision,
  status: CallStatus,
  actor: Actor,
  parties: CallParties,
  newUnit?: { id: string; kind: UnitKind },
): CallDecision {
  const base = decideCallSupervisionState(supervision, status, actor, parties);
  if (!base.allowed) return base;
  if (supervision === CallSupervision.Reassign) {
    if (!newUnit) return refuse(ErrorCode.ValidationFailed, '转办须指明接办单位（toUnitId）。');
    if (!isCallableUnitKind(newUnit.kind))
      return refuse(ErrorCode.ValidationFailed, '呼叫只能转办给县级单位，不能转给乡镇。');
    if (newUnit.id === parties.toUnitId) return refuse(ErrorCode.ValidationFailed, '该呼叫已由这个单位办理。');
  }
  return base;
}

/** 不满意 sends the call back to the same unit (rework); any other rating closes it. */
export function callEvaluationOutcome(rating: CallRating): CallStatus {
  return rating === CallRating.Dissatisfied ? CallStatus.Reopened : CallStatus.Closed;
}
