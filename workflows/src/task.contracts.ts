import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { field, MAX_LEAD_UNITS, MAX_TASK_ITEMS, RequestShape } from '@county/domain';
import type { Actor, AssignmentRole, AttachmentRef, Policy, TaskStatus } from '@county/domain';

export function taskWorkflowId(planId: string, no: number): string {
  return `task-${planId}-${no}`;
}

export interface TaskWorkflowInput {
  planId: string;
  taskId: string;
  no: number;
  title: string;
  leadUnitIds: string[];
  dueAt: string | null;
  policy: Policy['assignment'];
  assignments: Array<{ id: string; unitId: string; role: AssignmentRole }>;
  /** 长期坚持: no deadline; the assignments report every `policy.reportingCycle` instead. */
  ongoing?: boolean;
}

/** The task state table lives in libs/domain (task-state.ts); re-exported for the workflow contracts' users. */
export { TaskStatus } from '@county/domain';

export interface TaskView {
  taskId: string;
  status: TaskStatus;
  summary: string | null;
  dueAt: string | null;
  /**
   * The latest deadline changes (at most 20), oldest first, with who changed it and why; the audit log keeps
   * every one, and the task's original deadline stays on record in the read model.
   */
  deadlineChanges: Array<{ from: string | null; to: string | null; reason: string; byUserId: string; at: string }>;
}

/** What each update accepts (its validator refuses anything else, see requestProblem). */
export const TASK_REQUESTS = {
  consolidate: { actor: field.actor(), summary: field.text('report'), attachments: field.attachments() },
  closeTask: { actor: field.actor(), comment: field.optionalText('note') },
  returnTask: { actor: field.actor(), comment: field.text('reason') },
  cancelTask: { actor: field.actor(), reason: field.text('reason') },
  changeDeadline: { actor: field.actor(), dueAt: field.deadline(), reason: field.text('reason') },
  // A unit id as stored (varchar(40)): a longer id sent straight to Temporal would make the projection fail.
  addUnit: { actor: field.actor(), unitId: field.unitId(), reason: field.text('reason') },
  reassign: {
    actor: field.actor(),
    assignmentId: field.id(),
    toUnitId: field.unitId(),
    reason: field.text('reason'),
  },
  removeUnit: { actor: field.actor(), unitId: field.unitId(), reason: field.text('reason') },
  editTask: {
    actor: field.actor(),
    title: field.optionalText('taskTitle'),
    measures: field.optionalTexts('taskItem', MAX_TASK_ITEMS),
    goals: field.optionalTexts('taskItem', MAX_TASK_ITEMS),
    leadUnitIds: field.optionalTexts('unitId', MAX_LEAD_UNITS),
    reason: field.text('reason'),
    previous: field.object(),
  },
} satisfies Record<string, RequestShape>;

/** `attachments`: the lead unit's 佐证材料, references only (absent before files existed: old histories replay as ran). */
export const consolidateUpdate = defineUpdate<
  TaskView,
  [{ actor: Actor; summary: string; attachments?: AttachmentRef[] }]
>('consolidate');
export const closeTaskUpdate = defineUpdate<TaskView, [{ actor: Actor; comment?: string }]>('closeTask');
export const returnTaskUpdate = defineUpdate<TaskView, [{ actor: Actor; comment: string }]>('returnTask');
export const cancelTaskUpdate = defineUpdate<TaskView, [{ actor: Actor; reason: string }]>('cancelTask');
export const changeDeadlineUpdate = defineUpdate<TaskView, [{ actor: Actor; dueAt: string; reason: string }]>(
  'changeDeadline',
);
/** 加签: a head of a lead unit or the supervision office adds a responsible unit to a running task. */
export const addUnitUpdate = defineUpdate<AddedAssignment, [{ actor: Actor; unitId: string; reason: string }]>(
  'addUnit',
);
/** 转办: the supervision office moves a responsible unit's work to another unit. */
export const reassignUpdate = defineUpdate<
  AddedAssignment,
  [{ actor: Actor; assignmentId: string; toUnitId: string; reason: string }]
>('reassign');
/** 减签: the supervision office takes a responsible unit off the running task (a new update). */
export const removeUnitUpdate = defineUpdate<RemovedAssignment, [{ actor: Actor; unitId: string; reason: string }]>(
  'removeUnit',
);

/** What a correction may change; a field left out stays as it is. */
export interface TaskCorrection {
  title?: string;
  measures?: string[];
  goals?: string[];
  leadUnitIds?: string[];
}

/**
 * A correction by the supervision office (a new update). The workflow knows the task's title and lead units
 * but was never given its measures and goals, so the API sends them as stored (`previous`) for the audit
 * event's old values; the read model is written by this workflow's own projection, in order, so it is current.
 */
export const editTaskUpdate = defineUpdate<TaskEdited, [EditTaskRequest]>('editTask');
export type EditTaskRequest = TaskCorrection & {
  actor: Actor;
  reason: string;
  previous: { measures: string[]; goals: string[] };
};

export interface TaskEdited {
  taskId: string;
  /** The fields the correction changed, with their old and new values. */
  before: TaskCorrection;
  after: TaskCorrection;
  /** Lead units that joined: each got a lead assignment. */
  addedLeadAssignments: AddedAssignment[];
}

export interface RemovedAssignment {
  assignmentId: string;
  unitId: string;
}

export const taskViewQuery = defineQuery<TaskView>('taskView');

export interface AddedAssignment {
  assignmentId: string;
  unitId: string;
  reassignedFromId: string | null;
}
