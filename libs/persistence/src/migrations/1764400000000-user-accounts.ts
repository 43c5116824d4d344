import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * User administration (issue 14): contact details, and the one-time password flag. A user whose password an
 * administrator set (create-admin, POST /users, reset) must choose their own before doing anything else.
 * Changing the password already revokes every token (trigger of 1764391000000); the e-mail and phone do not.
 */
export class UserAccounts1764400000000 implements MigrationInterface {
  name = 'UserAccounts1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "phone" varchar(40)`);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "email" varchar(254)`);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "must_change_password" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "updated_at" timestamptz NOT NULL DEFAULT now()`);
    await queryRunner.query(`CREATE INDEX "users_roles" ON "users" USING gin ("roles")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "users_roles"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "updated_at"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "must_change_password"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "phone"`);
  }
}
