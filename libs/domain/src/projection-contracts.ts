import type { AuditEventInput } from './audit';

/**
 * The projection contract: what a workflow asks the read model to record (through the applyChange activity)
 * and what libs/persistence applies. It lives here, below both, so the workflows build changes without
 * importing the persistence library (ESLint bans even type imports of it under workflows/) and persistence
 * applies them without depending on the workflows package (which depends on the activities, which depend on
 * persistence: the other direction would be a cycle).
 */

/**
 * A call's read-model columns as the call workflow projects them. The first change of a call carries the
 * fields that make the row (`raisedAt` and the parties); later changes carry only what moved. An omitted
 * field is left as it is; `null` clears it (a reopened call has no resolution yet).
 */
export interface CallProjection {
  id: string;
  fromUnitId?: string;
  toUnitId?: string;
  subject?: string;
  description?: string;
  urgency?: string;
  relatedAssignmentId?: string | null;
  raisedBy?: string;
  raisedAt?: string;
  assignedAt?: string;
  status?: string;
  respondDueAt?: string | null;
  respondedAt?: string | null;
  responseNote?: string | null;
  resolveDueAt?: string | null;
  resolvedAt?: string | null;
  resolution?: string | null;
  evaluatedAt?: string | null;
  closedAt?: string | null;
  rating?: string | null;
  autoClosed?: boolean;
  reworkCount?: number;
  escalationLevel?: number;
  light?: string;
  flagged?: boolean;
}

export interface NotificationInput {
  recipientUnitId: string;
  recipientRole: string | null;
  kind: string;
  subjectType: string;
  subjectId: string;
  title: string;
  body: string;
}

export interface ProjectedChange {
  /** workflowId + step + sequence: the same change written twice (an activity retried) lands once. */
  dedupeKey: string;
  /** An assignment the task gained while running (加签, 转办); inserted before `assignment` is applied. */
  newAssignment?: {
    id: string;
    taskId: string;
    unitId: string;
    role: string;
    dueAt: string | null;
    reassignedFromId: string | null;
  };
  assignment?: {
    id: string;
    status?: string;
    escalationLevel?: number;
    dueAt?: string | null;
    /** The deadline the unit is assessed against (DESIGN §4.5), when a change moves it. */
    assessedDueAt?: string | null;
    light?: string;
  };
  task?: {
    id: string;
    status?: string;
    light?: string;
    dueAt?: string | null;
    /** A correction by the supervision office (the audit event carries the old values). */
    title?: string;
    measures?: string[];
    goals?: string[];
    leadUnitIds?: string[];
  };
  /** A 乡呼县应 call: inserted by its first change, updated by the later ones. */
  call?: CallProjection;
  audit: AuditEventInput;
  notifications?: NotificationInput[];
  escalation?: {
    subjectType: 'assignment' | 'call' | 'task';
    subjectId: string;
    level: number;
    reason: string;
    targetUnitId: string;
  };
  /**
   * The deadline (or the call's running limit) moved into the future: the escalations the old one caused
   * have lost their cause and leave the queue, marked `resolved` (the supervision office may still handle
   * one, e.g. the escalation it extended from). With `step`, only the escalations one clock of the workflow
   * raised (their projection step starts with it, e.g. `acknowledge-`): a late 签收 signed, a late review done.
   */
  resolvesOpenEscalations?: { subjectType: 'assignment' | 'call'; subjectId: string; step?: string };
}
