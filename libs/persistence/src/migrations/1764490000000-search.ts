import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, search and 已办. Chinese has no word boundaries, so search is substring matching (ILIKE '%q%'); pg_trgm's
 * GIN indexes serve it for fragments of three or more characters. Each index is on one text expression per record —
 * the fields joined by line breaks, which a search string may not hold (searchQueryOf) — and the queries in
 * search.repository.ts repeat these expressions exactly, or the planner would not use the indexes. text[] columns go
 * through an IMMUTABLE wrapper: array_to_string itself is only STABLE and cannot be indexed.
 * 已办 reads the audit log by actor, newest first: one index by user and one by unit, both on seq (the log's order).
 */
export class Search1764490000000 implements MigrationInterface {
  name = 'Search1764490000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION county_search_text(text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, E'\\n') $$`);
    await queryRunner.query(`
      CREATE INDEX "tasks_search" ON "tasks" USING gin
        ((title || E'\\n' || county_search_text(measures) || E'\\n' || county_search_text(goals)) gin_trgm_ops)`);
    await queryRunner.query(`
      CREATE INDEX "audit_events_report_search" ON "audit_events" USING gin
        ((coalesce(payload->>'note', '') || E'\\n' || coalesce(payload->>'summary', '')) gin_trgm_ops)
        WHERE action IN ('assignment.progress', 'assignment.submit')`);
    await queryRunner.query(`
      CREATE INDEX "calls_search" ON "calls" USING gin
        ((subject || E'\\n' || description || E'\\n' || coalesce(resolution, '')) gin_trgm_ops)`);
    await queryRunner.query(`
      CREATE INDEX "audit_events_done_by_user" ON "audit_events" ("actor_user_id", "seq")
        WHERE actor_user_id IS NOT NULL AND subject_type IN ('task', 'assignment', 'call')`);
    await queryRunner.query(`
      CREATE INDEX "audit_events_done_by_unit" ON "audit_events" ("actor_unit_id", "seq")
        WHERE actor_user_id IS NOT NULL AND subject_type IN ('task', 'assignment', 'call')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "audit_events_done_by_unit"`);
    await queryRunner.query(`DROP INDEX "audit_events_done_by_user"`);
    await queryRunner.query(`DROP INDEX "calls_search"`);
    await queryRunner.query(`DROP INDEX "audit_events_report_search"`);
    await queryRunner.query(`DROP INDEX "tasks_search"`);
    await queryRunner.query(`DROP FUNCTION county_search_text(text[])`);
    // The extension stays: other databases' objects or later migrations may use it, and it holds no data.
  }
}
