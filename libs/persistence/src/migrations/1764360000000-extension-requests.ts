import { MigrationInterface, QueryRunner } from 'typeorm';

/** A unit asks for more time before its deadline; the supervision office approves or rejects. */
export class ExtensionRequests1764360000000 implements MigrationInterface {
  name = 'ExtensionRequests1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "extension_requests" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "assignment_id" uuid NOT NULL REFERENCES "assignments"("id"),
        "requested_due_at" timestamptz NOT NULL,
        "reason" text NOT NULL,
        "status" varchar(10) NOT NULL DEFAULT 'pending' CHECK ("status" IN ('pending','approved','rejected')),
        "requested_by" uuid NOT NULL REFERENCES "users"("id"),
        "decided_by" uuid REFERENCES "users"("id"),
        "comment" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "decided_at" timestamptz
      )`);
    // One open request per assignment at a time.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "extension_requests_one_pending" ON "extension_requests" ("assignment_id") WHERE "status" = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "extension_requests"`);
  }
}
