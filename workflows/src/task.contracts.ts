import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { field, RequestShape } from '@county/domain';
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
  addUnit: { actor: field.actor(), unitId: field.id(), reason: field.text('reason') },
  reassign: { actor: field.actor(), assignmentId: field.id(), toUnitId: field.id(), reason: field.text('reason') },
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
export const taskViewQuery = defineQuery<TaskView>('taskView');

export interface AddedAssignment {
  assignmentId: string;
  unitId: string;
  reassignedFromId: string | null;
}
