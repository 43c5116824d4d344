import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications to a unit (optionally to one role in it); the dedupe key makes every send exactly-once. */
export class Notifications1764310000000 implements MigrationInterface {
  name = 'Notifications1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notifications" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "recipient_unit_id" varchar(40) NOT NULL REFERENCES "units"("id"),
        "recipient_role" varchar(12),
        "kind" varchar(40) NOT NULL,
        "subject_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "title" text NOT NULL,
        "body" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "read_at" timestamptz,
        "dedupe_key" text NOT NULL UNIQUE
      )`);
    await queryRunner.query(
      `CREATE INDEX "notifications_recipient" ON "notifications" ("recipient_unit_id", "created_at" DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
