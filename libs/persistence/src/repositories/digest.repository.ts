import { DataSource } from 'typeorm';
import { DigestCounts, LIVE_ASSIGNMENT_STATUSES, NotificationInput, NotificationKind } from '@county/domain';
import { insertNotification } from './sql';

/** One digest to write: its notification and the key that makes it once per unit and day. */
export interface DigestRow {
  notification: NotificationInput;
  dedupeKey: string;
}

const URGE_KINDS = [NotificationKind.Urge, NotificationKind.SupervisionReminder];

/** What the daily digest reads (issue 15) and writes. */
export class DigestRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every unit that is not retired, with its counts as of `at`: assignments it received in the 24 h before, live
   * assignments due in (at, at + 3 days] and live ones already past due, and the 催办 it received in the 24 h before.
   * Work and 催办 of a unit merged into another count for the unit that took it over (its people act for it).
   */
  async countsByUnit(at: Date): Promise<Map<string, DigestCounts>> {
    const rows: Array<{ id: string; new_work: number; due_soon: number; overdue: number; urges: number }> =
      await this.dataSource.query(
        `WITH owner AS (SELECT id, COALESCE(merged_into, id) AS unit_id FROM units),
              work AS (
                SELECT o.unit_id,
                       count(*) FILTER (WHERE a.created_at > $1::timestamptz - interval '24 hours'
                                          AND a.created_at <= $1::timestamptz) AS new_work,
                       count(*) FILTER (WHERE a.status = ANY($2::text[]) AND a.due_at > $1::timestamptz
                                          AND a.due_at <= $1::timestamptz + interval '3 days') AS due_soon,
                       count(*) FILTER (WHERE a.status = ANY($2::text[]) AND a.due_at <= $1::timestamptz) AS overdue
                  FROM assignments a JOIN owner o ON o.id = a.unit_id
                 GROUP BY o.unit_id),
              urged AS (
                SELECT o.unit_id, count(*) AS urges
                  FROM notifications n JOIN owner o ON o.id = n.recipient_unit_id
                 WHERE n.kind = ANY($3::text[])
                   AND n.created_at > $1::timestamptz - interval '24 hours' AND n.created_at <= $1::timestamptz
                 GROUP BY o.unit_id)
         SELECT u.id, COALESCE(w.new_work, 0)::int AS new_work, COALESCE(w.due_soon, 0)::int AS due_soon,
                COALESCE(w.overdue, 0)::int AS overdue, COALESCE(r.urges, 0)::int AS urges
           FROM units u LEFT JOIN work w ON w.unit_id = u.id LEFT JOIN urged r ON r.unit_id = u.id
          WHERE u.retired_at IS NULL
          ORDER BY u.id`,
        [at.toISOString(), [...LIVE_ASSIGNMENT_STATUSES], URGE_KINDS],
      );
    return new Map(
      rows.map((row) => [
        row.id,
        { newWork: row.new_work, dueSoon: row.due_soon, overdue: row.overdue, urges: row.urges },
      ]),
    );
  }

  /**
   * Writes the digests in one transaction and answers how many were new: a key already there (a second run the same
   * day, a retried activity) writes nothing, through insertNotification's ON CONFLICT.
   */
  async writeDigests(rows: readonly DigestRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    return this.dataSource.transaction(async (manager) => {
      const keys = rows.map((row) => row.dedupeKey);
      const [{ before }]: Array<{ before: number }> = await manager.query(
        `SELECT count(*)::int AS before FROM notifications WHERE dedupe_key = ANY($1::text[])`,
        [keys],
      );
      for (const row of rows) await insertNotification(manager, row.notification, row.dedupeKey);
      const [{ after }]: Array<{ after: number }> = await manager.query(
        `SELECT count(*)::int AS after FROM notifications WHERE dedupe_key = ANY($1::text[])`,
        [keys],
      );
      return after - before;
    });
  }
}
