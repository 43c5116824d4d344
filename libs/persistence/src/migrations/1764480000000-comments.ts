import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: a thread on each task, assignment and call, and the leaders' 批示 (on a task or an escalation).
 * Append-only like the record it comments on: the application role may insert and read comments, never change
 * or remove one. `task_id` gathers everything pinned on a task: its own thread's 批示 and those on the escalations
 * of its assignments (a call's escalation has no task).
 */
export class Comments1764480000000 implements MigrationInterface {
  name = 'Comments1764480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "comments" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "subject_type" varchar(12) NOT NULL CHECK ("subject_type" IN ('task','assignment','call','escalation')),
        "subject_id" uuid NOT NULL,
        "task_id" uuid REFERENCES "tasks"("id"),
        "kind" varchar(12) NOT NULL CHECK ("kind" IN ('comment','instruction')),
        "body" text NOT NULL,
        "mentioned_unit_ids" varchar(40)[] NOT NULL DEFAULT '{}',
        "author_user_id" uuid NOT NULL REFERENCES "users"("id"),
        "author_unit_id" varchar(40) NOT NULL REFERENCES "units"("id"),
        "author_name" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CHECK ("kind" = 'instruction' OR "subject_type" <> 'escalation')
      )`);
    await queryRunner.query(
      `CREATE INDEX "comments_thread" ON "comments" ("subject_type", "subject_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_task_instructions" ON "comments" ("task_id", "created_at") WHERE "kind" = 'instruction'`,
    );
    // The role exists once the audit-log migration ran; the default privileges gave it UPDATE and DELETE too.
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "comments" FROM county_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "comments"`);
  }
}
