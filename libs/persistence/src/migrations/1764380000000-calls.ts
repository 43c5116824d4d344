import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 乡呼县应 calls. The call workflow owns every column (written through the projection activity); the
 * timestamps are the facts the per-unit metrics derive from, so they are stored, never typed in.
 * county_app gets its rights through the default privileges set in the audit-log migration.
 */
export class Calls1764380000000 implements MigrationInterface {
  name = 'Calls1764380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "calls" (
        "id" uuid PRIMARY KEY,
        "from_unit_id" varchar(40) NOT NULL REFERENCES "units"("id"),
        "to_unit_id" varchar(40) NOT NULL REFERENCES "units"("id"),
        "subject" text NOT NULL,
        "description" text NOT NULL,
        "urgency" varchar(10) NOT NULL CHECK ("urgency" IN ('normal','urgent')),
        "related_assignment_id" uuid REFERENCES "assignments"("id"),
        "status" varchar(20) NOT NULL
          CHECK ("status" IN ('raised','responded','resolved','reopened','closed')),
        "raised_by" uuid NOT NULL REFERENCES "users"("id"),
        "raised_at" timestamptz NOT NULL,
        -- When the unit now called got the call: raised_at, or the moment the supervision office reassigned it.
        "assigned_at" timestamptz NOT NULL,
        "respond_due_at" timestamptz,
        "responded_at" timestamptz,
        "response_note" text,
        -- The running resolution round's limit: from the response, or from the reopening after 不满意.
        "resolve_due_at" timestamptz,
        "resolved_at" timestamptz,
        "resolution" text,
        "evaluated_at" timestamptz,
        "closed_at" timestamptz,
        "rating" varchar(20) CHECK ("rating" IN ('satisfied','basically-satisfied','dissatisfied')),
        "auto_closed" boolean NOT NULL DEFAULT false,
        "rework_count" integer NOT NULL DEFAULT 0 CHECK ("rework_count" >= 0),
        "escalation_level" integer NOT NULL DEFAULT 0 CHECK ("escalation_level" BETWEEN 0 AND 3),
        "light" varchar(8) NOT NULL DEFAULT 'green' CHECK ("light" IN ('green','yellow','red')),
        "flagged" boolean NOT NULL DEFAULT false,
        CHECK ("from_unit_id" <> "to_unit_id")
      )`);
    await queryRunner.query(`CREATE INDEX "calls_to_unit_id" ON "calls" ("to_unit_id", "status")`);
    await queryRunner.query(`CREATE INDEX "calls_from_unit_id" ON "calls" ("from_unit_id", "status")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calls"`);
  }
}
