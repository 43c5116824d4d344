import { DataSource, QueryRunner } from 'typeorm';

/** Which assignments the ledger export holds (all optional; each narrows). */
export interface LedgerFilter {
  planId?: string;
  /** The assignment's unit. */
  unitId?: string;
  /** Only these units' assignments (a unit user's export: exportScope in @county/domain). */
  visibleUnitIds?: string[] | null;
  /** The assignment's status. */
  status?: string;
  /** The assignment's light. */
  light?: string;
  /** The assignment's deadline, inclusive bounds (an assignment without one is left out when either is given). */
  dueFrom?: Date;
  dueTo?: Date;
}

/** Which calls the call ledger holds. */
export interface CallLedgerFilter {
  status?: string;
  fromUnitId?: string;
  toUnitId?: string;
  /** Only calls raised by or addressed to these units (a unit user's export: exportScope in @county/domain). */
  involvingUnitIds?: string[] | null;
}

/** One assignment as the ledger shows it (the shape @county/reports' LedgerRow takes). */
export interface LedgerRecord {
  assignmentId: string;
  taskNo: number;
  taskTitle: string;
  leadUnitNames: string[];
  unitId: string;
  unitName: string;
  role: string;
  deadlineText: string;
  dueAt: Date | null;
  status: string;
  light: string;
  progressPercent: number | null;
  latestReport: { text: string; at: Date } | null;
  evidenceFiles: number;
}

/** One call as the call ledger shows it (the shape @county/reports' CallLedgerRow takes). */
export interface CallLedgerRecord {
  id: string;
  subject: string;
  fromUnitId: string;
  fromUnitName: string;
  toUnitId: string;
  toUnitName: string;
  urgency: string;
  status: string;
  light: string;
  raisedAt: Date;
  respondBy: Date | null;
  respondedAt: Date | null;
  resolveBy: Date | null;
  resolvedAt: Date | null;
  rating: string | null;
  reworkCount: number;
  resolution: string | null;
}

/**
 * An export being read: how many rows it will hold (counted in the same snapshot the rows come from, so the two
 * agree), then the rows in batches from a server-side cursor. Holds one database connection until the rows are
 * read to the end, reading fails, or `close` is called — call it if the rows are never read.
 */
export interface ExportCursor<Row> {
  count: number;
  rows: AsyncIterable<Row>;
  close(): Promise<void>;
}

const REPORT_ACTIONS = ['assignment.progress', 'assignment.submit'];

/**
 * The read side of the .xlsx exports (issue 17). Each export is one set-based query — the latest report and the
 * file count of every assignment come from LATERAL joins on the audit log's subject index, not one query per row —
 * read through a cursor inside a REPEATABLE READ, READ ONLY transaction: a 100k-row export is never held in memory,
 * and rows written while it downloads neither appear in it nor shift its pages (as keyset pages would need care to).
 */
export class ExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `maxRows`: over it, the cursor comes back with the count and no rows (nothing is read). */
  async ledger(filter: LedgerFilter, batchRows: number, maxRows: number): Promise<ExportCursor<LedgerRecord>> {
    const parameters = [
      filter.planId ?? null,
      filter.unitId ?? null,
      filter.status ?? null,
      filter.light ?? null,
      filter.dueFrom ?? null,
      filter.dueTo ?? null,
      filter.visibleUnitIds ?? null,
    ];
    const from = `FROM assignments a JOIN tasks t ON t.id = a.task_id
      WHERE ($1::uuid IS NULL OR t.plan_id = $1) AND ($2::text IS NULL OR a.unit_id = $2)
        AND ($3::text IS NULL OR a.status = $3) AND ($4::text IS NULL OR a.light = $4)
        AND ($5::timestamptz IS NULL OR a.due_at >= $5) AND ($6::timestamptz IS NULL OR a.due_at <= $6)
        AND ($7::text[] IS NULL OR a.unit_id = ANY($7))`;
    return this.open(
      `SELECT count(*)::int AS n ${from}`,
      `SELECT a.id, t.no, t.title, t.deadline_text, a.unit_id, u.name AS unit_name, a.role, a.due_at, a.status, a.light,
              ARRAY(SELECT COALESCE(lu.name, x.id) FROM unnest(t.lead_unit_ids) WITH ORDINALITY AS x(id, ord)
                      LEFT JOIN units lu ON lu.id = x.id ORDER BY x.ord) AS lead_unit_names,
              progress.payload ->> 'percent' AS percent,
              latest.action AS latest_action, latest.payload ->> 'summary' AS latest_summary,
              latest.payload ->> 'note' AS latest_note, latest.at AS latest_at,
              (SELECT count(DISTINCT l.attachment_id) FROM attachment_links l
                WHERE l.subject_type = 'assignment' AND l.subject_id = a.id::text
                  AND l.action = ANY($8::text[]))::int AS files
         FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN units u ON u.id = a.unit_id
         LEFT JOIN LATERAL (SELECT e.payload FROM audit_events e
                             WHERE e.subject_type = 'assignment' AND e.subject_id = a.id::text
                               AND e.action = 'assignment.progress' ORDER BY e.seq DESC LIMIT 1) progress ON true
         LEFT JOIN LATERAL (SELECT e.action, e.payload, e.at FROM audit_events e
                             WHERE e.subject_type = 'assignment' AND e.subject_id = a.id::text
                               AND e.action = ANY($8::text[]) ORDER BY e.seq DESC LIMIT 1) latest ON true
        WHERE ($1::uuid IS NULL OR t.plan_id = $1) AND ($2::text IS NULL OR a.unit_id = $2)
          AND ($3::text IS NULL OR a.status = $3) AND ($4::text IS NULL OR a.light = $4)
          AND ($5::timestamptz IS NULL OR a.due_at >= $5) AND ($6::timestamptz IS NULL OR a.due_at <= $6)
          AND ($7::text[] IS NULL OR a.unit_id = ANY($7))
        -- The list's order: plan, 序号, the lead unit first, then units by id; the id makes it total.
        ORDER BY t.plan_id, t.no, a.role, a.unit_id, a.id`,
      parameters,
      [...parameters, REPORT_ACTIONS],
      batchRows,
      maxRows,
      (row): LedgerRecord => ({
        assignmentId: row.id as string,
        taskNo: row.no as number,
        taskTitle: row.title as string,
        leadUnitNames: row.lead_unit_names as string[],
        unitId: row.unit_id as string,
        unitName: row.unit_name as string,
        role: row.role as string,
        deadlineText: row.deadline_text as string,
        dueAt: (row.due_at as Date | null) ?? null,
        status: row.status as string,
        light: row.light as string,
        progressPercent: row.percent === null || row.percent === undefined ? null : Number(row.percent),
        latestReport: row.latest_at
          ? {
              text: String((row.latest_action === 'assignment.submit' ? row.latest_summary : row.latest_note) ?? ''),
              at: row.latest_at as Date,
            }
          : null,
        evidenceFiles: row.files as number,
      }),
    );
  }

  async calls(filter: CallLedgerFilter, batchRows: number, maxRows: number): Promise<ExportCursor<CallLedgerRecord>> {
    const parameters = [
      filter.status ?? null,
      filter.fromUnitId ?? null,
      filter.toUnitId ?? null,
      filter.involvingUnitIds ?? null,
    ];
    const where = `($1::text IS NULL OR c.status = $1) AND ($2::text IS NULL OR c.from_unit_id = $2)
        AND ($3::text IS NULL OR c.to_unit_id = $3)
        AND ($4::text[] IS NULL OR c.from_unit_id = ANY($4) OR c.to_unit_id = ANY($4))`;
    return this.open(
      `SELECT count(*)::int AS n FROM calls c WHERE ${where}`,
      `SELECT c.*, f.name AS from_unit_name, t.name AS to_unit_name
         FROM calls c JOIN units f ON f.id = c.from_unit_id JOIN units t ON t.id = c.to_unit_id
        WHERE ${where}
        -- GET /calls' order: newest first.
        ORDER BY c.raised_at DESC, c.id`,
      parameters,
      parameters,
      batchRows,
      maxRows,
      (row): CallLedgerRecord => ({
        id: row.id as string,
        subject: row.subject as string,
        fromUnitId: row.from_unit_id as string,
        fromUnitName: row.from_unit_name as string,
        toUnitId: row.to_unit_id as string,
        toUnitName: row.to_unit_name as string,
        urgency: row.urgency as string,
        status: row.status as string,
        light: row.light as string,
        raisedAt: row.raised_at as Date,
        respondBy: (row.respond_due_at as Date | null) ?? null,
        respondedAt: (row.responded_at as Date | null) ?? null,
        resolveBy: (row.resolve_due_at as Date | null) ?? null,
        resolvedAt: (row.resolved_at as Date | null) ?? null,
        rating: (row.rating as string | null) ?? null,
        reworkCount: row.rework_count as number,
        resolution: (row.resolution as string | null) ?? null,
      }),
    );
  }

  private async open<Row>(
    countSql: string,
    rowsSql: string,
    countParameters: unknown[],
    rowsParameters: unknown[],
    batchRows: number,
    maxRows: number,
    map: (row: Record<string, unknown>) => Row,
  ): Promise<ExportCursor<Row>> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      try {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
      } finally {
        await runner.release();
      }
    };
    let count: number;
    try {
      await runner.connect();
      // One snapshot for the count and every batch: the 413 decision and the file describe the same rows.
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      [{ n: count }] = (await runner.query(countSql, countParameters)) as Array<{ n: number }>;
      if (count > maxRows) {
        await close();
        return { count, rows: (async function* () {})(), close };
      }
      await runner.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${rowsSql}`, rowsParameters);
    } catch (error) {
      await close();
      throw error;
    }
    const rows = (async function* () {
      try {
        for (;;) {
          const batch = (await runner.query(`FETCH FORWARD ${Math.trunc(batchRows)} FROM export_rows`)) as Array<
            Record<string, unknown>
          >;
          for (const row of batch) yield map(row);
          if (batch.length < batchRows) return;
        }
      } finally {
        // Read to the end, failed, or abandoned (the consumer's return()): the connection goes back either way.
        await close();
      }
    })();
    return { count, rows, close };
  }
}
