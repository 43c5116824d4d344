import { MigrationInterface, QueryRunner } from 'typeorm';

/** Task statuses such as "awaiting-consolidation" (22 characters) did not fit the first varchar(20). */
export class WiderStatus1764320000000 implements MigrationInterface {
  name = 'WiderStatus1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tasks" ALTER COLUMN "status" TYPE varchar(40)`);
    await queryRunner.query(`ALTER TABLE "assignments" ALTER COLUMN "status" TYPE varchar(40)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assignments" ALTER COLUMN "status" TYPE varchar(20)`);
    await queryRunner.query(`ALTER TABLE "tasks" ALTER COLUMN "status" TYPE varchar(20)`);
  }
}
