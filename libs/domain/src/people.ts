import { ErrorCode } from './errors';
import { Actor, hasRole, isSupervisor, isUnitWorker, Role } from './user';

/**
 * 承办人 and 委派 (issue 14): who in a unit is handling an item, and who signs off for an absent head.
 *
 * A named handler is a note on the unit's item, not a step of its process: the unit stays responsible and
 * every one of its staff and its head may still 签收, report and submit. So the handler lives in the read model
 * (a column on assignments and calls) and the workflows never learn of it — nothing they decide depends on it,
 * and a history that does not carry it replays unchanged.
 */

type Permission = { allowed: true } | { allowed: false; code: ErrorCode; reason: string };
const refuse = (code: ErrorCode, reason: string): Permission => ({ allowed: false, code, reason });

/** What the handler rules look at: the unit that works the item, whether it is still open, its handler now. */
export interface HandledItem {
  unitId: string;
  /** Work is still expected of the unit (a live assignment, a call not yet closed). */
  open: boolean;
  handlerUserId: string | null;
}

/** The colleague to be named: only an enabled staff member or head of the item's unit. */
export interface HandlerCandidate {
  id: string;
  unitId: string;
  roles: readonly string[];
  disabled?: boolean;
}

/**
 * May `actor` name a handler for this item (the `setHandler` action)? The unit's head always (it can change
 * the handler); the unit's staff only while nobody is named, or to hand on an item named to themselves —
 * staff do not take a colleague's item away from them. Nobody outside the unit, and not once the work ended.
 */
export function decideSetHandler(actor: Actor, item: HandledItem): Permission {
  if (!isUnitWorker(actor, item.unitId)) {
    return refuse(ErrorCode.Forbidden, '只有本单位的负责人或工作人员可以指定承办人。');
  }
  if (!item.open) return refuse(ErrorCode.Conflict, '该事项已办结，不能再指定承办人。');
  if (!hasRole(actor, Role.Head) && item.handlerUserId !== null && item.handlerUserId !== actor.userId) {
    return refuse(ErrorCode.Forbidden, '已指定其他承办人，只有单位负责人可以更换。');
  }
  return { allowed: true };
}

/**
 * The whole decision once the colleague is known: `decideSetHandler`, and the named user must be an enabled
 * staff member or head of the item's unit. A user of another unit and an unknown id get the same answer, so
 * the route cannot be used to find out who exists elsewhere.
 */
export function decideHandler(actor: Actor, item: HandledItem, handler: HandlerCandidate | null): Permission {
  const base = decideSetHandler(actor, item);
  if (!base.allowed) return base;
  if (!handler || handler.disabled || !isUnitWorker(handler, item.unitId)) {
    return refuse(ErrorCode.ValidationFailed, 'userId: 不是本单位在岗的工作人员或负责人。');
  }
  return { allowed: true };
}

/**
 * Who sees the handler's phone: the unit itself, the task's lead units (they chase the work), the supervision
 * office and county leaders. Others see the name only.
 */
export function maySeeHandlerContact(
  actor: Pick<Actor, 'unitId' | 'roles'>,
  item: { unitId: string; leadUnitIds?: readonly string[]; fromUnitId?: string },
): boolean {
  if (isSupervisor(actor) || hasRole(actor, Role.Leader)) return true;
  if (actor.unitId === item.unitId) return true;
  if (item.leadUnitIds?.includes(actor.unitId)) return true;
  return item.fromUnitId === actor.unitId;
}

/** A delegation runs at most this long: a longer absence is a change of head, an account change. */
export const MAX_DELEGATION_DAYS = 92;

export interface DelegationWindow {
  startsAt: string;
  endsAt: string;
}

export interface Delegation extends DelegationWindow {
  id: string;
  unitId: string;
  headUserId: string;
  headName: string;
  deputyUserId: string;
  deputyName: string;
  /** Ended early by the head (null while it stands). */
  revokedAt: string | null;
  /** The head is still an enabled head of the unit (false: disabled, moved or no longer head — it stops). */
  headInOffice?: boolean;
}

/** Does the delegation give its deputy the head's sign-off at `now`? */
export function isDelegationActive(delegation: Delegation, now: Date): boolean {
  const at = now.getTime();
  return (
    delegation.revokedAt === null &&
    delegation.headInOffice !== false &&
    Date.parse(delegation.startsAt) <= at &&
    at < Date.parse(delegation.endsAt)
  );
}

/**
 * May `actor` (a head) delegate their approvals to `deputy` for `window`? Only a head, to an enabled colleague
 * of the same unit who is not a head already and not themselves; the window must end after it starts, in the
 * future, and last at most MAX_DELEGATION_DAYS.
 */
export function decideDelegation(
  actor: Actor,
  deputy: HandlerCandidate | null,
  window: DelegationWindow,
  now: Date,
): Permission {
  if (!hasRole(actor, Role.Head)) return refuse(ErrorCode.Forbidden, '只有单位负责人可以委派审核。');
  if (!deputy || deputy.disabled || deputy.unitId !== actor.unitId) {
    return refuse(ErrorCode.ValidationFailed, 'deputyUserId: 不是本单位在岗的工作人员。');
  }
  if (deputy.id === actor.userId) return refuse(ErrorCode.ValidationFailed, 'deputyUserId: 不能委派给自己。');
  if (hasRole(deputy, Role.Head)) {
    return refuse(ErrorCode.ValidationFailed, 'deputyUserId: 该同事本身就是单位负责人，无需委派。');
  }
  const starts = Date.parse(window.startsAt);
  const ends = Date.parse(window.endsAt);
  if (Number.isNaN(starts) || Number.isNaN(ends) || ends <= starts) {
    return refuse(ErrorCode.ValidationFailed, 'endsAt: 结束时间必须晚于开始时间。');
  }
  if (ends <= now.getTime()) return refuse(ErrorCode.ValidationFailed, 'endsAt: 结束时间必须在将来。');
  if (ends - starts > MAX_DELEGATION_DAYS * 86_400_000) {
    return refuse(ErrorCode.ValidationFailed, `endsAt: 委派期限最长 ${MAX_DELEGATION_DAYS} 天。`);
  }
  return { allowed: true };
}

/** Only the head who gave a delegation ends it early, once. */
export function decideRevokeDelegation(actor: Actor, delegation: Delegation, now: Date): Permission {
  if (delegation.headUserId !== actor.userId) return refuse(ErrorCode.Forbidden, '只有委派人可以撤销委派。');
  if (delegation.revokedAt !== null || Date.parse(delegation.endsAt) <= now.getTime()) {
    return refuse(ErrorCode.Conflict, '该委派已结束。');
  }
  return { allowed: true };
}

/**
 * The actor a sign-off (approve / 退回) is decided and recorded with. A deputy whose delegation from a head of
 * their own unit runs now acts with the head role for it, so `isLeadUnitHead` — in the API's check and in the
 * workflow's validator alike — answers as it would for the head; `actingFor` names the head. Anyone else, and
 * every other action, keeps their own roles.
 */
export function signOffActor(actor: Actor, delegations: readonly Delegation[], now: Date): Actor {
  if (hasRole(actor, Role.Head)) return actor;
  const running = delegations.find(
    (delegation) =>
      delegation.deputyUserId === actor.userId &&
      delegation.unitId === actor.unitId &&
      isDelegationActive(delegation, now),
  );
  if (!running) return actor;
  return {
    ...actor,
    roles: [...actor.roles, Role.Head],
    actingFor: {
      delegationId: running.id,
      headUserId: running.headUserId,
      headName: running.headName,
      deputyName: running.deputyName,
    },
  };
}
