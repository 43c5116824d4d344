import { DataSource } from 'typeorm';
import { isUuid, returnedRows } from './sql';
import type { NotificationInput } from '@county/domain';

/** A stored notification: what was sent, plus when, and whether the unit has read it. */
export interface NotificationRecord extends NotificationInput {
  id: string;
  createdAt: string;
  readAt: string | null;
}

/** A unit's notifications: those addressed to the unit as a whole, or to one of the reader's roles in it. */
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listFor(
    unit: string | readonly string[],
    roles: readonly string[],
    options: { unreadOnly: boolean; limit: number },
  ): Promise<NotificationRecord[]> {
    // A unit reads what was addressed to the units merged into it, too (running workflows keep their ids).
    const unitIds = typeof unit === 'string' ? [unit] : [...unit];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, recipient_unit_id, recipient_role, kind, subject_type, subject_id, title, body, created_at, read_at
         FROM notifications
        WHERE recipient_unit_id = ANY($1::text[]) AND (recipient_role IS NULL OR recipient_role = ANY($2))
          AND (NOT $3 OR read_at IS NULL)
        ORDER BY created_at DESC LIMIT $4`,
      [unitIds, roles, options.unreadOnly, options.limit],
    );
    return rows.map(toRecord);
  }

  /** Marks one of the unit's notifications read; false if it is not the unit's (or does not exist). */
  async markRead(id: string, unit: string | readonly string[], roles: readonly string[]): Promise<boolean> {
    if (!isUuid(id)) return false;
    const unitIds = typeof unit === 'string' ? [unit] : [...unit];
    const result: unknown[] = await this.dataSource.query(
      `UPDATE notifications SET read_at = COALESCE(read_at, now())
        WHERE id = $1 AND recipient_unit_id = ANY($2::text[]) AND (recipient_role IS NULL OR recipient_role = ANY($3)) RETURNING id`,
      [id, unitIds, roles],
    );
    const rows = returnedRows(result);
    return rows.length > 0;
  }
}

function toRecord(row: Record<string, unknown>): NotificationRecord {
  return {
    id: row.id as string,
    recipientUnitId: row.recipient_unit_id as string,
    recipientRole: row.recipient_role as string | null,
    kind: row.kind as string,
    subjectType: row.subject_type as string,
    subjectId: row.subject_id as string,
    title: row.title as string,
    body: row.body as string,
    createdAt: (row.created_at as Date).toISOString(),
    readAt: row.read_at ? (row.read_at as Date).toISOString() : null,
  };
}
