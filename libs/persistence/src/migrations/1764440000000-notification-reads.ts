import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: read state per user. One read flag covered a whole unit, so the first colleague to open a
 * notification hid it from everyone else. The old per-unit `read_at` becomes a read by every user who could
 * see the notification then, and goes.
 */
export class NotificationReads1764440000000 implements MigrationInterface {
  name = 'NotificationReads1764440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notification_reads" (
        "notification_id" uuid NOT NULL REFERENCES "notifications"("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "read_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("notification_id", "user_id")
      )`);
    await queryRunner.query(`CREATE INDEX "notification_reads_user" ON "notification_reads" ("user_id")`);
    await queryRunner.query(`
      INSERT INTO "notification_reads" ("notification_id", "user_id", "read_at")
      SELECT n.id, u.id, n.read_at
        FROM "notifications" n JOIN "users" u ON u.unit_id = n.recipient_unit_id
       WHERE n.read_at IS NOT NULL AND (n.recipient_role IS NULL OR n.recipient_role = ANY(u.roles))`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "read_at"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN "read_at" timestamptz`);
    await queryRunner.query(`
      UPDATE "notifications" n SET "read_at" = r.first_read
        FROM (SELECT notification_id, min(read_at) AS first_read FROM "notification_reads" GROUP BY notification_id) r
       WHERE r.notification_id = n.id`);
    await queryRunner.query(`DROP TABLE "notification_reads"`);
  }
}
