import { MigrationInterface, QueryRunner } from 'typeorm';

/** Units, users and login attempts: what authentication and authorization stand on. */
export class Identity1764270000000 implements MigrationInterface {
  name = 'Identity1764270000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "units" (
        "id" varchar(40) PRIMARY KEY,
        "name" text NOT NULL UNIQUE,
        "full_name" text NOT NULL,
        "aliases" text[] NOT NULL DEFAULT '{}',
        "kind" varchar(20) NOT NULL CHECK ("kind" IN
          ('county-dept','township','city-branch','court','procuratorate','supervision','leadership'))
      )`);
    await queryRunner.query(`
      CREATE TABLE "users" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "username" varchar(80) NOT NULL UNIQUE,
        "display_name" text NOT NULL,
        "unit_id" varchar(40) NOT NULL REFERENCES "units"("id") ON DELETE RESTRICT,
        "roles" text[] NOT NULL CHECK (cardinality("roles") > 0
          AND "roles" <@ ARRAY['staff','head','supervisor','leader','admin']::text[]),
        "password_hash" text NOT NULL,
        "disabled" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "users_unit_id" ON "users" ("unit_id")`);
    await queryRunner.query(`
      CREATE TABLE "login_attempts" (
        "id" bigserial PRIMARY KEY,
        "client_key" text NOT NULL,
        "username" text NOT NULL,
        "succeeded" boolean NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "login_attempts_client_at" ON "login_attempts" ("client_key", "at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "login_attempts"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "units"`);
  }
}
