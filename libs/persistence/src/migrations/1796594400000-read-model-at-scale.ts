import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19 (reads at 100,000 assignments): counts and indexes for the reads that scanned everything.
 *
 * The board's assignment figures come from counts kept up to date, not from a scan of every assignment and a
 * look-up of its last report in the audit log (367 ms per GET /dashboard at 100k assignments).
 *
 * - `assignments.last_submitted_at`: when the unit last submitted its report (the newest `assignment.submit` audit
 *   event), kept by a trigger on audit_events, so "approved on time" is a fact of the row itself.
 * - `assignment_counts`: assignments by plan, unit, status, stored light, "escalated at least once" and "approved
 *   on time". Statement triggers on assignments add the new rows and subtract the old ones in the writer's own
 *   transaction — the projection's, or any other writer's (the bench's INSERT … SELECT, a migration) — so the counts
 *   can never disagree with the rows they count, and there is one home for the rule: this file.
 *
 * Lights are stored columns the workflows move with their timers (the projection writes `assignments.light`), and
 * the board always showed the stored light: counting it here freezes nothing that the rows did not.
 * Assignments are never deleted one by one (a task's work is `removed` by status); a plan's counts go with the
 * plan (ON DELETE CASCADE), since its assignments' deletion cannot name its plan once the tasks are gone.
 */
export class ReadModelAtScale1796594400000 implements MigrationInterface {
  name = 'ReadModelAtScale1796594400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assignments" ADD COLUMN "last_submitted_at" timestamptz`);
    await queryRunner.query(`
      UPDATE "assignments" a SET "last_submitted_at" = s.at
        FROM (SELECT subject_id, max(at) AS at FROM audit_events
               WHERE subject_type = 'assignment' AND action = 'assignment.submit' GROUP BY subject_id) s
       WHERE a.id::text = s.subject_id`);
    await queryRunner.query(`
      CREATE FUNCTION county_assignment_submitted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE assignments a SET last_submitted_at = s.at
          FROM (SELECT subject_id::uuid AS id, max(at) AS at FROM added
                 WHERE subject_type = 'assignment' AND action = 'assignment.submit' GROUP BY subject_id) s
         WHERE a.id = s.id AND (a.last_submitted_at IS NULL OR a.last_submitted_at < s.at);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_submitted AFTER INSERT ON audit_events
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION county_assignment_submitted()`);

    await queryRunner.query(`
      CREATE TABLE "assignment_counts" (
        "plan_id" uuid NOT NULL REFERENCES "plans"("id") ON DELETE CASCADE,
        "unit_id" varchar(40) NOT NULL,
        "status" varchar(40) NOT NULL,
        "light" varchar(8) NOT NULL,
        "escalated" boolean NOT NULL,
        "on_time" boolean NOT NULL,
        "n" integer NOT NULL,
        PRIMARY KEY ("plan_id", "unit_id", "status", "light", "escalated", "on_time")
      )`);
    await queryRunner.query(`
      CREATE FUNCTION county_assignment_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${delta(`SELECT ${KEY}, 1 AS n FROM new_rows`)};
        ELSIF TG_OP = 'DELETE' THEN ${delta(`SELECT ${KEY}, -1 AS n FROM old_rows`)};
        ELSE ${delta(`SELECT ${KEY}, 1 AS n FROM new_rows UNION ALL SELECT ${KEY}, -1 FROM old_rows`)};
        END IF;
        RETURN NULL;
      END $$`);
    for (const [event, tables] of [
      ['INSERT', 'NEW TABLE AS new_rows'],
      ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['DELETE', 'OLD TABLE AS old_rows'],
    ]) {
      await queryRunner.query(`
        CREATE TRIGGER assignments_counted_${event.toLowerCase()} AFTER ${event} ON assignments
          REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION county_assignment_counts_changed()`);
    }
    await queryRunner.query(`
      CREATE FUNCTION county_assignment_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM assignment_counts; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER assignments_counted_truncate AFTER TRUNCATE ON assignments
        FOR EACH STATEMENT EXECUTE FUNCTION county_assignment_counts_truncated()`);
    // The backfill: the counts of the rows already there (the same grouping the triggers keep).
    await queryRunner.query(`INSERT INTO assignment_counts ${ASSIGNMENT_COUNTS_FROM_ROWS}`);

    // The same for calls: by the unit a call is with, status and light, the sums the board's call metrics divide
    // (every one a fact of the row: stored timestamps and limits, none compared with the clock); and per calling
    // township. A call's status, limits and timestamps change in place, so an update moves it between counts.
    await queryRunner.query(`
      CREATE TABLE "call_counts" (
        "to_unit_id" varchar(40) NOT NULL,
        "status" varchar(20) NOT NULL,
        "light" varchar(8) NOT NULL,
        "n" integer NOT NULL,
        "responded" integer NOT NULL,
        "responded_on_time" integer NOT NULL,
        "resolved" integer NOT NULL,
        "resolved_on_time" integer NOT NULL,
        "closed" integer NOT NULL,
        "rework" integer NOT NULL,
        "response_seconds" numeric NOT NULL,
        "response_n" integer NOT NULL,
        PRIMARY KEY ("to_unit_id", "status", "light")
      )`);
    await queryRunner.query(`
      CREATE TABLE "call_township_counts" (
        "from_unit_id" varchar(40) PRIMARY KEY,
        "n" integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION county_call_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${callDelta(`${CALL_FIGURES('new_rows', '1')}`)};
        ELSIF TG_OP = 'DELETE' THEN ${callDelta(`${CALL_FIGURES('old_rows', '-1')}`)};
        ELSE ${callDelta(`${CALL_FIGURES('new_rows', '1')} UNION ALL ${CALL_FIGURES('old_rows', '-1')}`)};
        END IF;
        RETURN NULL;
      END $$`);
    for (const [event, tables] of [
      ['INSERT', 'NEW TABLE AS new_rows'],
      ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['DELETE', 'OLD TABLE AS old_rows'],
    ]) {
      await queryRunner.query(`
        CREATE TRIGGER calls_counted_${event.toLowerCase()} AFTER ${event} ON calls
          REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION county_call_counts_changed()`);
    }
    await queryRunner.query(`
      CREATE FUNCTION county_call_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN DELETE FROM call_counts; DELETE FROM call_township_counts; RETURN NULL; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER calls_counted_truncate AFTER TRUNCATE ON calls
        FOR EACH STATEMENT EXECUTE FUNCTION county_call_counts_truncated()`);
    await queryRunner.query(`${callDelta(CALL_FIGURES('calls', '1'))}`);

    // The escalation queue (GET /escalations, 督办 in 待办): each subject's current open row in index order (the
    // queue's DISTINCT ON and its window need no sort of every open row), and the subject looked up by the text id
    // an escalation names it by (without these, each page joined every assignment and call by a sequential scan).
    await queryRunner.query(
      `CREATE INDEX "escalations_open_current" ON "escalations"
         ("subject_type", "subject_id", "level" DESC, "created_at" DESC, "id" DESC) WHERE "handled_at" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "assignments_id_text" ON "assignments" (("id"::text))`);
    await queryRunner.query(`CREATE INDEX "calls_id_text" ON "calls" (("id"::text))`);
    // 待办: the open 催办 of a page of assignments (UrgeRepository.openFor) looked through every notification
    // (~200,000 at this size) for each page; a lead unit's reviews and 汇总 looked through every task's lead units.
    await queryRunner.query(
      `CREATE INDEX "notifications_subject" ON "notifications" ("subject_type", "subject_id", "created_at" DESC)`,
    );
    await queryRunner.query(`CREATE INDEX "tasks_lead_unit_ids" ON "tasks" USING gin (("lead_unit_ids"::text[]))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await queryRunner.query(`DROP TRIGGER calls_counted_${event} ON calls`);
    }
    await queryRunner.query(`DROP FUNCTION county_call_counts_truncated()`);
    await queryRunner.query(`DROP FUNCTION county_call_counts_changed()`);
    await queryRunner.query(`DROP TABLE "call_township_counts"`);
    await queryRunner.query(`DROP TABLE "call_counts"`);
    await queryRunner.query(`DROP INDEX "tasks_lead_unit_ids"`);
    await queryRunner.query(`DROP INDEX "notifications_subject"`);
    await queryRunner.query(`DROP INDEX "calls_id_text"`);
    await queryRunner.query(`DROP INDEX "assignments_id_text"`);
    await queryRunner.query(`DROP INDEX "escalations_open_current"`);
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await queryRunner.query(`DROP TRIGGER assignments_counted_${event} ON assignments`);
    }
    await queryRunner.query(`DROP FUNCTION county_assignment_counts_truncated()`);
    await queryRunner.query(`DROP FUNCTION county_assignment_counts_changed()`);
    await queryRunner.query(`DROP TABLE "assignment_counts"`);
    await queryRunner.query(`DROP TRIGGER audit_events_submitted ON audit_events`);
    await queryRunner.query(`DROP FUNCTION county_assignment_submitted()`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "last_submitted_at"`);
  }
}

/**
 * What an assignment row counts under (besides its task's plan): "on time" is approved with the last report in at
 * or before the deadline the unit is assessed against (an ongoing task's assignment has none to miss).
 */
const KEY = `task_id, unit_id, status, light, escalation_level >= 1 AS escalated,
  COALESCE(status = 'approved' AND last_submitted_at <= COALESCE(assessed_due_at, 'infinity'), false) AS on_time`;

/**
 * Adds the signed rows of `rows` to the counts, in key order (two writers touching the same counts lock them in
 * the same order, so they wait for each other instead of deadlocking); a change that moves nothing writes nothing.
 */
const delta = (rows: string) => `
  INSERT INTO assignment_counts AS c (plan_id, unit_id, status, light, escalated, on_time, n)
  SELECT t.plan_id, d.unit_id, d.status, d.light, d.escalated, d.on_time, sum(d.n)
    FROM (${rows}) d JOIN tasks t ON t.id = d.task_id
   GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (plan_id, unit_id, status, light, escalated, on_time) DO UPDATE SET n = c.n + EXCLUDED.n`;

/** The counts as they follow from the rows (the backfill; a test compares the kept counts with it). */
export const ASSIGNMENT_COUNTS_FROM_ROWS = `
  SELECT t.plan_id, d.unit_id, d.status, d.light, d.escalated, d.on_time, count(*)::int
    FROM (SELECT ${KEY} FROM assignments) d JOIN tasks t ON t.id = d.task_id GROUP BY 1, 2, 3, 4, 5, 6`;

/** What each call row of `rows` adds to the call counts, times `sign` (1 for a new row, -1 for an old one). */
const CALL_FIGURES = (rows: string, sign: string) => `
  SELECT to_unit_id, from_unit_id, status, light, ${sign} AS n,
         ${sign} * (responded_at IS NOT NULL)::int AS responded,
         -- A limit not yet computed (calendar year not loaded) cannot have been missed.
         ${sign} * COALESCE(responded_at <= COALESCE(respond_due_at, 'infinity'), false)::int AS responded_on_time,
         ${sign} * (resolved_at IS NOT NULL)::int AS resolved,
         ${sign} * COALESCE(resolved_at <= COALESCE(resolve_due_at, 'infinity'), false)::int AS resolved_on_time,
         ${sign} * (closed_at IS NOT NULL)::int AS closed,
         ${sign} * rework_count AS rework,
         ${sign} * COALESCE(extract(epoch FROM responded_at - assigned_at), 0) AS response_seconds,
         ${sign} * (responded_at - assigned_at IS NOT NULL)::int AS response_n
    FROM ${rows}`;

/** Adds signed call figures to both counts, in key order; what sums to nothing writes nothing. */
const callDelta = (figures: string) => `
  WITH d AS (${figures}), by_unit AS (
    INSERT INTO call_counts AS c (to_unit_id, status, light, n, responded, responded_on_time, resolved,
                                  resolved_on_time, closed, rework, response_seconds, response_n)
    SELECT to_unit_id, status, light, sum(n), sum(responded), sum(responded_on_time), sum(resolved),
           sum(resolved_on_time), sum(closed), sum(rework), sum(response_seconds), sum(response_n)
      FROM d GROUP BY 1, 2, 3
    HAVING sum(n) <> 0 OR sum(responded) <> 0 OR sum(responded_on_time) <> 0 OR sum(resolved) <> 0
        OR sum(resolved_on_time) <> 0 OR sum(closed) <> 0 OR sum(rework) <> 0 OR sum(response_seconds) <> 0
        OR sum(response_n) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT (to_unit_id, status, light) DO UPDATE SET
      n = c.n + EXCLUDED.n, responded = c.responded + EXCLUDED.responded,
      responded_on_time = c.responded_on_time + EXCLUDED.responded_on_time, resolved = c.resolved + EXCLUDED.resolved,
      resolved_on_time = c.resolved_on_time + EXCLUDED.resolved_on_time, closed = c.closed + EXCLUDED.closed,
      rework = c.rework + EXCLUDED.rework, response_seconds = c.response_seconds + EXCLUDED.response_seconds,
      response_n = c.response_n + EXCLUDED.response_n)
  INSERT INTO call_township_counts AS c (from_unit_id, n)
  SELECT from_unit_id, sum(n) FROM d GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1
  ON CONFLICT (from_unit_id) DO UPDATE SET n = c.n + EXCLUDED.n`;
