import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only, hash-chained audit log, and the application role that uses the database: it may
 * read and insert audit events but never UPDATE, DELETE or TRUNCATE them. The API and the worker connect
 * with this role (DataSourceOptions.role); only migrations run as the owner.
 */
export class AuditLog1764300000000 implements MigrationInterface {
  name = 'AuditLog1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_events" (
        "seq" bigint PRIMARY KEY,
        "at" timestamptz NOT NULL,
        "actor_user_id" uuid,
        "actor_unit_id" varchar(40),
        "action" text NOT NULL,
        "subject_type" text NOT NULL,
        "subject_id" text NOT NULL,
        "workflow_id" text,
        "payload" jsonb NOT NULL,
        "prev_hash" char(64) NOT NULL,
        "hash" char(64) NOT NULL UNIQUE,
        "dedupe_key" text UNIQUE
      )`);
    await queryRunner.query(
      `CREATE INDEX "audit_events_subject" ON "audit_events" ("subject_type", "subject_id", "seq")`,
    );

    // Roles belong to the whole cluster, so create it only once; privileges are per database.
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'county_app') THEN CREATE ROLE county_app NOLOGIN; END IF;
      END $$`);
    // The migrating user may switch to the role (superusers can anyway; others need membership).
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN EXECUTE 'GRANT county_app TO ' || quote_ident(current_user); END IF;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO county_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO county_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO county_app`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO county_app`,
    );
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO county_app`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM county_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_events"`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM county_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM county_app`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM county_app`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM county_app`);
    await queryRunner.query(`REVOKE ALL ON SCHEMA public FROM county_app`);
  }
}
