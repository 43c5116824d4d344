import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An atomic login limit, per account as well as per address. A login attempt row with succeeded NULL is a
 * reservation: the limits are checked and the attempt recorded in one locked step before the password is
 * verified, and the row is settled afterwards. Reservations count against the limits, so parallel guesses
 * cannot all pass the check before any of them is recorded.
 */
export class LoginAttemptReservations1764390000000 implements MigrationInterface {
  name = 'LoginAttemptReservations1764390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "login_attempts" ALTER COLUMN "succeeded" DROP NOT NULL`);
    // The per-account limit counts by username, across every address.
    await queryRunner.query(`CREATE INDEX "login_attempts_username_at" ON "login_attempts" ("username", "at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "login_attempts_username_at"`);
    // Reservations only mean something to the code that made them.
    await queryRunner.query(`DELETE FROM "login_attempts" WHERE "succeeded" IS NULL`);
    await queryRunner.query(`ALTER TABLE "login_attempts" ALTER COLUMN "succeeded" SET NOT NULL`);
  }
}
