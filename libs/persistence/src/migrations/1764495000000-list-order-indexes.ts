import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, cursor pagination: each large list reads "the rows after this key" in its order (sort columns plus
 * the id). An index in that order makes a page an index range scan of `limit` rows instead of a sort of every
 * row that matches. Tasks need none (UNIQUE (plan_id, no) is their order), nor the audit log (seq), nor
 * comment threads (comments_thread). The inbox sorts computed values (light, the reader's own rows) and cannot
 * be read in index order; what it needs is to find a unit's open work without a scan (assignments_unit_status)
 * and the reports waiting for review (assignments_submitted).
 */
const INDEXES: Array<[name: string, definition: string]> = [
  ['calls_list_order', '"calls" ("raised_at" DESC, "id")'],
  ['escalations_queue_order', '"escalations" ("level" DESC, "created_at", "id")'],
  ['notifications_recipient_order', '"notifications" ("recipient_unit_id", "created_at" DESC, "id")'],
  ['deliveries_list_order', '"deliveries" ("updated_at" DESC, "id")'],
  ['extension_requests_list_order', '"extension_requests" ("status", "created_at", "id")'],
  ['assignments_unit_status', '"assignments" ("unit_id", "status")'],
  ['assignments_submitted', `"assignments" ("task_id") WHERE "status" = 'submitted'`],
];

export class ListOrderIndexes1764495000000 implements MigrationInterface {
  name = 'ListOrderIndexes1764495000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) await queryRunner.query(`CREATE INDEX "${name}" ON ${definition}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...INDEXES].reverse()) await queryRunner.query(`DROP INDEX "${name}"`);
  }
}
