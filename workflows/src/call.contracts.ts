import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { CALL_RATINGS, CALL_URGENCIES, CallSupervision, field, RequestShape, UNIT_KINDS } from '@county/domain';
import type { Actor, AttachmentRef, CallRating, CallStatus, CallUrgency, Policy, UnitKind } from '@county/domain';
import type { ActionRequest } from './assignment.contracts';

/** Wire names below are API: they never change once released (running workflows depend on them). */

export function callWorkflowId(callId: string): string {
  return `call-${callId}`;
}

export interface CallWorkflowInput {
  callId: string;
  fromUnitId: string;
  /** Unit kinds as the API read them from the registry, so the workflow can check the raise again. */
  fromUnitKind: UnitKind;
  toUnitId: string;
  toUnitKind: UnitKind;
  subject: string;
  description: string;
  urgency: CallUrgency;
  relatedAssignmentId: string | null;
  raisedBy: Actor;
  /** 佐证材料 the township sends with the call (photos of the site, say): references only; absent before files existed. */
  attachments?: AttachmentRef[];
  /** Limits by urgency, reminders, the ladder and the auto-close interval, fixed when the call is raised. */
  policy: Policy['call'];
}

export interface CallView {
  callId: string;
  fromUnitId: string;
  toUnitId: string;
  subject: string;
  urgency: CallUrgency;
  status: CallStatus;
  /** The response limit, once computed (working days go through the calendar activity). */
  respondBy: string | null;
  /** The running resolution round's limit. */
  resolveBy: string | null;
  escalationLevel: number;
  light: 'green' | 'yellow' | 'red';
  rating: CallRating | null;
  autoClosed: boolean;
  reworkCount: number;
  flagged: boolean;
}

/**
 * Update-with-start: the API starts the call's workflow and sends this update in one request; it answers
 * once the raised call is in the read model (so the caller reads its own write), or is refused by the
 * validator, which checks again who may raise a call to whom.
 */
export const raisedUpdate = defineUpdate<CallView, []>('raised');
export const respondCallUpdate = defineUpdate<CallView, [ActionRequest & { note?: string }]>('respondCall');
/** `attachments`: references only, optional (requests made before files existed replay as they ran). */
export type ResolveCallRequest = ActionRequest & { resolution: string; attachments?: AttachmentRef[] };
export type EvaluateCallRequest = ActionRequest & {
  rating: CallRating;
  comment?: string;
  attachments?: AttachmentRef[];
};
export const resolveCallUpdate = defineUpdate<CallView, [ResolveCallRequest]>('resolveCall');
export const evaluateCallUpdate = defineUpdate<CallView, [EvaluateCallRequest]>('evaluateCall');

/** The supervision office handling one of the call's escalations (催办 needs no workflow change). */
export interface SuperviseCallRequest extends ActionRequest {
  action: Exclude<CallSupervision, CallSupervision.Remind>;
  note: string;
  /** extend: the new limit for the running clock. */
  dueAt?: string;
  /** reassign (转办): the county unit that takes the call over, with its kind from the registry. */
  toUnitId?: string;
  toUnitKind?: UnitKind;
  /** flag (挂牌督办): the newest leader's 批示 on the escalation, carried by the notice to the called unit. */
  instruction?: string;
}
export const superviseCallUpdate = defineUpdate<CallView, [SuperviseCallRequest]>('superviseCall');
/**
 * What the workflow accepts: its start input (a forged start with unstorable text raises nothing) and each
 * update's request (its validator refuses anything else, see requestProblem).
 */
export const CALL_REQUESTS = {
  start: {
    callId: field.id(),
    fromUnitId: field.id(),
    fromUnitKind: field.oneOf(UNIT_KINDS),
    toUnitId: field.id(),
    toUnitKind: field.oneOf(UNIT_KINDS),
    subject: field.text('subject'),
    description: field.text('report'),
    urgency: field.oneOf(CALL_URGENCIES),
    relatedAssignmentId: field.id(false),
    raisedBy: field.actor(),
    attachments: field.attachments(),
    policy: field.object(),
  },
  respondCall: { actor: field.actor(), note: field.optionalText('note') },
  resolveCall: { actor: field.actor(), resolution: field.text('report'), attachments: field.attachments() },
  evaluateCall: {
    actor: field.actor(),
    rating: field.oneOf(CALL_RATINGS),
    comment: field.optionalText('note'),
    attachments: field.attachments(),
  },
  superviseCall: {
    actor: field.actor(),
    action: field.oneOf([CallSupervision.Extend, CallSupervision.Reassign, CallSupervision.Flag]),
    note: field.text('reason'),
    dueAt: field.deadline(false),
    toUnitId: field.id(false),
    toUnitKind: field.oneOf(UNIT_KINDS, false),
    instruction: field.optionalText('comment'),
  },
} satisfies Record<string, RequestShape>;

export const callViewQuery = defineQuery<CallView>('callView');
