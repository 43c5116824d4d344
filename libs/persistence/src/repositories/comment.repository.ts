import { DataSource } from 'typeorm';
import { AuditEventInput, CommentKind, CommentSubjectType } from '@county/domain';
import type { NotificationInput } from '@county/domain';
import { CommentEntity } from '../entities/comment.entity';
import { appendAuditEvent } from './audit.repository';
import { Keyed, keyedPage, KeyColumn, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { insertNotification, isUuid } from './sql';

export interface NewComment {
  subjectType: CommentSubjectType;
  subjectId: string;
  taskId: string | null;
  kind: CommentKind;
  body: string;
  mentionedUnitIds: string[];
  authorUserId: string;
  authorUnitId: string;
  authorName: string;
}

export interface CommentRecord extends NewComment {
  id: string;
  /** The author's unit's name now (the registry's short name). */
  authorUnitName: string;
  createdAt: string;
}

const SELECT_COMMENT = `SELECT c.*, u.name AS author_unit_name FROM comments c JOIN units u ON u.id = c.author_unit_id`;

/** A thread pages from its newest comment back; the id breaks ties. */
export const THREAD_KEY: KeyColumn[] = [
  { sql: 'c.created_at', kind: 'timestamp', descending: true },
  { sql: 'c.id', kind: 'uuid', descending: true },
];

/** Threads and 批示: written with their notifications and audit event at once, read oldest or newest first. */
export class CommentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a comment or a 批示, a notification to each unit it reaches and its audit event, in one transaction:
   * all of them or none. Each comment is new (a retried request is caught by its Idempotency-Key), so its
   * notifications are keyed by the comment's id.
   */
  async record(
    comment: NewComment,
    notifications: readonly NotificationInput[],
    audit: AuditEventInput,
  ): Promise<CommentRecord> {
    const id = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager.getRepository(CommentEntity).insert(comment);
      const commentId = (inserted.identifiers[0] as { id: string }).id;
      for (const notification of notifications) {
        await insertNotification(manager, notification, `comment:${commentId}:${notification.recipientUnitId}`);
      }
      await appendAuditEvent(manager, { ...audit, payload: { ...audit.payload, commentId } });
      return commentId;
    });
    const [recorded] = await this.query(`${SELECT_COMMENT} WHERE c.id = $1`, [id]);
    return recorded;
  }

  /**
   * A page of a thread (everything written on the subject itself): the latest `limit` comments, oldest first
   * within the page; the next page holds the comments before them (a thread is read from its end, and
   * "earlier comments" open backwards), so the keyset runs newest first (THREAD_KEY).
   */
  async thread(subjectType: CommentSubjectType, subjectId: string, page: PageRequest): Promise<Keyed<CommentRecord>> {
    const params: unknown[] = [subjectType, subjectId];
    const after = keysetAfter(THREAD_KEY, page.after, params);
    if (!isUuid(subjectId)) return { items: [], nextKey: null };
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT c.*, u.name AS author_unit_name, ${keySelect(THREAD_KEY)}
         FROM comments c JOIN units u ON u.id = c.author_unit_id
        WHERE c.subject_type = $1 AND c.subject_id = $2 AND ${after}
        ORDER BY ${keyOrder(THREAD_KEY)} LIMIT $${params.length}`,
      params,
    );
    const newestFirst = keyedPage(rows, page.limit, (row) => selectedKey(THREAD_KEY, row), toRecord);
    return { items: newestFirst.items.reverse(), nextKey: newestFirst.nextKey };
  }

  /** The 批示 pinned on a task (its own and those on its assignments' escalations), newest first. */
  async instructionsOnTask(taskId: string): Promise<CommentRecord[]> {
    if (!isUuid(taskId)) return [];
    return this.query(
      `${SELECT_COMMENT} WHERE c.kind = 'instruction' AND c.task_id = $1 ORDER BY c.created_at DESC, c.id`,
      [taskId],
    );
  }

  /** Each escalation's 批示, newest first (escalations without any are absent). */
  async instructionsOnEscalations(escalationIds: readonly string[]): Promise<Map<string, CommentRecord[]>> {
    const ids = escalationIds.filter(isUuid);
    const byEscalation = new Map<string, CommentRecord[]>();
    if (ids.length === 0) return byEscalation;
    const rows = await this.query(
      `${SELECT_COMMENT} WHERE c.kind = 'instruction' AND c.subject_type = 'escalation'
         AND c.subject_id = ANY($1::uuid[]) ORDER BY c.created_at DESC, c.id`,
      [ids],
    );
    for (const row of rows) byEscalation.set(row.subjectId, [...(byEscalation.get(row.subjectId) ?? []), row]);
    return byEscalation;
  }

  private async query(sql: string, parameters: unknown[]): Promise<CommentRecord[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(sql, parameters);
    return rows.map(toRecord);
  }
}

function toRecord(row: Record<string, unknown>): CommentRecord {
  return {
    id: row.id as string,
    subjectType: row.subject_type as CommentSubjectType,
    subjectId: row.subject_id as string,
    taskId: (row.task_id as string | null) ?? null,
    kind: row.kind as CommentKind,
    body: row.body as string,
    mentionedUnitIds: row.mentioned_unit_ids as string[],
    authorUserId: row.author_user_id as string,
    authorUnitId: row.author_unit_id as string,
    authorName: row.author_name as string,
    authorUnitName: row.author_unit_name as string,
    createdAt: (row.created_at as Date).toISOString(),
  };
}
