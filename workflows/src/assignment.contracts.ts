import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, AssignmentRole, AssignmentStatus, Policy } from '@county/domain';

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
}

export interface AssignmentHistoryEntry {
  action: string;
  actorUserId: string | null;
  actorUnitId: string | null;
  at: string;
  note?: string;
}

export interface AssignmentView {
  assignmentId: string;
  unitId: string;
  role: AssignmentRole;
  status: AssignmentStatus;
  percent: number | null;
  dueAt: string | null;
  escalationLevel: number;
  light: 'green' | 'yellow' | 'red';
  history: AssignmentHistoryEntry[];
}

export interface ActionRequest {
  /** Who asks, as the API loaded them from the database; the validator checks it again. */
  actor: Actor;
}

export const acknowledgeUpdate = defineUpdate<AssignmentView, [ActionRequest & { note?: string }]>('acknowledge');
export const progressUpdate = defineUpdate<AssignmentView, [ActionRequest & { note: string; percent: number }]>(
  'progress',
);
export const submitUpdate = defineUpdate<AssignmentView, [ActionRequest & { summary: string; evidence: string[] }]>(
  'submit',
);
export const approveUpdate = defineUpdate<AssignmentView, [ActionRequest & { comment?: string }]>('approve');
export const returnUpdate = defineUpdate<AssignmentView, [ActionRequest & { reason: string }]>('return');

/** From the task workflow: the task ended (closed or cancelled), so this assignment ends too. */
export const endAssignmentSignal = defineSignal<[{ status: 'closed' | 'cancelled'; reason: string }]>('endAssignment');
/** From the task workflow: the supervision office moved the deadline; reminders and escalations re-arm. */
export const deadlineChangedSignal = defineSignal<[{ dueAt: string | null; reason: string }]>('deadlineChanged');
export const assignmentViewQuery = defineQuery<AssignmentView>('assignmentView');
