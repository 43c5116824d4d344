import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: 佐证材料. `attachments` is one uploaded file (its bytes in the attachment store, found by sha256; the
 * same bytes uploaded twice share one stored object). `attachment_links` records every item a file was attached to,
 * written by the projection of the action that attached it (in the same transaction as its audit event): the item's
 * readers may download it. Both are append-only for the application role: a file attached to a report stays.
 */
export class Attachments1764460000000 implements MigrationInterface {
  name = 'Attachments1764460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "attachments" (
        "id" uuid PRIMARY KEY,
        "sha256" char(64) NOT NULL,
        "size" bigint NOT NULL CHECK ("size" > 0),
        "content_type" varchar(100) NOT NULL,
        "name" text NOT NULL,
        "uploaded_by" uuid NOT NULL REFERENCES "users"("id"),
        "unit_id" varchar(40) NOT NULL,
        "uploaded_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "attachments_sha256" ON "attachments" ("sha256")`);
    await queryRunner.query(`
      CREATE TABLE "attachment_links" (
        "attachment_id" uuid NOT NULL REFERENCES "attachments"("id"),
        "subject_type" varchar(40) NOT NULL,
        "subject_id" varchar(64) NOT NULL,
        "action" varchar(60) NOT NULL,
        "linked_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("attachment_id", "subject_type", "subject_id", "action")
      )`);
    await queryRunner.query(
      `CREATE INDEX "attachment_links_subject" ON "attachment_links" ("subject_type", "subject_id")`,
    );
    // An extension request's files, so the supervision office sees them where it decides (references only).
    await queryRunner.query(`ALTER TABLE "extension_requests" ADD COLUMN "attachments" jsonb NOT NULL DEFAULT '[]'`);
    // The application role (its rights come from the audit-log migration's default privileges) adds rows and
    // reads them; it never changes or removes one, as for audit_events.
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "attachments", "attachment_links" FROM county_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "extension_requests" DROP COLUMN "attachments"`);
    await queryRunner.query(`DROP TABLE "attachment_links"`);
    await queryRunner.query(`DROP TABLE "attachments"`);
  }
}
