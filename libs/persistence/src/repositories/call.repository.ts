import { DataSource, EntityManager } from 'typeorm';
import { CallStatus, hasRole, OPEN_CALL_STATUSES, Role } from '@county/domain';
import type { CallProjection } from '@county/domain';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { isUuid } from './sql';

/** Projection field → column. Only these columns can be written, whatever a change carries. */
const COLUMNS: Record<Exclude<keyof CallProjection, 'id'>, string> = {
  fromUnitId: 'from_unit_id',
  toUnitId: 'to_unit_id',
  subject: 'subject',
  description: 'description',
  urgency: 'urgency',
  relatedAssignmentId: 'related_assignment_id',
  raisedBy: 'raised_by',
  raisedAt: 'raised_at',
  assignedAt: 'assigned_at',
  status: 'status',
  respondDueAt: 'respond_due_at',
  respondedAt: 'responded_at',
  responseNote: 'response_note',
  resolveDueAt: 'resolve_due_at',
  resolvedAt: 'resolved_at',
  resolution: 'resolution',
  evaluatedAt: 'evaluated_at',
  closedAt: 'closed_at',
  rating: 'rating',
  autoClosed: 'auto_closed',
  reworkCount: 'rework_count',
  escalationLevel: 'escalation_level',
  light: 'light',
  flagged: 'flagged',
};

/**
 * Inserts the call on its first change and updates it afterwards, inside the projection's transaction
 * (so the row, its audit event and its notifications commit together).
 */
export async function projectCall(manager: EntityManager, call: CallProjection): Promise<void> {
  const fields = (Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>).filter((field) => call[field] !== undefined);
  if (fields.length === 0) return;
  const columns = fields.map((field) => COLUMNS[field]);
  const values = fields.map((field) => call[field]);
  if (call.raisedAt !== undefined) {
    await manager.query(
      `INSERT INTO calls (id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, index) => `$${index + 2}`).join(', ')})
       ON CONFLICT (id) DO NOTHING`,
      [call.id, ...values],
    );
    return;
  }
  await manager.query(
    `UPDATE calls SET ${columns.map((column, index) => `${column} = $${index + 2}`).join(', ')} WHERE id = $1`,
    [call.id, ...values],
  );
}

export interface CallRecord {
  id: string;
  fromUnitId: string;
  toUnitId: string;
  subject: string;
  description: string;
  urgency: string;
  relatedAssignmentId: string | null;
  status: string;
  raisedBy: string;
  raisedAt: string;
  assignedAt: string;
  respondBy: string | null;
  respondedAt: string | null;
  responseNote: string | null;
  resolveBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  evaluatedAt: string | null;
  closedAt: string | null;
  rating: string | null;
  autoClosed: boolean;
  reworkCount: number;
  escalationLevel: number;
  light: string;
  flagged: boolean;
}

export interface CallFilter {
  status?: string;
  fromUnitId?: string;
  toUnitId?: string;
  /** Either side: calls this unit raised or that are with it. */
  unitId?: string;
  light?: string;
  /** Instants bounding when the call was raised (inclusive). */
  raisedFrom?: string;
  raisedTo?: string;
}

/** The call list's order: newest raised first, the id breaking ties (a total order for keyset pages). */
export const CALL_KEY: KeyColumn[] = [
  { sql: 'raised_at', kind: 'timestamp', descending: true },
  { sql: 'id', kind: 'uuid' },
];

/** What a call asks of the reader's unit: sign for it, resolve it, or evaluate the resolution. */
export interface CallInboxItem {
  kind: 'respond' | 'resolve' | 'evaluate';
  callId: string;
  subject: string;
  urgency: string;
  fromUnitId: string;
  toUnitId: string;
  status: string;
  light: string;
  dueAt: string | null;
}

/**
 * The calls inbox order: the reader's own calls, light, urgent before normal, due date (none last), raised
 * first, and the id — a total order; a missing due date folds into a sentinel that sorts last.
 */
export const CALL_INBOX_KEY: KeyColumn[] = [
  { sql: 'mine', kind: 'integer' },
  { sql: "CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END", kind: 'integer' },
  { sql: 'urgency', kind: 'text', descending: true },
  { sql: "COALESCE(due_at, '9999-12-31T00:00:00Z'::timestamptz)", kind: 'timestamp' },
  { sql: 'raised_at', kind: 'timestamp' },
  { sql: 'id', kind: 'uuid' },
];

/** Read side of calls (the call workflows write them through the projection activity). */
export class CallRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<CallRecord | null> {
    if (!isUuid(id)) return null;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query('SELECT * FROM calls WHERE id = $1', [id]);
    return rows[0] ? toCallRecord(rows[0]) : null;
  }

  /** One page of calls and how many match the filter in all. */
  async list(filter: CallFilter, page: PageRequest): Promise<Keyed<CallRecord> & { total: number }> {
    const params: unknown[] = [
      filter.status ?? null,
      filter.fromUnitId ?? null,
      filter.toUnitId ?? null,
      filter.unitId ?? null,
      filter.light ?? null,
      filter.raisedFrom ?? null,
      filter.raisedTo ?? null,
    ];
    const where = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR from_unit_id = $2)
          AND ($3::text IS NULL OR to_unit_id = $3)
          AND ($4::text IS NULL OR from_unit_id = $4 OR to_unit_id = $4) AND ($5::text IS NULL OR light = $5)
          AND ($6::timestamptz IS NULL OR raised_at >= $6) AND ($7::timestamptz IS NULL OR raised_at <= $7)`;
    const countParams = [...params];
    const after = keysetAfter(CALL_KEY, page.after, params);
    params.push(page.limit + 1);
    const [rows, [count]]: [Array<Record<string, unknown>>, Array<{ count: string }>] = await Promise.all([
      this.dataSource.query(
        `SELECT *, ${keySelect(CALL_KEY)} FROM calls WHERE ${where} AND ${after}
          ORDER BY ${keyOrder(CALL_KEY)} LIMIT $${params.length}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*) AS count FROM calls WHERE ${where}`, countParams),
    ]);
    return {
      ...keyedPage(rows, page.limit, (row) => selectedKey(CALL_KEY, row), toCallRecord),
      total: Number(count.count),
    };
  }

  /**
   * Calls waiting for a unit's staff and head: the reader's own (承办人) first, then most urgent first. The
   * called unit signs for and resolves them; the calling township evaluates the resolution. One keyset page.
   */
  async inbox(
    unit: string | readonly string[],
    roles: readonly string[],
    reader: { userId: string; unitId: string },
    page: PageRequest,
  ): Promise<Keyed<CallInboxItem>> {
    const unitIds = typeof unit === 'string' ? [unit] : [...unit];
    if (!hasRole({ roles }, Role.Staff) && !hasRole({ roles }, Role.Head)) {
      keysetAfter(CALL_INBOX_KEY, page.after, []);
      return { items: [], nextKey: null };
    }
    const params: unknown[] = [unitIds, OPEN_CALL_STATUSES, CallStatus.Resolved, reader.userId, reader.unitId];
    const after = keysetAfter(CALL_INBOX_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT *, ${keySelect(CALL_INBOX_KEY)} FROM (
         SELECT CASE WHEN status = 'raised' THEN 'respond' WHEN status = 'resolved' THEN 'evaluate' ELSE 'resolve' END AS kind,
                id, subject, urgency, from_unit_id, to_unit_id, status, light, raised_at,
                CASE WHEN status = 'raised' THEN respond_due_at WHEN status = 'resolved' THEN NULL ELSE resolve_due_at END AS due_at,
                -- mine: the same test as handlersOf (the handler belongs to the called unit).
                CASE WHEN handler_user_id = $4 AND to_unit_id = $5 THEN 0 ELSE 1 END AS mine
           FROM calls
          WHERE (to_unit_id = ANY($1::text[]) AND status = ANY($2::text[])) OR (from_unit_id = ANY($1::text[]) AND status = $3)
       ) inbox
       WHERE ${after}
       ORDER BY ${keyOrder(CALL_INBOX_KEY)}
       LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(CALL_INBOX_KEY, row), toCallInboxItem);
  }
}

function toCallInboxItem(row: Record<string, unknown>): CallInboxItem {
  return {
    kind: row.kind as CallInboxItem['kind'],
    callId: row.id as string,
    subject: row.subject as string,
    urgency: row.urgency as string,
    fromUnitId: row.from_unit_id as string,
    toUnitId: row.to_unit_id as string,
    status: row.status as string,
    light: row.light as string,
    dueAt: iso(row.due_at),
  };
}

function iso(value: unknown): string | null {
  return value ? (value as Date).toISOString() : null;
}

export function toCallRecord(row: Record<string, unknown>): CallRecord {
  return {
    id: row.id as string,
    fromUnitId: row.from_unit_id as string,
    toUnitId: row.to_unit_id as string,
    subject: row.subject as string,
    description: row.description as string,
    urgency: row.urgency as string,
    relatedAssignmentId: (row.related_assignment_id as string | null) ?? null,
    status: row.status as string,
    raisedBy: row.raised_by as string,
    raisedAt: iso(row.raised_at)!,
    assignedAt: iso(row.assigned_at)!,
    respondBy: iso(row.respond_due_at),
    respondedAt: iso(row.responded_at),
    responseNote: (row.response_note as string | null) ?? null,
    resolveBy: iso(row.resolve_due_at),
    resolvedAt: iso(row.resolved_at),
    resolution: (row.resolution as string | null) ?? null,
    evaluatedAt: iso(row.evaluated_at),
    closedAt: iso(row.closed_at),
    rating: (row.rating as string | null) ?? null,
    autoClosed: row.auto_closed as boolean,
    reworkCount: row.rework_count as number,
    escalationLevel: row.escalation_level as number,
    light: row.light as string,
    flagged: row.flagged as boolean,
  };
}
