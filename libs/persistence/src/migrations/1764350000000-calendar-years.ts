import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Years an admin has loaded from the State Council's notice (holidays and make-up workdays as
 * overrides) and marked complete: such a year counts as covered even before the holiday package is
 * updated, so deadlines keep working on 2 January.
 */
export class CalendarYears1764350000000 implements MigrationInterface {
  name = 'CalendarYears1764350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "calendar_years" (
        "year" integer PRIMARY KEY CHECK ("year" BETWEEN 2000 AND 2100),
        "notice" text NOT NULL,
        "completed_by" uuid REFERENCES "users"("id"),
        "completed_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calendar_years"`);
  }
}
