import { DataSource, EntityManager } from 'typeorm';
import { CallStatus, hasRole, OPEN_CALL_STATUSES, Role } from '@county/domain';
import type { CallProjection } from '@county/domain';
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
  limit: number;
}

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

/** Read side of calls (the call workflows write them through the projection activity). */
export class CallRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<CallRecord | null> {
    if (!isUuid(id)) return null;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query('SELECT * FROM calls WHERE id = $1', [id]);
    return rows[0] ? toCallRecord(rows[0]) : null;
  }

  async list(filter: CallFilter): Promise<CallRecord[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM calls
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR from_unit_id = $2)
          AND ($3::text IS NULL OR to_unit_id = $3)
          AND ($5::text IS NULL OR from_unit_id = $5 OR to_unit_id = $5) AND ($6::text IS NULL OR light = $6)
          AND ($7::timestamptz IS NULL OR raised_at >= $7) AND ($8::timestamptz IS NULL OR raised_at <= $8)
        ORDER BY raised_at DESC, id LIMIT $4`,
      [
        filter.status ?? null,
        filter.fromUnitId ?? null,
        filter.toUnitId ?? null,
        filter.limit,
        filter.unitId ?? null,
        filter.light ?? null,
        filter.raisedFrom ?? null,
        filter.raisedTo ?? null,
      ],
    );
    return rows.map(toCallRecord);
  }

  /**
   * Calls waiting for a unit's staff and head, most urgent first: the called unit signs for and resolves
   * them; the calling township evaluates the resolution.
   */
  async inbox(unit: string | readonly string[], roles: readonly string[], limit: number): Promise<CallInboxItem[]> {
    const unitIds = typeof unit === 'string' ? [unit] : [...unit];
    if (!hasRole({ roles }, Role.Staff) && !hasRole({ roles }, Role.Head)) return [];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT CASE WHEN status = 'raised' THEN 'respond' WHEN status = 'resolved' THEN 'evaluate' ELSE 'resolve' END AS kind,
              id, subject, urgency, from_unit_id, to_unit_id, status, light,
              CASE WHEN status = 'raised' THEN respond_due_at WHEN status = 'resolved' THEN NULL ELSE resolve_due_at END AS due_at
         FROM calls
        WHERE (to_unit_id = ANY($1::text[]) AND status = ANY($3::text[])) OR (from_unit_id = ANY($1::text[]) AND status = $4)
        ORDER BY CASE light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, urgency DESC, due_at NULLS LAST, raised_at
        LIMIT $2`,
      [unitIds, limit, OPEN_CALL_STATUSES, CallStatus.Resolved],
    );
    return rows.map((row) => ({
      kind: row.kind as CallInboxItem['kind'],
      callId: row.id as string,
      subject: row.subject as string,
      urgency: row.urgency as string,
      fromUnitId: row.from_unit_id as string,
      toUnitId: row.to_unit_id as string,
      status: row.status as string,
      light: row.light as string,
      dueAt: iso(row.due_at),
    }));
  }
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
