import { DataSource, EntityManager } from 'typeorm';
import { isAssignmentEnded } from '@county/domain';
import type { ProjectedChange } from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import { projectCall } from './call.repository';
import { insertNotification, returnedRows } from './sql';

/**
 * The read model as workflows write it (through activities): one change is the projection update, its
 * audit event and its notifications, committed together and idempotent by dedupe key.
 */
export class WorkflowProjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns false when this dedupe key was applied before (nothing written the second time). */
  async apply(change: ProjectedChange): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [existing] = await manager.query('SELECT 1 FROM audit_events WHERE dedupe_key = $1', [change.dedupeKey]);
      if (existing) return false;
      if (change.newAssignment) {
        const { id, taskId, unitId, role, dueAt, reassignedFromId } = change.newAssignment;
        await manager.query(
          `INSERT INTO assignments (id, task_id, unit_id, role, due_at, assessed_due_at, reassigned_from_id)
           VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (id) DO NOTHING`,
          [id, taskId, unitId, role, dueAt, reassignedFromId],
        );
      }
      if (change.assignment) {
        const { id, status, escalationLevel, dueAt, assessedDueAt, light } = change.assignment;
        const result: unknown[] = await manager.query(
          `UPDATE assignments SET status = COALESCE($2, status), escalation_level = COALESCE($3, escalation_level),
             due_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE due_at END, light = COALESCE($6, light),
             assessed_due_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE assessed_due_at END
           WHERE id = $1 RETURNING task_id`,
          [
            id,
            status ?? null,
            escalationLevel ?? null,
            dueAt !== undefined,
            dueAt ?? null,
            light ?? null,
            assessedDueAt !== undefined,
            assessedDueAt ?? null,
          ],
        );
        // TypeORM answers an UPDATE … RETURNING with [rows, affectedCount].
        const [updated] = returnedRows<{ task_id: string }>(result);
        // Work that is done, moved or cancelled needs no more chasing: its open escalations leave the queue.
        if (updated && status && isAssignmentEnded(status)) {
          await resolveOpen(manager, 'assignment', id, change.audit.action);
          // Nor is there a deadline left to move: a request still waiting for a decision is closed.
          await manager.query(
            `UPDATE extension_requests SET status = 'closed', decided_at = now()
              WHERE assignment_id = $1 AND status = 'pending'`,
            [id],
          );
        }
        // A deadline moved into the future (调整时限, an approved extension) answers the old deadline's lateness
        // (the 签收 and 审核 clocks have their own causes). The workflow names its own resolutions too; this
        // also covers a deadline projected by any other path, in the same transaction as the move.
        if (updated && dueAt) {
          await manager.query(
            `UPDATE escalations SET handled_at = now(), action = 'resolved', resolved_reason = $2
              WHERE subject_type = 'assignment' AND subject_id = $1 AND handled_at IS NULL AND $3::timestamptz > now()
                AND dedupe_key NOT LIKE '%:review-%' AND dedupe_key NOT LIKE '%:acknowledge-%'`,
            [id, change.audit.action, dueAt],
          );
        }
        // A task is as red as its worst assignment (one moved to another unit or taken off the task no longer counts).
        if (updated && (light || status === 'reassigned' || status === 'removed')) {
          await manager.query(
            `UPDATE tasks SET light = (SELECT CASE WHEN bool_or(light = 'red') THEN 'red' WHEN bool_or(light = 'yellow') THEN 'yellow' ELSE 'green' END
               FROM assignments WHERE task_id = $1 AND status NOT IN ('reassigned', 'removed')) WHERE id = $1`,
            [updated.task_id],
          );
        }
      }
      if (change.escalation) {
        const { subjectType, subjectId, level, reason, targetUnitId } = change.escalation;
        await manager.query(
          `INSERT INTO escalations (subject_type, subject_id, level, reason, target_unit_id, dedupe_key)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dedupe_key) DO NOTHING`,
          [subjectType, subjectId, level, reason, targetUnitId, change.dedupeKey],
        );
      }
      if (change.task) {
        const { id, status, light, dueAt, title, measures, goals, leadUnitIds } = change.task;
        await manager.query(
          `UPDATE tasks SET status = COALESCE($2, status), light = COALESCE($3, light),
             due_at = CASE WHEN $4::boolean THEN $5::timestamptz ELSE due_at END,
             title = COALESCE($6, title), measures = COALESCE($7::text[], measures), goals = COALESCE($8::text[], goals),
             lead_unit_ids = COALESCE($9::varchar[], lead_unit_ids) WHERE id = $1`,
          [
            id,
            status ?? null,
            light ?? null,
            dueAt !== undefined,
            dueAt ?? null,
            title ?? null,
            measures ?? null,
            goals ?? null,
            leadUnitIds ?? null,
          ],
        );
      }
      if (change.call) {
        await projectCall(manager, change.call);
        // A call that moves on (answered, resolved, closed, reopened or 转办 to a new unit) has left the phase
        // whose limit was missed: that phase's escalations lose their cause. The new phase's clock raises its own.
        if (change.call.status !== undefined && change.call.raisedAt === undefined) {
          await resolveOpen(manager, 'call', change.call.id, change.audit.action);
        }
      }
      if (change.resolvesOpenEscalations) {
        const { subjectType, subjectId, step } = change.resolvesOpenEscalations;
        // A step narrows it to one clock's escalations: their dedupe key is workflowId:step…:sequence.
        const keyPattern = step === undefined ? null : `${change.audit.workflowId ?? ''}:${escapeLike(step)}%`;
        await manager.query(
          `UPDATE escalations SET handled_at = now(), action = 'resolved', resolved_reason = $4
            WHERE subject_type = $1 AND subject_id = $2 AND handled_at IS NULL
              AND ($3::text IS NULL OR dedupe_key LIKE $3)`,
          [subjectType, subjectId, keyPattern, change.audit.action],
        );
      }
      for (const [index, notification] of (change.notifications ?? []).entries()) {
        await insertNotification(manager, notification, `${change.dedupeKey}#${index}`);
      }
      await appendAuditEvent(manager, { ...change.audit, dedupeKey: change.dedupeKey });
      return true;
    });
  }
}

/** The subject's open escalations leave the queue as resolved; `reason` is the audited change that did it. */
async function resolveOpen(manager: EntityManager, subjectType: string, subjectId: string, reason: string) {
  await manager.query(
    `UPDATE escalations SET handled_at = now(), action = 'resolved', resolved_reason = $3
      WHERE subject_type = $1 AND subject_id = $2 AND handled_at IS NULL`,
    [subjectType, subjectId, reason],
  );
}

/** `text` matched literally by LIKE (its % and _ are not wildcards). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
