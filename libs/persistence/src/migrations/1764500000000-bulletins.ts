import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: the 督查通报, one row per generated .docx. The file itself is in the attachment store (content-addressed,
 * by sha256); the figures are kept as jsonb so the list page needs no file. A scheduled bulletin exists at most once
 * per period (the unique partial index is what makes a second firing of the schedule write nothing); manual ones are
 * new versions. Append-only: a bulletin that went out is a record, never edited.
 */
export class Bulletins1764500000000 implements MigrationInterface {
  name = 'Bulletins1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "bulletins" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "period" varchar(7) NOT NULL CHECK ("period" ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
        "period_kind" varchar(7) NOT NULL CHECK ("period_kind" IN ('month','quarter')),
        "trigger" varchar(9) NOT NULL CHECK ("trigger" IN ('scheduled','manual')),
        "version" integer NOT NULL CHECK ("version" >= 1),
        "title" text NOT NULL,
        "issue_number" text NOT NULL,
        "generated_at" timestamptz NOT NULL DEFAULT now(),
        "generated_by" uuid REFERENCES "users"("id"),
        "file_sha256" char(64) NOT NULL,
        "file_size" integer NOT NULL,
        "figures" jsonb NOT NULL,
        CHECK (("trigger" = 'manual') = ("generated_by" IS NOT NULL)),
        UNIQUE ("period", "version")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "bulletins_scheduled_once" ON "bulletins" ("period") WHERE "trigger" = 'scheduled'`,
    );
    await queryRunner.query(`CREATE INDEX "bulletins_newest" ON "bulletins" ("generated_at" DESC)`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "bulletins" FROM county_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "bulletins"`);
  }
}
