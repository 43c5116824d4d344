import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A repeated request must get the first answer byte for byte, but jsonb keeps neither key order nor
 * spacing (and refuses a `\u0000` escape outright). The answer is now kept as the text that was sent, with
 * its content type; answers stored before are carried over as jsonb printed them, the closest there is.
 */
export class IdempotencyResponseText1764395000000 implements MigrationInterface {
  name = 'IdempotencyResponseText1764395000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD COLUMN "response_text" text, ADD COLUMN "content_type" text`,
    );
    // A 204 answer has no body: the old code stored it as JSON null.
    await queryRunner.query(`
      UPDATE "idempotency_keys"
         SET "response_text" = CASE WHEN "status" = 204 THEN '' ELSE "response"::text END,
             "content_type" = CASE WHEN "status" = 204 THEN NULL ELSE 'application/json; charset=utf-8' END
       WHERE "status" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "response"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_keys" ADD COLUMN "response" jsonb`);
    // jsonb cannot hold a non-JSON answer or a \u0000 escape; such keys are forgotten, so a repeat runs again.
    await queryRunner.query(`
      DELETE FROM "idempotency_keys"
       WHERE "status" IS NOT NULL AND "response_text" <> ''
         AND (coalesce("content_type", '') NOT LIKE 'application/json%' OR position('\\u0000' in "response_text") > 0)`);
    await queryRunner.query(`
      UPDATE "idempotency_keys"
         SET "response" = CASE WHEN "response_text" = '' THEN 'null'::jsonb ELSE "response_text"::jsonb END
       WHERE "status" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "idempotency_keys" DROP COLUMN "response_text", DROP COLUMN "content_type"`);
  }
}
