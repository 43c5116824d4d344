import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalations (the supervision office's queue) and a light per assignment; a task's light is derived
 * from its assignments' lights by the projection, never stored independently of them.
 */
export class Escalations1764330000000 implements MigrationInterface {
  name = 'Escalations1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "assignments" ADD COLUMN "light" varchar(8) NOT NULL DEFAULT 'green' CHECK ("light" IN ('green','yellow','red'))`,
    );
    await queryRunner.query(`
      CREATE TABLE "escalations" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "subject_type" varchar(20) NOT NULL CHECK ("subject_type" IN ('assignment','call','task')),
        "subject_id" text NOT NULL,
        "level" integer NOT NULL CHECK ("level" BETWEEN 1 AND 3),
        "reason" text NOT NULL,
        "target_unit_id" varchar(40) NOT NULL REFERENCES "units"("id"),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "handled_at" timestamptz,
        "action" varchar(20),
        "dedupe_key" text NOT NULL UNIQUE
      )`);
    await queryRunner.query(
      `CREATE INDEX "escalations_open" ON "escalations" ("created_at") WHERE "handled_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "escalations"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "light"`);
  }
}
