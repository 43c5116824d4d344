import { MigrationInterface, QueryRunner } from 'typeorm';

/** Imported task lists: plans, their tasks, and one assignment per task × unit. */
export class Plans1764280000000 implements MigrationInterface {
  name = 'Plans1764280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "plans" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "title" text NOT NULL,
        "source_sha256" char(64) NOT NULL,
        "source_format" varchar(8) NOT NULL CHECK ("source_format" IN ('txt','docx')),
        "source_filename" text NOT NULL,
        "imported_at" timestamptz NOT NULL DEFAULT now(),
        "imported_by" uuid NOT NULL REFERENCES "users"("id"),
        "policy" jsonb NOT NULL DEFAULT '{}',
        "deadline_year" integer,
        "warnings" jsonb NOT NULL DEFAULT '[]'
      )`);
    // Not unique: a duplicate import is allowed when the importer says so explicitly.
    await queryRunner.query(`CREATE INDEX "plans_source_sha256" ON "plans" ("source_sha256")`);
    await queryRunner.query(`
      CREATE TABLE "tasks" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "plan_id" uuid NOT NULL REFERENCES "plans"("id") ON DELETE CASCADE,
        "no" integer NOT NULL CHECK ("no" > 0),
        "title" text NOT NULL,
        "measures" text[] NOT NULL,
        "goals" text[] NOT NULL,
        "lead_unit_ids" varchar(40)[] NOT NULL,
        "all_townships" boolean NOT NULL,
        "related_departments" boolean NOT NULL,
        "deadline_text" text NOT NULL,
        "deadline_date" date,
        "deadline_kind" varchar(12) NOT NULL
          CHECK ("deadline_kind" IN ('date','month-end','year-end','half-year','ongoing','unknown')),
        "due_at" timestamptz,
        "status" varchar(20) NOT NULL DEFAULT 'open',
        "light" varchar(8) NOT NULL DEFAULT 'green' CHECK ("light" IN ('green','yellow','red')),
        UNIQUE ("plan_id", "no")
      )`);
    await queryRunner.query(`
      CREATE TABLE "assignments" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "task_id" uuid NOT NULL REFERENCES "tasks"("id") ON DELETE CASCADE,
        "unit_id" varchar(40) NOT NULL REFERENCES "units"("id"),
        "role" varchar(12) NOT NULL CHECK ("role" IN ('lead','responsible')),
        "status" varchar(20) NOT NULL DEFAULT 'assigned',
        "due_at" timestamptz,
        "escalation_level" integer NOT NULL DEFAULT 0,
        UNIQUE ("task_id", "unit_id")
      )`);
    await queryRunner.query(`CREATE INDEX "assignments_unit_id" ON "assignments" ("unit_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "assignments"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`DROP TABLE "plans"`);
  }
}
