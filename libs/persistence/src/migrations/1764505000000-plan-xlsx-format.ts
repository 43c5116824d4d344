import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: task lists also arrive as Excel workbooks, so a plan may be imported from an .xlsx. The check on
 * plans.source_format (named by PostgreSQL after the column, as written in the plans migration) is widened.
 */
export class PlanXlsxFormat1764505000000 implements MigrationInterface {
  name = 'PlanXlsxFormat1764505000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "plans" DROP CONSTRAINT "plans_source_format_check"`);
    await queryRunner.query(
      `ALTER TABLE "plans" ADD CONSTRAINT "plans_source_format_check" CHECK ("source_format" IN ('txt','docx','xlsx'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Refuses while a plan imported from an .xlsx exists, rather than rewriting what was recorded of it.
    await queryRunner.query(`ALTER TABLE "plans" DROP CONSTRAINT "plans_source_format_check"`);
    await queryRunner.query(
      `ALTER TABLE "plans" ADD CONSTRAINT "plans_source_format_check" CHECK ("source_format" IN ('txt','docx'))`,
    );
  }
}
