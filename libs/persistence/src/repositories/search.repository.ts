import { DataSource } from 'typeorm';
import { isUuid } from './sql';

/*
 * The indexed text of each kind. These must stay exactly the expressions of the migration 1764490000000-search
 * (tasks_search, audit_events_report_search, calls_search): the planner uses an expression index only for the
 * same expression.
 */
const TASK_TEXT = `(t.title || E'\\n' || county_search_text(t.measures) || E'\\n' || county_search_text(t.goals))`;
const REPORT_TEXT = `(coalesce(e.payload->>'note', '') || E'\\n' || coalesce(e.payload->>'summary', ''))`;
const REPORT_ACTIONS = `e.action IN ('assignment.progress', 'assignment.submit')`;
const CALL_TEXT = `(c.subject || E'\\n' || c.description || E'\\n' || coalesce(c.resolution, ''))`;

/** Who is reading: everything (the supervision office, the leaders), or the work of these units only. */
export interface SearchViewer {
  all: boolean;
  unitIds: string[];
}

export interface SearchFilter {
  /** An ILIKE pattern with the wildcards of the search string escaped (likePattern, libs/domain). */
  pattern: string;
  /** Match case-insensitively (ILIKE); false when the words have no cased letters and LIKE finds the same. */
  ignoreCase: boolean;
  planId?: string;
  unitId?: string;
  status?: string;
  light?: string;
  /** Instants bounding the due date (inclusive). */
  dueFrom?: string;
  dueTo?: string;
  limit: number;
}

export interface TaskHitRow {
  id: string;
  planId: string;
  no: number;
  title: string;
  measures: string[];
  goals: string[];
  status: string;
  light: string;
  dueAt: string | null;
}

export interface ReportHitRow {
  seq: number;
  action: string;
  at: string;
  note: string;
  assignmentId: string;
  unitId: string;
  taskId: string;
  planId: string;
  taskNo: number;
  taskTitle: string;
  leadUnitIds: string[];
  status: string;
  light: string;
}

export interface CallHitRow {
  id: string;
  subject: string;
  description: string;
  resolution: string | null;
  fromUnitId: string;
  toUnitId: string;
  status: string;
  light: string;
  raisedAt: string;
}

export interface DoneRow {
  seq: number;
  at: string;
  action: string;
  actorUserId: string;
  actorUnitId: string | null;
  actorName: string | null;
  subjectType: string;
  subjectId: string;
  taskId: string | null;
  taskNo: number | null;
  taskTitle: string | null;
  planId: string | null;
  planTitle: string | null;
  assignmentId: string | null;
  unitId: string | null;
  callId: string | null;
  callSubject: string | null;
}

const like = (filter: SearchFilter) => (filter.ignoreCase ? 'ILIKE' : 'LIKE');
const iso = (value: unknown) => (value ? (value as Date).toISOString() : null);

/**
 * Keyword search over tasks, reports and calls, and 已办 from the audit log. Every query is keyset-paged: it
 * returns rows after `after` (the last row's sort key) in its own order, at most `limit`.
 */
export class SearchRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Tasks by title, measures or goals, in plan and 序号 order. Any user reads every task (GET /tasks). */
  async tasks(filter: SearchFilter, after: { planId: string; no: number } | null): Promise<TaskHitRow[]> {
    if (filter.planId && !isUuid(filter.planId)) return [];
    if (after && !isUuid(after.planId)) return [];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT t.id, t.plan_id, t.no, t.title, t.measures, t.goals, t.status, t.light, t.due_at
         FROM tasks t
        WHERE ${TASK_TEXT} ${like(filter)} $1
          AND ($2::uuid IS NULL OR t.plan_id = $2) AND ($3::text IS NULL OR t.status = $3)
          AND ($4::text IS NULL OR t.light = $4)
          AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.id AND a.unit_id = $5))
          AND ($6::timestamptz IS NULL OR t.due_at >= $6) AND ($7::timestamptz IS NULL OR t.due_at <= $7)
          AND ($8::uuid IS NULL OR (t.plan_id, t.no) > ($8::uuid, $9::int))
        ORDER BY t.plan_id, t.no
        LIMIT $10`,
      [
        filter.pattern,
        filter.planId ?? null,
        filter.status ?? null,
        filter.light ?? null,
        filter.unitId ?? null,
        filter.dueFrom ?? null,
        filter.dueTo ?? null,
        after?.planId ?? null,
        after?.no ?? null,
        filter.limit,
      ],
    );
    return rows.map((row) => ({
      id: row.id as string,
      planId: row.plan_id as string,
      no: row.no as number,
      title: row.title as string,
      measures: row.measures as string[],
      goals: row.goals as string[],
      status: row.status as string,
      light: row.light as string,
      dueAt: iso(row.due_at),
    }));
  }

  /**
   * Progress reports and submitted reports by their text, newest first. A unit sees the reports of its own
   * assignments and of the tasks it leads (assignmentThread: the people who take part in the assignment).
   */
  async reports(filter: SearchFilter, viewer: SearchViewer, afterSeq: number | null): Promise<ReportHitRow[]> {
    if (filter.planId && !isUuid(filter.planId)) return [];
    const narrowed = [filter.planId, filter.status, filter.light, filter.unitId, filter.dueFrom, filter.dueTo].some(
      (value) => value !== undefined,
    );
    // One unit's reports: read through that unit's assignments (a few thousand at 100k assignments, each an index
    // look-up in the audit log) rather than through every report with the words, which for a common phrase is
    // thousands of rows (issue 19: 39 ms for a 4-character phrase in one unit). OFFSET 0 keeps the look-up per
    // assignment: the trigram estimate for Chinese text is far too low for the planner to choose this by itself.
    const reportsOf = filter.unitId
      ? `assignments a JOIN tasks t ON t.id = a.task_id
         CROSS JOIN LATERAL (SELECT e.* FROM audit_events e
                              WHERE e.subject_type = 'assignment' AND e.subject_id = a.id::text OFFSET 0) e`
      : `audit_events e
         JOIN assignments a ON a.id = CASE WHEN e.subject_type = 'assignment' THEN e.subject_id::uuid END
         JOIN tasks t ON t.id = a.task_id`;
    const rows: Array<Record<string, unknown>> =
      viewer.all && !narrowed
        ? await this.everyReport(filter, afterSeq)
        : await this.dataSource.query(
            `SELECT e.seq, e.action, e.at, ${REPORT_TEXT} AS note, a.id AS assignment_id, a.unit_id, a.status, a.light,
              t.id AS task_id, t.plan_id, t.no, t.title, t.lead_unit_ids
         FROM ${reportsOf}
        WHERE ${REPORT_ACTIONS} AND ${REPORT_TEXT} ${like(filter)} $1
          AND ($2 OR a.unit_id = ANY($3::text[]) OR t.lead_unit_ids::text[] && $3::text[])
          AND ($4::uuid IS NULL OR t.plan_id = $4) AND ($5::text IS NULL OR a.status = $5)
          AND ($6::text IS NULL OR a.light = $6) AND ($7::text IS NULL OR a.unit_id = $7)
          AND ($8::timestamptz IS NULL OR a.due_at >= $8) AND ($9::timestamptz IS NULL OR a.due_at <= $9)
          AND ($10::bigint IS NULL OR e.seq < $10)
        ORDER BY e.seq DESC
        LIMIT $11`,
            [
              filter.pattern,
              viewer.all,
              viewer.unitIds,
              filter.planId ?? null,
              filter.status ?? null,
              filter.light ?? null,
              filter.unitId ?? null,
              filter.dueFrom ?? null,
              filter.dueTo ?? null,
              afterSeq,
              filter.limit,
            ],
          );
    return rows.map((row) => ({
      seq: Number(row.seq),
      action: row.action as string,
      at: iso(row.at)!,
      note: row.note as string,
      assignmentId: row.assignment_id as string,
      unitId: row.unit_id as string,
      status: row.status as string,
      light: row.light as string,
      taskId: row.task_id as string,
      planId: row.plan_id as string,
      taskNo: row.no as number,
      taskTitle: row.title as string,
      leadUnitIds: row.lead_unit_ids as string[],
    }));
  }

  /**
   * A reader who sees every report, with nothing but the words to match: the page is cut on the audit log alone and
   * only its rows are joined to their assignments and tasks. (Joining every match first is what a common word costs
   * otherwise: thousands of index lookups for a page of 50, see BENCHMARKS.md.)
   */
  private everyReport(filter: SearchFilter, afterSeq: number | null): Promise<Array<Record<string, unknown>>> {
    return this.dataSource.query(
      `WITH page AS (
         SELECT e.seq, e.action, e.at, ${REPORT_TEXT} AS note, e.subject_id
           FROM audit_events e
          WHERE e.subject_type = 'assignment' AND ${REPORT_ACTIONS} AND ${REPORT_TEXT} ${like(filter)} $1
            AND ($2::bigint IS NULL OR e.seq < $2)
          ORDER BY e.seq DESC
          LIMIT $3)
       SELECT page.seq, page.action, page.at, page.note, a.id AS assignment_id, a.unit_id, a.status, a.light,
              t.id AS task_id, t.plan_id, t.no, t.title, t.lead_unit_ids
         FROM page
         JOIN assignments a ON a.id = page.subject_id::uuid
         JOIN tasks t ON t.id = a.task_id
        ORDER BY page.seq DESC`,
      [filter.pattern, afterSeq, filter.limit],
    );
  }

  /**
   * Calls by subject, description or resolution, newest first. A unit sees the calls it raised or that are with
   * it (callThread). The unit filter is either side; the plan filter is the plan of the assignment a call cites;
   * the due range is the resolution limit.
   */
  async calls(
    filter: SearchFilter,
    viewer: SearchViewer,
    after: { raisedAt: string; id: string } | null,
  ): Promise<CallHitRow[]> {
    if (filter.planId && !isUuid(filter.planId)) return [];
    if (after && !isUuid(after.id)) return [];
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT c.id, c.subject, c.description, c.resolution, c.from_unit_id, c.to_unit_id, c.status, c.light, c.raised_at
         FROM calls c
        WHERE ${CALL_TEXT} ${like(filter)} $1
          AND ($2 OR c.from_unit_id = ANY($3::text[]) OR c.to_unit_id = ANY($3::text[]))
          AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM assignments a JOIN tasks t ON t.id = a.task_id
                                            WHERE a.id = c.related_assignment_id AND t.plan_id = $4))
          AND ($5::text IS NULL OR c.status = $5) AND ($6::text IS NULL OR c.light = $6)
          AND ($7::text IS NULL OR c.from_unit_id = $7 OR c.to_unit_id = $7)
          AND ($8::timestamptz IS NULL OR c.resolve_due_at >= $8) AND ($9::timestamptz IS NULL OR c.resolve_due_at <= $9)
          AND ($10::timestamptz IS NULL OR (c.raised_at, c.id) < ($10::timestamptz, $11::uuid))
        ORDER BY c.raised_at DESC, c.id DESC
        LIMIT $12`,
      [
        filter.pattern,
        viewer.all,
        viewer.unitIds,
        filter.planId ?? null,
        filter.status ?? null,
        filter.light ?? null,
        filter.unitId ?? null,
        filter.dueFrom ?? null,
        filter.dueTo ?? null,
        after?.raisedAt ?? null,
        after?.id ?? null,
        filter.limit,
      ],
    );
    return rows.map((row) => ({
      id: row.id as string,
      subject: row.subject as string,
      description: row.description as string,
      resolution: (row.resolution as string | null) ?? null,
      fromUnitId: row.from_unit_id as string,
      toUnitId: row.to_unit_id as string,
      status: row.status as string,
      light: row.light as string,
      raisedAt: iso(row.raised_at)!,
    }));
  }

  /**
   * 已办: the actions a person (or anyone of the given units) took on tasks, assignments and calls, newest first,
   * with what each acted on (DONE_SUBJECT_TYPES, libs/domain; spelled out here so the partial indexes apply). The page is cut first (through audit_events_done_by_user / _by_unit), then joined.
   */
  async done(
    who: { userId: string } | { unitIds: string[] },
    afterSeq: number | null,
    limit: number,
  ): Promise<DoneRow[]> {
    const byUser = 'userId' in who;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH page AS (
         SELECT e.seq, e.at, e.action, e.actor_user_id, e.actor_unit_id, e.subject_type, e.subject_id
           FROM audit_events e
          WHERE e.actor_user_id IS NOT NULL AND e.subject_type IN ('task', 'assignment', 'call')
            AND ${byUser ? 'e.actor_user_id = $1::uuid' : 'e.actor_unit_id = ANY($1::text[])'}
            AND ($2::bigint IS NULL OR e.seq < $2)
          ORDER BY e.seq DESC
          LIMIT $3)
       SELECT page.*, u.display_name, a.id AS assignment_id, a.unit_id, c.id AS call_id, c.subject AS call_subject,
              t.id AS task_id, t.no, t.title, p.id AS plan_id, p.title AS plan_title
         FROM page
         LEFT JOIN users u ON u.id = page.actor_user_id
         LEFT JOIN assignments a ON a.id = CASE WHEN page.subject_type = 'assignment' THEN page.subject_id::uuid END
         LEFT JOIN calls c ON c.id = CASE WHEN page.subject_type = 'call' THEN page.subject_id::uuid END
         LEFT JOIN tasks t ON t.id = CASE WHEN page.subject_type = 'task' THEN page.subject_id::uuid ELSE a.task_id END
         LEFT JOIN plans p ON p.id = t.plan_id
        ORDER BY page.seq DESC`,
      [byUser ? who.userId : who.unitIds, afterSeq, limit],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      at: iso(row.at)!,
      action: row.action as string,
      actorUserId: row.actor_user_id as string,
      actorUnitId: (row.actor_unit_id as string | null) ?? null,
      actorName: (row.display_name as string | null) ?? null,
      subjectType: row.subject_type as string,
      subjectId: row.subject_id as string,
      taskId: (row.task_id as string | null) ?? null,
      taskNo: (row.no as number | null) ?? null,
      taskTitle: (row.title as string | null) ?? null,
      planId: (row.plan_id as string | null) ?? null,
      planTitle: (row.plan_title as string | null) ?? null,
      assignmentId: (row.assignment_id as string | null) ?? null,
      unitId: (row.unit_id as string | null) ?? null,
      callId: (row.call_id as string | null) ?? null,
      callSubject: (row.call_subject as string | null) ?? null,
    }));
  }
}
