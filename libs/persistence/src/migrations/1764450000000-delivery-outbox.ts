import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15: notifications leave the system through an outbox. A notification row is the outbox entry; the worker's
 * dispatcher plans its deliveries (one row per channel and recipient, unique by dedupe key) and hands them to a
 * Temporal workflow that waits for working hours and retries. Notifications already stored are marked planned and
 * dispatched, so an upgrade does not send a county's whole history at once.
 */
export class DeliveryOutbox1764450000000 implements MigrationInterface {
  name = 'DeliveryOutbox1764450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN "planned_at" timestamptz`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN "dispatched_at" timestamptz`);
    // Each admin retry of a dead letter is a new round, started as a workflow of its own (delivery-<id>-<round>).
    await queryRunner.query(`ALTER TABLE "notifications" ADD COLUMN "dispatch_round" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`UPDATE "notifications" SET "planned_at" = "created_at", "dispatched_at" = "created_at"`);
    await queryRunner.query(
      `CREATE INDEX "notifications_undispatched" ON "notifications" ("created_at") WHERE "dispatched_at" IS NULL`,
    );
    // NULL: every category (a new user gets everything until they choose).
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "notify_categories" text[]`);
    await queryRunner.query(`
      CREATE TABLE "channel_endpoints" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "unit_id" varchar(40) REFERENCES "units"("id"),
        "kind" varchar(10) NOT NULL CHECK ("kind" IN ('wecom','dingtalk','webhook')),
        "name" text NOT NULL,
        "url" text NOT NULL,
        "secret" text,
        "enabled" boolean NOT NULL DEFAULT true,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CHECK ("unit_id" IS NOT NULL OR "kind" = 'webhook')
      )`);
    await queryRunner.query(`CREATE INDEX "channel_endpoints_unit" ON "channel_endpoints" ("unit_id")`);
    await queryRunner.query(`
      CREATE TABLE "deliveries" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "notification_id" uuid NOT NULL REFERENCES "notifications"("id") ON DELETE CASCADE,
        "channel" varchar(10) NOT NULL CHECK ("channel" IN ('email','wecom','dingtalk','webhook')),
        "recipient_user_id" uuid REFERENCES "users"("id") ON DELETE SET NULL,
        "endpoint_id" uuid REFERENCES "channel_endpoints"("id") ON DELETE SET NULL,
        "address" text NOT NULL,
        "dedupe_key" text NOT NULL UNIQUE,
        "status" varchar(10) NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending','sent','dead','skipped')),
        "not_before" timestamptz NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "retries" integer NOT NULL DEFAULT 0,
        "last_error" text,
        "sent_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "deliveries_notification" ON "deliveries" ("notification_id")`);
    await queryRunner.query(`CREATE INDEX "deliveries_status" ON "deliveries" ("status", "updated_at" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "deliveries"`);
    await queryRunner.query(`DROP TABLE "channel_endpoints"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "notify_categories"`);
    await queryRunner.query(`DROP INDEX "notifications_undispatched"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "dispatch_round"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "dispatched_at"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "planned_at"`);
  }
}
