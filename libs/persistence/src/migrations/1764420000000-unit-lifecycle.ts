import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Units change over time (机构改革): a retired unit is no longer offered for new work, and a merged one points at
 * the unit that took its work over. Running workflows keep the old id; reads map it through `merged_into`.
 */
export class UnitLifecycle1764420000000 implements MigrationInterface {
  name = 'UnitLifecycle1764420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "units" ADD COLUMN "retired_at" timestamptz`);
    await queryRunner.query(`ALTER TABLE "units" ADD COLUMN "merged_into" varchar(40) REFERENCES "units"("id")`);
    await queryRunner.query(
      `ALTER TABLE "units" ADD CONSTRAINT "units_merged_is_retired" CHECK ("merged_into" IS NULL OR "retired_at" IS NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "units_merged_into" ON "units" ("merged_into")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "units_merged_into"`);
    await queryRunner.query(`ALTER TABLE "units" DROP CONSTRAINT "units_merged_is_retired"`);
    await queryRunner.query(`ALTER TABLE "units" DROP COLUMN "merged_into"`);
    await queryRunner.query(`ALTER TABLE "units" DROP COLUMN "retired_at"`);
  }
}
