import { workflowInfo } from '@temporalio/workflow';
import type { Actor, AuditEventInput, NotificationInput } from '@county/domain';

/** What a workflow's audit events and notifications are about: a task, one assignment or one call. */
export interface RecordSubject {
  type: 'task' | 'assignment' | 'call';
  id: string;
  /** Fields every audit payload of this subject carries (read when the event is built: a call's unit moves). */
  payload: () => Record<string, unknown>;
  /** The body of every notification about this subject (e.g. 任务「…」); read when built (a task's title is corrected). */
  body: string | (() => string);
}

/** Builds a subject's audit events and notifications: one shape for every workflow. */
export interface SubjectRecords {
  subject: RecordSubject;
  audit(action: string, actor: Actor | null, payload: Record<string, unknown>): AuditEventInput;
  notify(recipientUnitId: string, recipientRole: string | null, kind: string, title: string): NotificationInput;
}

export function subjectRecords(subject: RecordSubject): SubjectRecords {
  return {
    subject,
    audit: (action, actor, payload) => ({
      actorUserId: actor?.userId ?? null,
      actorUnitId: actor?.unitId ?? null,
      action: `${subject.type}.${action}`,
      subjectType: subject.type,
      subjectId: subject.id,
      workflowId: workflowInfo().workflowId,
      // 委派: a deputy's sign-off names the head it was made for (both names, and the delegation).
      payload: { ...subject.payload(), ...payload, ...(actor?.actingFor ? { actingFor: actor.actingFor } : {}) },
    }),
    notify: (recipientUnitId, recipientRole, kind, title) => ({
      recipientUnitId,
      recipientRole,
      kind,
      subjectType: subject.type,
      subjectId: subject.id,
      title,
      body: typeof subject.body === 'function' ? subject.body() : subject.body,
    }),
  };
}
