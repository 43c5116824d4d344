export enum Role {
  /** Department or township staff: acknowledge, report, submit, raise calls. */
  Staff = 'staff',
  /** Unit head: everything staff can do, plus sign-off (approve / return) for lead units. */
  Head = 'head',
  /** Supervision office (督查室): imports plans, changes deadlines, handles escalations, closes tasks. */
  Supervisor = 'supervisor',
  /** County leader: receives level-3 escalations, reads dashboards. */
  Leader = 'leader',
  Admin = 'admin',
}

export const ROLES: readonly Role[] = Object.values(Role);

export interface User {
  id: string;
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
  /** Units merged into the user's unit (the API fills it from the registry on every request). */
  mergedUnitIds?: string[];
}

/** Who is acting: a user reduced to what the rules look at (the API builds it from the token). */
export interface Actor {
  userId: string;
  unitId: string;
  roles: string[];
  /** Units merged into the actor's unit (机构改革): their open work is the actor's unit's now. */
  mergedUnitIds?: string[];
  /** 委派: a deputy signing off for their head (see signOffActor); recorded with the sign-off's audit event. */
  actingFor?: ActingFor;
}

/** Who a deputy signs for, carried on the actor so the audit event of the sign-off records both names. */
export interface ActingFor {
  delegationId: string;
  headUserId: string;
  headName: string;
  deputyName: string;
}

/** What the role rules look at (an Actor, a User, or just a list of roles). */
export interface RoleHolder {
  unitId: string;
  roles: readonly string[];
  mergedUnitIds?: readonly string[];
}

/**
 * Does `holder` act for `unitId`: its own unit, or a unit merged into it? Running workflows keep the id of a
 * merged unit; this is the one place that maps it to the surviving unit for authorization and listing.
 */
export function actsForUnit(holder: Pick<RoleHolder, 'unitId' | 'mergedUnitIds'>, unitId: string): boolean {
  return holder.unitId === unitId || (holder.mergedUnitIds ?? []).includes(unitId);
}

/** Every unit id whose work `holder` sees: its own and those merged into it. */
export function unitsActedFor(holder: Pick<RoleHolder, 'unitId' | 'mergedUnitIds'>): string[] {
  return [holder.unitId, ...(holder.mergedUnitIds ?? [])];
}

export function hasRole(actor: Pick<RoleHolder, 'roles'>, role: Role): boolean {
  return actor.roles.includes(role);
}

/** 牵头单位负责人: a head of one of the task's lead units — reviews reports, consolidates, adds units (加签). */
export function isLeadUnitHead(actor: RoleHolder, leadUnitIds: readonly string[]): boolean {
  return hasRole(actor, Role.Head) && leadUnitIds.some((unitId) => actsForUnit(actor, unitId));
}

/** Staff or the head of `unitId`: the people who do that unit's work (签收, report, submit, raise or answer calls). */
export function isUnitWorker(actor: RoleHolder, unitId: string): boolean {
  return actsForUnit(actor, unitId) && (hasRole(actor, Role.Staff) || hasRole(actor, Role.Head));
}

/** 督查室: changes deadlines, handles escalations and extension requests, verifies and closes tasks. */
export function isSupervisor(actor: Pick<RoleHolder, 'roles'>): boolean {
  return hasRole(actor, Role.Supervisor);
}
