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
  /** Why it left the queue unhandled (action `resolved`): the change that removed its cause, as audited. */
  resolvedReason: string | null;
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
  /** What a reader calls it: the task's title (an assignment's) or the call's subject; the plan of a task. */
  title: string | null;
  taskNo: number | null;
  planId: string | null;
  planTitle: string | null;
  unitName: string | null;
  fromUnitName: string | null;
  /**
   * The subject's episode this row belongs to: while the subject has open escalations, its open rows (the queue
   * item); once none is open, all its rows. When the first of them was raised, their ids (highest level first)
   * and their levels.
   */
  firstRaisedAt: string;
  escalationIds: string[];
  levels: number[];
  /** The reader (queue only) marked the item 已阅: a leader's acknowledgement of a 挂牌督办. */
  readAt: string | null;
}

/**
 * Which of an assignment workflow's clocks raised an escalation, read from its projection step (the dedupe key is
 * workflowId:step:sequence; the 签收 clock's steps start with `acknowledge-`, the 审核 clock's with `review-`).
 */
const CAUSE = `CASE WHEN e.subject_type = 'assignment' AND e.dedupe_key LIKE '%:review-%' THEN 'review'
  WHEN e.subject_type = 'assignment' AND e.dedupe_key LIKE '%:acknowledge-%' THEN 'acknowledge' ELSE 'deadline' END`;

// A late review is the lead unit's lateness, not the reporting unit's: its unit is the (first) lead unit.
const UNIT_ID = `(CASE WHEN ${CAUSE} = 'review' THEN t.lead_unit_ids[1] ELSE COALESCE(a.unit_id, c.to_unit_id) END)`;

/**
 * The rows of `e`'s episode (see EscalationRecord.firstRaisedAt): an open row groups with the subject's other open
 * rows, a handled one with all of them.
 */
const EPISODE = `g.subject_type = e.subject_type AND g.subject_id = e.subject_id
  AND (e.handled_at IS NOT NULL OR g.handled_at IS NULL)`;

/**
 * What `e` is about: its assignment and that assignment's task, or its call. The ids are compared as text (a
 * subject id is text); the expression indexes assignments_id_text and calls_id_text serve that comparison.
 */
const SUBJECT_JOINS = `
  LEFT JOIN assignments a ON e.subject_type = 'assignment' AND a.id::text = e.subject_id
  LEFT JOIN tasks t ON t.id = a.task_id
  LEFT JOIN calls c ON e.subject_type = 'call' AND c.id::text = e.subject_id`;

/**
 * An escalation with what it is about and its episode. The episode's fields are scalar subqueries so that a
 * sorted, limited list computes them for the rows of its page only (PostgreSQL postpones such select-list
 * expressions past the sort and the limit). `reader` names the user whose 已阅 is read (NULL: nobody);
 * `firstRaisedAt` may come from the queue's grouping instead of a subquery; `from` is what `e` is read from.
 */
const selectEscalation = (
  reader: string,
  firstRaisedAt = `(SELECT min(g.created_at) FROM escalations g WHERE ${EPISODE})`,
  from = 'escalations e',
) => `e.*, ${CAUSE} AS cause, ${UNIT_ID} AS unit_id, a.task_id,
  COALESCE(a.status, c.status) AS subject_status, a.role AS assignment_role, t.status AS task_status,
  c.from_unit_id, COALESCE(t.title, c.subject) AS title, t.no AS task_no, t.plan_id, p.title AS plan_title,
  unit.name AS unit_name, from_unit.name AS from_unit_name, ${firstRaisedAt} AS first_raised_at,
  (SELECT array_agg(g.id::text ORDER BY g.level DESC, g.created_at DESC, g.id) FROM escalations g WHERE ${EPISODE})
    AS escalation_ids,
  (SELECT array_agg(DISTINCT g.level) FROM escalations g WHERE ${EPISODE}) AS levels,
  (SELECT max(r.read_at) FROM escalation_reads r JOIN escalations g ON g.id = r.escalation_id
    WHERE ${EPISODE} AND r.user_id::text = ${reader}) AS read_at
  FROM ${from} ${SUBJECT_JOINS}
  LEFT JOIN plans p ON p.id = t.plan_id
  LEFT JOIN units unit ON unit.id = ${UNIT_ID}
  LEFT JOIN units from_unit ON from_unit.id = c.from_unit_id`;

/**
 * A subject's rows, the one that stands for it first. The window is ordered the same way though its figures span
 * the whole subject (the frame is all its rows): then one sort serves both the window and DISTINCT ON (issue 19:
 * the queue sorted every open escalation twice).
 */
const CURRENT_ORDER = `(g.handled_at IS NULL) DESC, g.level DESC, g.created_at DESC, g.id DESC`;

/**
 * One row per subject: the row that stands for it in the queue (open before handled, then the highest level, then
 * the newest) and when its episode began — grouped over the escalations alone, before any join.
 */
const CURRENT = `cur AS (
  SELECT DISTINCT ON (g.subject_type, g.subject_id) g.id,
    CASE WHEN bool_or(g.handled_at IS NULL) OVER subject
      THEN min(g.created_at) FILTER (WHERE g.handled_at IS NULL) OVER subject
      ELSE min(g.created_at) OVER subject END AS first_raised_at
  FROM escalations g WHERE (NOT $1 OR g.handled_at IS NULL)
  WINDOW subject AS (PARTITION BY g.subject_type, g.subject_id ORDER BY ${CURRENT_ORDER}
    ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
  ORDER BY g.subject_type, g.subject_id, ${CURRENT_ORDER})`;

/** What the reader ($7) has marked 已阅, by subject (few rows: read once, compared with every item). */
const READS = `reads AS MATERIALIZED (
  SELECT DISTINCT g.subject_type, g.subject_id, g.handled_at IS NULL AS open
  FROM escalation_reads r JOIN escalations g ON g.id = r.escalation_id WHERE r.user_id::text = $7)`;

export interface EscalationFilter {
  openOnly: boolean;
  minLevel: number;
  /** Only the escalations of this task's assignments (the task page). */
  taskId?: string;
}

/** The queue's filters (GET /escalations): each narrows the items, by their current level. */
export interface EscalationQueueFilter {
  openOnly: boolean;
  minLevel: number;
  level?: number;
  unitId?: string;
  planId?: string;
  kind?: 'assignment' | 'call';
  /** The reader: their 已阅 is returned, and `unreadOnly` leaves out what they have read. */
  readerUserId?: string;
  unreadOnly?: boolean;
}

/** The raw rows' order: highest level first, then oldest first; the id breaks ties (a total order for pages). */
export const ESCALATION_KEY: KeyColumn[] = [
  { sql: 'e.level', kind: 'integer', descending: true },
  { sql: 'e.created_at', kind: 'timestamp' },
  { sql: 'e.id', kind: 'uuid' },
];

/** The queue's order: one item per subject, highest current level first, then the longest waiting. */
export const ESCALATION_QUEUE_KEY: KeyColumn[] = [
  { sql: 'e.level', kind: 'integer', descending: true },
  { sql: 'cur.first_raised_at', kind: 'timestamp' },
  { sql: 'e.id', kind: 'uuid' },
];

export class EscalationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(options: EscalationFilter & { limit: number }): Promise<EscalationRecord[]> {
    return (await this.page(options, { limit: options.limit })).items;
  }

  /** One keyset page of the rows, one per level (ESCALATION_KEY): the task page's record of what was raised. */
  async page(options: EscalationFilter, page: PageRequest): Promise<Keyed<EscalationRecord>> {
    if (options.taskId !== undefined && !isUuid(options.taskId)) {
      keysetAfter(ESCALATION_KEY, page.after, []);
      return { items: [], nextKey: null };
    }
    const params: unknown[] = [options.openOnly, options.minLevel, options.taskId ?? null];
    const after = keysetAfter(ESCALATION_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${selectEscalation('NULL').replace(' FROM escalations e', `, ${keySelect(ESCALATION_KEY)} FROM escalations e`)}
        WHERE (NOT $1 OR e.handled_at IS NULL) AND e.level >= $2 AND ($3::uuid IS NULL OR a.task_id = $3) AND ${after}
        ORDER BY ${keyOrder(ESCALATION_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(ESCALATION_KEY, row), toRecord);
  }

  /**
   * One keyset page of the queue (ESCALATION_QUEUE_KEY): one item per subject — its current row (the highest open
   * level), with the age of its episode — grouped here in SQL so that pages stay exact.
   */
  async queue(filter: EscalationQueueFilter, page: PageRequest): Promise<Keyed<EscalationRecord>> {
    const params: unknown[] = [
      filter.openOnly,
      filter.minLevel,
      filter.level ?? null,
      filter.unitId ?? null,
      filter.planId !== undefined && !isUuid(filter.planId)
        ? '00000000-0000-0000-0000-000000000000'
        : (filter.planId ?? null),
      filter.kind ?? null,
      filter.readerUserId ?? null,
      filter.unreadOnly ?? false,
    ];
    const after = keysetAfter(ESCALATION_QUEUE_KEY, page.after, params);
    params.push(page.limit + 1);
    // The page is chosen from the escalations alone, and only its rows are joined to what they are about (issue 19:
    // joining every open item first cost ~100 ms at 10,000 of them). A unit or plan filter needs the subject: only
    // then are its tables joined into the choice. $4 and $5 are still named when unused (every parameter is typed).
    const bySubject = filter.unitId !== undefined || filter.planId !== undefined;
    const subjectFilter = bySubject
      ? `($4::text IS NULL OR ${UNIT_ID} = $4) AND ($5::uuid IS NULL OR t.plan_id = $5)`
      : `$4::text IS NULL AND $5::uuid IS NULL`;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH ${CURRENT}, ${READS}, page AS MATERIALIZED (
         SELECT cur.id, cur.first_raised_at FROM cur JOIN escalations e ON e.id = cur.id ${bySubject ? SUBJECT_JOINS : ''}
          WHERE e.level >= $2 AND ($3::int IS NULL OR e.level = $3) AND ${subjectFilter}
            AND ($6::text IS NULL OR e.subject_type = $6)
            AND (NOT $8 OR NOT EXISTS (SELECT 1 FROM reads
              WHERE reads.subject_type = e.subject_type AND reads.subject_id = e.subject_id
                AND (e.handled_at IS NOT NULL OR reads.open)))
            AND ${after}
          ORDER BY ${keyOrder(ESCALATION_QUEUE_KEY)} LIMIT $${params.length})
       SELECT ${selectEscalation(
         '$7::text',
         'cur.first_raised_at',
         'page cur JOIN escalations e ON e.id = cur.id',
       ).replace(' FROM page cur JOIN', `, ${keySelect(ESCALATION_QUEUE_KEY)} FROM page cur JOIN`)}
        ORDER BY ${keyOrder(ESCALATION_QUEUE_KEY)}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(ESCALATION_QUEUE_KEY, row), toRecord);
  }

  async find(id: string, readerUserId?: string): Promise<EscalationRecord | null> {
    if (!isUuid(id)) return null;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT ${selectEscalation('$2::text')} WHERE e.id = $1`,
      [id, readerUserId ?? null],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * Marks the escalation handled, with its audit event and any notification, in one transaction; the subject's
   * other open levels go with it (the queue shows the subject once, and handling it answers every level).
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
        `UPDATE escalations SET handled_at = now(), action = $2, resolved_reason = NULL
          WHERE id = $1 AND (handled_at IS NULL OR ($3 AND action = 'resolved'))
          RETURNING subject_type, subject_id`,
        [id, action, replacingResolved],
      );
      const [handled] = returnedRows<{ subject_type: string; subject_id: string }>(result);
      if (!handled) return false;
      const cleared: unknown[] = await manager.query(
        `UPDATE escalations SET handled_at = now(), action = $3
          WHERE subject_type = $1 AND subject_id = $2 AND handled_at IS NULL RETURNING id`,
        [handled.subject_type, handled.subject_id, action],
      );
      if (notification) await insertNotification(manager, notification, `escalation-handled:${id}`);
      const clearedIds = returnedRows<{ id: string }>(cleared).map((row) => row.id);
      await appendAuditEvent(manager, { ...audit, payload: { ...audit.payload, clearedEscalationIds: clearedIds } });
      return true;
    });
  }

  /**
   * A leader's 已阅 of an item, once per leader (a repeat changes nothing and is not audited again). Returns
   * when it was read.
   */
  async markRead(id: string, userId: string, audit: AuditEventInput): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO escalation_reads (escalation_id, user_id) VALUES ($1, $2)
          ON CONFLICT (escalation_id, user_id) DO NOTHING RETURNING read_at`,
        [id, userId],
      );
      const [row] = returnedRows<{ read_at: Date }>(inserted);
      if (row) {
        await appendAuditEvent(manager, audit);
        return row.read_at.toISOString();
      }
      const [existing] = (await manager.query(
        'SELECT read_at FROM escalation_reads WHERE escalation_id = $1 AND user_id = $2',
        [id, userId],
      )) as Array<{ read_at: Date }>;
      return existing.read_at.toISOString();
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
    resolvedReason: (row.resolved_reason as string | null) ?? null,
    cause: row.cause as EscalationCause,
    unitId: (row.unit_id as string | null) ?? null,
    taskId: (row.task_id as string | null) ?? null,
    subjectStatus: (row.subject_status as string | null) ?? null,
    assignmentRole: (row.assignment_role as string | null) ?? null,
    taskStatus: (row.task_status as string | null) ?? null,
    fromUnitId: (row.from_unit_id as string | null) ?? null,
    title: (row.title as string | null) ?? null,
    taskNo: (row.task_no as number | null) ?? null,
    planId: (row.plan_id as string | null) ?? null,
    planTitle: (row.plan_title as string | null) ?? null,
    unitName: (row.unit_name as string | null) ?? null,
    fromUnitName: (row.from_unit_name as string | null) ?? null,
    firstRaisedAt: (row.first_raised_at as Date).toISOString(),
    escalationIds: row.escalation_ids as string[],
    levels: (row.levels as number[]).map(Number).sort((a, b) => b - a),
    readAt: row.read_at ? (row.read_at as Date).toISOString() : null,
  };
}
