import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assignments a task gains while it runs: a unit added (加签) or the work moved to another unit (转办).
 * A reassigned assignment stays on record (status `reassigned`); its successor points back to it.
 */
export class AddedAssignments1764370000000 implements MigrationInterface {
  name = 'AddedAssignments1764370000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "assignments" ADD COLUMN "reassigned_from_id" uuid REFERENCES "assignments"("id")`,
    );
    await queryRunner.query(`ALTER TABLE "assignments" ADD COLUMN "created_at" timestamptz NOT NULL DEFAULT now()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "created_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "reassigned_from_id"`);
  }
}
