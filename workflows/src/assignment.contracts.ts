import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { AssignmentAction, field, MAX_EVIDENCE_ITEMS, RequestShape } from '@county/domain';
import type {
  Actor,
  AttachmentRef,
  AssignmentRole,
  AssignmentStatus,
  AssignmentTransition,
  DeadlineChangeSource,
  Policy,
  ReportingCycle,
  UnitDeadlines,
} from '@county/domain';

/** Wire names below are API: they never change once released (running workflows depend on them). */

export function assignmentWorkflowId(assignmentId: string): string {
  return `assignment-${assignmentId}`;
}

export interface AssignmentWorkflowInput {
  assignmentId: string;
  taskId: string;
  taskTitle: string;
  unitId: string;
  role: AssignmentRole;
  leadUnitIds: string[];
  dueAt: string | null;
  /** Reminder offsets and the escalation ladder (the plan's policy). */
  policy: Policy['assignment'];
  /**
   * Set for an ongoing task (长期坚持): instead of one deadline, a progress report is due every cycle, and
   * a missed report is reminded and escalated like a missed deadline.
   */
  reportingCycle?: ReportingCycle;
  /** Set by continue-as-new: where the previous run left off. */
  continued?: AssignmentContinuation;
}

/** What an assignment carries into its next run when its history grows long (continue-as-new). */
export interface AssignmentContinuation {
  view: AssignmentView;
  deadlineVersion: number;
  /** The projector's sequence, so dedupe keys never repeat across runs. */
  projectedChanges: number;
  /** When the reporting cycle began (fixed-length cycles count from it). */
  cycleAnchor: number;
  taskEnded: boolean;
  /** Reminders and escalations already fired for the current deadline (e.g. `escalation-1`). */
  firedEvents: string[];
  /** The task's, the unit's own and the assessed deadline (absent in runs continued before they were kept). */
  deadlines?: UnitDeadlines;
  /** The 签收 limit's clock while the unit has not signed: from when it was assigned, what it has fired. */
  acknowledge?: { assignedAt: number; fired: string[]; late: boolean };
  /** The report waiting for review, if any: its 审核 clock goes on from its submission (not re-fired ones). */
  review?: { submittedAt: number; fired: string[] };
  /** A report returned after the deadline: the unit is overdue from the return (see REVIEW_LIMIT). */
  overdueFrom?: number;
  /** The deadline clock's own light (the view's light also weighs a late 签收 and a return). */
  clockLight?: 'green' | 'yellow' | 'red';
}

/**
 * The assignment as it stands now. It holds what the workflow needs to decide and nothing that grows with
 * use: the reports themselves live in the read model and the audit log, so an assignment with thousands of
 * reports still answers in a few hundred bytes and continues as new with bounded state.
 */
export interface AssignmentView {
  assignmentId: string;
  unitId: string;
  role: AssignmentRole;
  status: AssignmentStatus;
  percent: number | null;
  dueAt: string | null;
  escalationLevel: number;
  light: 'green' | 'yellow' | 'red';
}

export interface ActionRequest {
  /** Who asks, as the API loaded them from the database; the validator checks it again. */
  actor: Actor;
}

/** What each action's update accepts (its validator refuses anything else, see requestProblem). */
export const ASSIGNMENT_REQUESTS: Record<AssignmentTransition, RequestShape> = {
  [AssignmentAction.Acknowledge]: { actor: field.actor(), note: field.optionalText('note') },
  [AssignmentAction.Progress]: {
    actor: field.actor(),
    note: field.text('progressNote'),
    percent: field.integer(0, 100),
    attachments: field.attachments(),
  },
  [AssignmentAction.Submit]: {
    actor: field.actor(),
    summary: field.text('report'),
    evidence: field.texts('evidenceItem', MAX_EVIDENCE_ITEMS),
    attachments: field.attachments(),
  },
  [AssignmentAction.Withdraw]: { actor: field.actor(), reason: field.text('reason') },
  [AssignmentAction.Approve]: { actor: field.actor(), comment: field.optionalText('note') },
  [AssignmentAction.Return]: { actor: field.actor(), reason: field.text('reason') },
};

export const acknowledgeUpdate = defineUpdate<AssignmentView, [ActionRequest & { note?: string }]>('acknowledge');
/**
 * 佐证材料 travel as references (AttachmentRef: id, name, size, sha256), never bytes. `attachments` is optional and
 * absent from requests made before files existed: those replay exactly as they ran (no patch needed — the field only
 * adds to the audit payload, which is activity input, not a command).
 */
export type ProgressRequest = ActionRequest & { note: string; percent: number; attachments?: AttachmentRef[] };
export type SubmitRequest = ActionRequest & { summary: string; evidence: string[]; attachments?: AttachmentRef[] };
export const progressUpdate = defineUpdate<AssignmentView, [ProgressRequest]>('progress');
export const submitUpdate = defineUpdate<AssignmentView, [SubmitRequest]>('submit');
/** 撤回: the unit takes its submitted report back before review (a new update: no earlier history has it). */
export const withdrawUpdate = defineUpdate<AssignmentView, [ActionRequest & { reason: string }]>('withdraw');
export const approveUpdate = defineUpdate<AssignmentView, [ActionRequest & { comment?: string }]>('approve');
export const returnUpdate = defineUpdate<AssignmentView, [ActionRequest & { reason: string }]>('return');

/**
 * From the task workflow: the task ended (closed or cancelled), moved this work to another unit (转办) or took the
 * unit off the task (减签, `removed`). A 转办 or 减签 that names `replyTo` (the task workflow's id) and `requestId`
 * is answered with reassignAnsweredSignal: the assignment decides, once, whether its work can still end that way
 * (not once it is approved, cancelled, reassigned or removed).
 */
export const endAssignmentSignal = defineSignal<
  [
    {
      status: 'closed' | 'cancelled' | 'reassigned' | 'removed';
      reason: string;
      replyTo?: string;
      requestId?: string;
    },
  ]
>('endAssignment');
/**
 * From the task workflow: the supervision office corrected the task. The lead units decide who signs off and
 * whom the review clock chases, so a running assignment takes the new ones at once; the title is what its
 * notifications name. A new signal: no earlier history carries it, so nothing replays differently.
 */
export const taskEditedSignal = defineSignal<[{ title: string; leadUnitIds: string[] }]>('taskEdited');
/** The assignment's answer to a 转办 (sent to the task workflow): accepted, or refused in `status`. */
export const reassignAnsweredSignal =
  defineSignal<[{ requestId: string; accepted: boolean; status: AssignmentStatus }]>('reassignAnswered');
/**
 * The supervision office moved the deadline: from the task workflow for every unit (source `task`, the default for
 * signals sent before the source existed), or from the API for this unit only (an approved extension request, the
 * office's 延期 from an escalation). The unit works to the later of the task's and its own deadline; reminders and
 * escalations re-arm when that moves (see afterDeadlineChange in @county/domain).
 */
export const deadlineChangedSignal =
  defineSignal<[{ dueAt: string | null; reason: string; source?: DeadlineChangeSource }]>('deadlineChanged');
export const assignmentViewQuery = defineQuery<AssignmentView>('assignmentView');
