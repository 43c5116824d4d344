import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, AssignmentRole } from '@county/domain';

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
  assignments: Array<{ id: string; unitId: string; role: AssignmentRole }>;
}

export enum TaskStatus {
  InProgress = 'in-progress',
  /** Every responsible unit is approved: the lead unit writes the consolidated report. */
  AwaitingConsolidation = 'awaiting-consolidation',
  /** Consolidated report in: the supervision office verifies it. */
  AwaitingVerification = 'awaiting-verification',
  /** 销号. */
  Closed = 'closed',
  Cancelled = 'cancelled',
}

export interface TaskView {
  taskId: string;
  status: TaskStatus;
  summary: string | null;
}

export const consolidateUpdate = defineUpdate<TaskView, [{ actor: Actor; summary: string }]>('consolidate');
export const closeTaskUpdate = defineUpdate<TaskView, [{ actor: Actor; comment?: string }]>('closeTask');
export const returnTaskUpdate = defineUpdate<TaskView, [{ actor: Actor; comment: string }]>('returnTask');
export const cancelTaskUpdate = defineUpdate<TaskView, [{ actor: Actor; reason: string }]>('cancelTask');
export const taskViewQuery = defineQuery<TaskView>('taskView');
