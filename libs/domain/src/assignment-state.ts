import { ErrorCode } from './errors';

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
}

export enum AssignmentAction {
  Acknowledge = 'acknowledge',
  Progress = 'progress',
  Submit = 'submit',
  Approve = 'approve',
  Return = 'return',
}

/** The whole state machine: the states each action may start from, and where it leads. */
export const ASSIGNMENT_TRANSITIONS: Record<
  AssignmentAction,
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
  [AssignmentAction.Approve]: { from: [AssignmentStatus.Submitted], to: AssignmentStatus.Approved },
  [AssignmentAction.Return]: { from: [AssignmentStatus.Submitted], to: AssignmentStatus.Returned },
};

/** Who may act: the assigned unit's own people do the work; only a head of a lead unit signs it off. */
export interface Actor {
  userId: string;
  unitId: string;
  roles: string[];
}

export interface AssignmentParties {
  unitId: string;
  leadUnitIds: readonly string[];
}

export type Decision = { allowed: true; to: AssignmentStatus } | { allowed: false; code: ErrorCode; reason: string };

/**
 * Decides whether `actor` may take `action` on an assignment in `status`. Pure, so the API can check before
 * sending and the workflow's update validator checks again against its own state.
 */
export function decideAssignmentAction(
  action: AssignmentAction,
  status: AssignmentStatus,
  actor: Actor,
  parties: AssignmentParties,
): Decision {
  const signsOff = action === AssignmentAction.Approve || action === AssignmentAction.Return;
  if (signsOff) {
    if (!actor.roles.includes('head') || !parties.leadUnitIds.includes(actor.unitId)) {
      return {
        allowed: false,
        code: ErrorCode.Forbidden,
        reason: 'Only a head of a lead unit of this task may approve or return a report.',
      };
    }
    if (parties.leadUnitIds.includes(parties.unitId) && parties.unitId === actor.unitId) {
      return { allowed: false, code: ErrorCode.Forbidden, reason: 'A lead unit does not sign off its own assignment.' };
    }
  } else if (actor.unitId !== parties.unitId || !(actor.roles.includes('staff') || actor.roles.includes('head'))) {
    return {
      allowed: false,
      code: ErrorCode.Forbidden,
      reason: 'Only staff or the head of the assigned unit may do this.',
    };
  }
  const transition = ASSIGNMENT_TRANSITIONS[action];
  if (!transition.from.includes(status)) {
    return { allowed: false, code: ErrorCode.Conflict, reason: `Cannot ${action} an assignment that is ${status}.` };
  }
  return { allowed: true, to: transition.to };
}
