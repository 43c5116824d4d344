import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Regional calendar overrides, seeded with Ningxia's 2021 two-day holidays for 开斋节 (Eid al-Fitr) and
 * 古尔邦节 (Eid al-Adha), which the national table does not know. Seeded here, once, so that an admin who
 * later removes or changes an entry is not overruled at the next start.
 */
export class CalendarOverrides1764290000000 implements MigrationInterface {
  name = 'CalendarOverrides1764290000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "calendar_overrides" (
        "date" date PRIMARY KEY,
        "kind" varchar(8) NOT NULL CHECK ("kind" IN ('holiday','workday')),
        "reason" text NOT NULL,
        "updated_by" uuid REFERENCES "users"("id"),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      INSERT INTO "calendar_overrides" ("date", "kind", "reason") VALUES
        ('2021-05-13', 'holiday', '宁夏开斋节'), ('2021-05-14', 'holiday', '宁夏开斋节'),
        ('2021-07-19', 'holiday', '宁夏古尔邦节'), ('2021-07-20', 'holiday', '宁夏古尔邦节')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calendar_overrides"`);
  }
}
