import { DataSource } from 'typeorm';
import { NotificationInput, notificationLink } from '@county/domain';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { isUuid, returnedRows } from './sql';

/** A stored notification: what was sent, when, and whether the reading user has read it. */
export interface NotificationRecord extends NotificationInput {
  id: string;
  createdAt: string;
  /** When this user read it (read state is per user: a colleague reading it does not hide it). */
  readAt: string | null;
  /** The console path of its item (the domain's rule, so the console and e-mail lead to the same page). */
  link: string;
}

/**
 * Who is reading: a notification is visible to a user when it is addressed to one of the units they act for
 * (their own and the units merged into it: running workflows keep their ids) as a whole, or to one of their
 * roles in it.
 */
export interface NotificationReader {
  userId: string;
  unitIds: readonly string[];
  roles: readonly string[];
}

/** Newest first, the id breaking ties (a total order for keyset pages). */
export const NOTIFICATION_KEY: KeyColumn[] = [
  { sql: 'n.created_at', kind: 'timestamp', descending: true },
  { sql: 'n.id', kind: 'uuid' },
];

const VISIBLE = `n.recipient_unit_id = ANY($2::text[]) AND (n.recipient_role IS NULL OR n.recipient_role = ANY($3::text[]))`;

export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listFor(
    reader: NotificationReader,
    options: { unreadOnly: boolean; kind?: string },
    page: PageRequest,
  ): Promise<Keyed<NotificationRecord>> {
    const params: unknown[] = [
      reader.userId,
      [...reader.unitIds],
      [...reader.roles],
      options.unreadOnly,
      options.kind ?? null,
    ];
    const after = keysetAfter(NOTIFICATION_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT n.id, n.recipient_unit_id, n.recipient_role, n.kind, n.subject_type, n.subject_id, n.title, n.body,
              n.created_at, r.read_at, a.task_id, ${keySelect(NOTIFICATION_KEY)}
         FROM notifications n
         LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.user_id = $1
         -- An assignment's notification leads to its task; subject_id is text, assignments.id a uuid.
         LEFT JOIN assignments a ON n.subject_type = 'assignment' AND a.id::text = n.subject_id
        WHERE ${VISIBLE} AND (NOT $4 OR r.read_at IS NULL) AND ($5::text IS NULL OR n.kind = $5) AND ${after}
        ORDER BY ${keyOrder(NOTIFICATION_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(NOTIFICATION_KEY, row), toRecord);
  }

  /** How many of the notifications the user can see they have not read (the console's badge). */
  async unreadCount(reader: NotificationReader): Promise<number> {
    const [row]: Array<{ count: string }> = await this.dataSource.query(
      `SELECT count(*) AS count FROM notifications n
        WHERE ${VISIBLE}
          AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = $1)`,
      [reader.userId, [...reader.unitIds], [...reader.roles]],
    );
    return Number(row.count);
  }

  /** Marks one notification read for this user; false if the user cannot see it (or it does not exist). */
  async markRead(id: string, reader: NotificationReader): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows: unknown[] = await this.dataSource.query(
      `WITH visible AS (SELECT n.id FROM notifications n WHERE n.id = $4 AND ${VISIBLE}),
            marked AS (INSERT INTO notification_reads (notification_id, user_id)
                       SELECT id, $1 FROM visible ON CONFLICT DO NOTHING)
       SELECT id FROM visible`,
      [reader.userId, [...reader.unitIds], [...reader.roles], id],
    );
    return rows.length > 0;
  }

  /** Marks everything the user can see read; answers how many were newly marked. */
  async markAllRead(reader: NotificationReader): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO notification_reads (notification_id, user_id)
       SELECT n.id, $1 FROM notifications n WHERE ${VISIBLE}
       ON CONFLICT DO NOTHING RETURNING notification_id`,
      [reader.userId, [...reader.unitIds], [...reader.roles]],
    );
    return returnedRows(rows).length;
  }
}

function toRecord(row: Record<string, unknown>): NotificationRecord {
  const subjectType = row.subject_type as string;
  const subjectId = row.subject_id as string;
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
    link: notificationLink({ subjectType, subjectId, taskId: (row.task_id as string | null) ?? null }),
  };
}
