import { DataSource } from 'typeorm';
import { AuditEventInput, NotificationKind } from '@county/domain';
import type { NotificationInput } from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import { insertNotification } from './sql';

/** One 催办 of one assignment: its notification and its audit event go in together. */
export interface UrgeInput {
  assignmentId: string;
  notification: NotificationInput;
  audit: AuditEventInput;
}

/** What a 待办 card shows: the 催办 the unit received since it last acted on the work. */
export interface OpenUrges {
  count: number;
  lastAt: string;
  lastText: string;
  lastTitle: string;
}

const URGE_KINDS = [NotificationKind.Urge, NotificationKind.SupervisionReminder];

export class UrgeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a batch of 催办 in one transaction: all of them or none. `batchId` is new for every request (催办 is
   * repeatable), so each item's notification key is its own; a retried request is caught by its Idempotency-Key.
   */
  async record(
    batchId: string,
    urges: readonly UrgeInput[],
  ): Promise<Array<{ assignmentId: string; notificationId: string }>> {
    return this.dataSource.transaction(async (manager) => {
      const recorded: Array<{ assignmentId: string; notificationId: string }> = [];
      for (const urge of urges) {
        const dedupeKey = `urge:${batchId}:${urge.assignmentId}`;
        await insertNotification(manager, urge.notification, dedupeKey);
        const [row]: Array<{ id: string }> = await manager.query(`SELECT id FROM notifications WHERE dedupe_key = $1`, [
          dedupeKey,
        ]);
        await appendAuditEvent(manager, { ...urge.audit, payload: { ...urge.audit.payload, notificationId: row.id } });
        recorded.push({ assignmentId: urge.assignmentId, notificationId: row.id });
      }
      return recorded;
    });
  }

  /**
   * The 催办 each assignment received after its unit's last own action on it (an audit event by one of the unit's
   * people that is not itself a 催办): once the unit acts, the card stops showing them.
   */
  async openFor(assignmentIds: readonly string[]): Promise<Map<string, OpenUrges>> {
    if (assignmentIds.length === 0) return new Map();
    const rows: Array<{ assignment_id: string; count: string; last_at: Date; last_text: string; last_title: string }> =
      await this.dataSource.query(
        `WITH acted AS (
           SELECT a.id, max(e.at) AS at FROM assignments a
             LEFT JOIN audit_events e ON e.subject_type = 'assignment' AND e.subject_id = a.id::text
                  AND e.actor_unit_id = a.unit_id AND e.action <> 'assignment.urged'
            WHERE a.id = ANY($1::uuid[]) GROUP BY a.id)
         SELECT DISTINCT ON (n.subject_id) n.subject_id AS assignment_id,
                count(*) OVER (PARTITION BY n.subject_id) AS count,
                n.created_at AS last_at, n.body AS last_text, n.title AS last_title
           FROM notifications n JOIN acted ON acted.id::text = n.subject_id
          WHERE n.subject_type = 'assignment' AND n.kind = ANY($2::text[])
            AND (acted.at IS NULL OR n.created_at > acted.at)
          ORDER BY n.subject_id, n.created_at DESC`,
        [[...assignmentIds], URGE_KINDS],
      );
    return new Map(
      rows.map((row) => [
        row.assignment_id,
        {
          count: Number(row.count),
          lastAt: row.last_at.toISOString(),
          lastText: row.last_text,
          lastTitle: row.last_title,
        },
      ]),
    );
  }
}
