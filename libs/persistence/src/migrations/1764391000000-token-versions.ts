import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revocable access tokens. Every token carries the user's token_version; a token whose version is not the
 * stored one is refused. Logout increments it, and so does this trigger whenever a change makes issued
 * tokens wrong about the user (disabled, moved to another unit, roles changed, password replaced). The
 * trigger, not the code that makes the change, is the home of that rule, so no future code path (user
 * administration, an operator's manual UPDATE) can forget to revoke.
 */
export class TokenVersions1764391000000 implements MigrationInterface {
  name = 'TokenVersions1764391000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD COLUMN "token_version" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE FUNCTION "users_revoke_tokens"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- GREATEST: a statement that bumps the version itself as well still moves it forward, never back.
        NEW.token_version := GREATEST(NEW.token_version, OLD.token_version + 1);
        RETURN NEW;
      END $$`);
    // No "UPDATE OF columns": that fires only when a column is named in SET; WHEN compares the values.
    await queryRunner.query(`
      CREATE TRIGGER "users_revoke_tokens" BEFORE UPDATE ON "users" FOR EACH ROW
      WHEN (OLD.disabled IS DISTINCT FROM NEW.disabled
         OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
         OR OLD.roles IS DISTINCT FROM NEW.roles
         OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
      EXECUTE FUNCTION "users_revoke_tokens"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "users_revoke_tokens" ON "users"`);
    await queryRunner.query(`DROP FUNCTION "users_revoke_tokens"()`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_version"`);
  }
}
