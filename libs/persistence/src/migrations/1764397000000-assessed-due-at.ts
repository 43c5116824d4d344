import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadline a unit is assessed against (考核时限, DESIGN §4.5), apart from the deadline it works to (`due_at`):
 * a deadline moved after it had passed (the office's 延期 from an escalation, a late task-level change) re-arms the
 * clock but leaves the unit measured against the date it missed. The assignment workflow keeps it (see
 * afterDeadlineChange in @county/domain). Existing rows start from their current deadline (what the on-time figure
 * used before); an ongoing task's assignment (no fixed deadline) has none.
 */
export class AssessedDueAt1764397000000 implements MigrationInterface {
  name = 'AssessedDueAt1764397000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assignments" ADD COLUMN "assessed_due_at" timestamptz`);
    await queryRunner.query(
      `UPDATE "assignments" a SET "assessed_due_at" = a."due_at"
         FROM "tasks" t WHERE t."id" = a."task_id" AND t."due_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "assessed_due_at"`);
  }
}
