import { DataSource } from 'typeorm';
import { AuditEventInput, EscalationCause } from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import type { NotificationInput } from '@county/domain';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { insertNotification, isUuid, returnedRows } from './sql';

export interface EscalationRecord {
  id: string;
  subjectType: string;
  subjectId: string;
  level: number;
  reason: string;
  targetUnitId: string;
  createdAt: string;
  handledAt: string | null;
  action: string | null;
  /** Which clock raised it: the deadline (or a call's limit), the 签收 limit or the 审核 limit. */
  cause: EscalationCause;
  /**
   * The unit whose work is late: an assignment's unit (for a late review, the task's lead unit, which reviews),
   * or the unit a call is with now; an assignment's task.
   */
  unitId: string | null;
  taskId: string | null;
  /**
   * The state of what the escalation is about, for the rules deciding what can be done with it: the
   * assignment's or the call's status (null when not recorded), an assignment's role and its task's status, a
   * call's calling township.
   */
  subjectStatus: string | null;
  assignmentRole: string | null;
  taskStatus: string | null;
  fromUnitId: string | null;
}

/** An escalation with the unit that is late: an assignment's unit, or the unit a call is addressed to now. */
/**
 * Which of an assignment workflow's clocks raised an escalation, read from its projection step (the dedupe key is
 * workflowId:step:sequence; the 签收 clock's steps start with `acknowledge-`, the 审核 clock's with `review-`).
 */
const CAUSE = `CASE WHEN e.subject_type = 'assignment' AND e.dedupe_key LIKE '%:review-%' THEN 'review'
  WHEN e.subject_type = 'assignment' AND e.dedupe_key LIKE '%:acknowledge-%' THEN 'acknowledge' ELSE 'deadline' END`;

// A late review is the lead unit's lateness, not the reporting unit's: its unit is the (first) lead unit.
const SELECT_ESCALATION = `e.*, ${CAUSE} AS cause,
  CASE WHEN ${CAUSE} = 'review' THEN t.lead_unit_ids[1] ELSE COALESCE(a.unit_id, c.to_unit_id) END AS unit_id, a.task_id,
  COALESCE(a.status, c.status) AS subject_status, a.role AS assignment_role, t.status AS task_status,
  c.from_unit_id FROM escalations e
  LEFT JOIN assignments a ON e.subject_type = 'assignment' AND a.id::text = e.subject_id
  LEFT JOIN tasks t ON t.id = a.task_id
  LEFT JOIN calls c ON e.subject_type = 'call' AND c.id::text = e.subject_id`;

export interface EscalationFilter {
  openOnly: boolean;
  minLevel: number;
  /** Only the escalations of this task's assignments (the task page). */
  taskId?: string;
}

/** The queue's order: highest level first, then oldest first; the id breaks ties (a total order for pages). */
export const ESCALATION_KEY: KeyColumn[] = [
  { sql: 'e.level', kind: 'integer', descending: true },
  { sql: 'e.created_at', kind: 'timestamp' },
  { sql: 'e.id', kind: 'uuid' },
];

export class EscalationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(options: EscalationFilter & { limit: number }): Promise<EscalationRecord[]> {
    return (await this.page(options, { limit: options.limit })).items;
  }

  /** One keyset page of the queue (ESCALATION_KEY). */
  async page(options: EscalationFilter, page: PageRequest): Promise<Keyed<EscalationRecord>> {
    if (options.taskId !== undefined && !isUuid(options.taskId)) {
      keysetAfter(ESCALATION_KEY, page.after, []);
      return { items: [], nextKey: null };
    }
    const params: unknown[] = [options.openOnly, options.minLevel, options.taskId ?? null];
    const after = keysetAfter(ESCALATION_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${SELECT_ESCALATION.replace(' FROM escalations e', `, ${keySelect(ESCALATION_KEY)} FROM escalations e`)}
        WHERE (NOT $1 OR e.handled_at IS NULL) AND e.level >= $2 AND ($3::uuid IS NULL OR a.task_id = $3) AND ${after}
        ORDER BY ${keyOrder(ESCALATION_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(ESCALATION_KEY, row), toRecord);
  }

  async find(id: string): Promise<EscalationRecord | null> {
    if (!isUuid(id)) return null;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${SELECT_ESCALATION} WHERE e.id = $1`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Marks the escalation handled, with its audit event and any notification, in one transaction.
   * `replacingResolved`: the handling itself ended the work (转办), whose projection may already have
   * closed the escalation as `resolved`; the supervisor's action then takes its place.
   */
  async markHandled(
    id: string,
    action: string,
    audit: AuditEventInput,
    notification?: NotificationInput,
    replacingResolved = false,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result: unknown[] = await manager.query(
        `UPDATE escalations SET handled_at = now(), action = $2
          WHERE id = $1 AND (handled_at IS NULL OR ($3 AND action = 'resolved')) RETURNING id`,
        [id, action, replacingResolved],
      );
      if (returnedRows(result).length === 0) return false;
      if (notification) await insertNotification(manager, notification, `escalation-handled:${id}`);
      await appendAuditEvent(manager, audit);
      return true;
    });
  }
}

function toRecord(row: Record<string, unknown>): EscalationRecord {
  return {
    id: row.id as string,
    subjectType: row.subject_type as string,
    subjectId: row.subject_id as string,
    level: row.level as number,
    reason: row.reason as string,
    targetUnitId: row.target_unit_id as string,
    createdAt: (row.created_at as Date).toISOString(),
    handledAt: row.handled_at ? (row.handled_at as Date).toISOString() : null,
    action: (row.action as string | null) ?? null,
    cause: row.cause as EscalationCause,
    unitId: (row.unit_id as string | null) ?? null,
    taskId: (row.task_id as string | null) ?? null,
    subjectStatus: (row.subject_status as string | null) ?? null,
    assignmentRole: (row.assignment_role as string | null) ?? null,
    taskStatus: (row.task_status as string | null) ?? null,
    fromUnitId: (row.from_unit_id as string | null) ?? null,
  };
}
