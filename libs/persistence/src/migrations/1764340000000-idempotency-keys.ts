import { MigrationInterface, QueryRunner } from 'typeorm';

/** Answers to requests sent with an Idempotency-Key, per user, so a repeat gets the first answer. */
export class IdempotencyKeys1764340000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "idempotency_keys" (
        "user_id" uuid NOT NULL REFERENCES "users"("id"),
        "key" varchar(200) NOT NULL,
        "request_hash" char(64) NOT NULL,
        "status" integer,
        "response" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("user_id", "key")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
