import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18: the escalation queue is one item per subject (an assignment or a call), not one row per level.
 * - `resolved_reason` records why a row left the queue without anyone handling it (the projection that removed
 *   its cause names the change: a deadline moved, the work approved, a call answered or closed).
 * - `escalations_open_subject` finds a subject's open levels: the queue groups by it and handling clears them all.
 * - `escalation_reads` is a leader's 已阅 of a 挂牌督办 item, one row per leader and escalation (a second 已阅
 *   changes nothing); it is audited like every other act.
 */
export class EscalationQueue1764512180000 implements MigrationInterface {
  name = 'EscalationQueue1764512180000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "escalations" ADD COLUMN "resolved_reason" text`);
    await queryRunner.query(
      `CREATE INDEX "escalations_open_subject" ON "escalations" ("subject_type", "subject_id", "level" DESC)
        WHERE "handled_at" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "escalations_subject" ON "escalations" ("subject_type", "subject_id")`);
    await queryRunner.query(`
      CREATE TABLE "escalation_reads" (
        "escalation_id" uuid NOT NULL REFERENCES "escalations"("id"),
        "user_id" uuid NOT NULL REFERENCES "users"("id"),
        "read_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("escalation_id", "user_id")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "escalation_reads"`);
    await queryRunner.query(`DROP INDEX "escalations_subject"`);
    await queryRunner.query(`DROP INDEX "escalations_open_subject"`);
    await queryRunner.query(`ALTER TABLE "escalations" DROP COLUMN "resolved_reason"`);
  }
}
