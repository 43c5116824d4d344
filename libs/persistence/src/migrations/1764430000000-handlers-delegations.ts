import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, people: 承办人 and 委派.
 * - `handler_user_id` on assignments and calls: the colleague of the unit who handles the item. A read-model
 *   column the API writes (the workflows never read or write it: naming a handler is not a transition — the unit
 *   stays responsible and its process does not change). Shown only while the user still belongs to the item's
 *   unit (a call moved by 转办, a user moved to another unit, drop out by the join, not by a rewrite).
 * - `delegations`: a head's sign-off handed to a deputy of the same unit for a window; ended early by
 *   `revoked_at`. Rows are never deleted (the audit events of sign-offs name them).
 */
export class HandlersDelegations1764430000000 implements MigrationInterface {
  name = 'HandlersDelegations1764430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['assignments', 'calls']) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD COLUMN "handler_user_id" uuid REFERENCES "users"("id"),
                                ADD COLUMN "handler_set_at" timestamptz`,
      );
    }
    await queryRunner.query(`
      CREATE TABLE "delegations" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "unit_id" varchar(40) NOT NULL REFERENCES "units"("id"),
        "head_user_id" uuid NOT NULL REFERENCES "users"("id"),
        "deputy_user_id" uuid NOT NULL REFERENCES "users"("id"),
        "starts_at" timestamptz NOT NULL,
        "ends_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CHECK ("ends_at" > "starts_at"),
        CHECK ("head_user_id" <> "deputy_user_id")
      )`);
    await queryRunner.query(`CREATE INDEX "delegations_deputy" ON "delegations" ("deputy_user_id", "ends_at")`);
    await queryRunner.query(`CREATE INDEX "delegations_head" ON "delegations" ("head_user_id", "ends_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "delegations"`);
    for (const table of ['assignments', 'calls']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "handler_user_id", DROP COLUMN "handler_set_at"`);
    }
  }
}
