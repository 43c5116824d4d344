import { DataSource } from 'typeorm';
import type { AttachmentRef } from '@county/domain';

/**
 * What a unit reported on an assignment, as the people who decide on it need to see it (issue 16, "content at the
 * point of decision"): the report under review with its files, the percentage it last gave, and why a returned report
 * came back. The workflow keeps none of this (its view stays bounded); the audit log has every report, so it is read
 * from there — one home for what was said.
 */
export interface LatestReport {
  /** The last submitted report: its text, text evidence and files (null before the first submission). */
  submitted: {
    summary: string;
    evidence: string[];
    attachments: AttachmentRef[];
    at: string;
    byUserId: string | null;
  } | null;
  /** The last progress report's percentage and note (null before the first). */
  progress: { percent: number; note: string; attachments: AttachmentRef[]; at: string } | null;
  /** The last 退回 and its reason (null if never returned). */
  returned: { reason: string; at: string } | null;
}

/** One step of an assignment's report history, oldest first. */
export interface ReportEvent {
  action: string;
  at: string;
  actorUserId: string | null;
  actorUnitId: string | null;
  payload: Record<string, unknown>;
}

/** The audit actions that make up a report's history (the assignment workflow's action names). */
const REPORT_ACTIONS = [
  'assignment.progress',
  'assignment.submit',
  'assignment.return',
  'assignment.approve',
  'assignment.withdraw',
];

interface EventRow {
  subject_id: string;
  action: string;
  at: Date;
  actor_user_id: string | null;
  actor_unit_id: string | null;
  payload: Record<string, unknown>;
}

export class ReportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest report, progress and return of each assignment (one query, through the audit log's subject index). */
  async latest(assignmentIds: readonly string[]): Promise<Map<string, LatestReport>> {
    const found = new Map<string, LatestReport>();
    if (assignmentIds.length === 0) return found;
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT DISTINCT ON (subject_id, action) subject_id, action, at, actor_user_id, actor_unit_id, payload
         FROM audit_events
        WHERE subject_type = 'assignment' AND subject_id = ANY($1::text[])
          AND action IN ('assignment.submit', 'assignment.progress', 'assignment.return')
        ORDER BY subject_id, action, seq DESC`,
      [assignmentIds],
    );
    for (const row of rows) {
      const report = found.get(row.subject_id) ?? { submitted: null, progress: null, returned: null };
      const payload = row.payload;
      const at = row.at.toISOString();
      if (row.action === 'assignment.submit') {
        report.submitted = {
          summary: String(payload.summary ?? ''),
          evidence: Array.isArray(payload.evidence) ? (payload.evidence as string[]) : [],
          attachments: refsOf(payload),
          at,
          byUserId: row.actor_user_id,
        };
      } else if (row.action === 'assignment.progress') {
        report.progress = {
          percent: Number(payload.percent),
          note: String(payload.note ?? ''),
          attachments: refsOf(payload),
          at,
        };
      } else {
        report.returned = { reason: String(payload.reason ?? ''), at };
      }
      found.set(row.subject_id, report);
    }
    return found;
  }

  /**
   * The percentage each assignment last reported (progress reports only; absent: never reported) — the board's
   * figure for a whole plan in one query through the audit log's subject index, without the reports' texts.
   */
  async latestPercents(assignmentIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (assignmentIds.length === 0) return found;
    const rows: Array<{ subject_id: string; percent: string | null }> = await this.dataSource.query(
      `SELECT DISTINCT ON (subject_id) subject_id, payload->>'percent' AS percent
         FROM audit_events
        WHERE subject_type = 'assignment' AND subject_id = ANY($1::text[]) AND action = 'assignment.progress'
        ORDER BY subject_id, seq DESC`,
      [assignmentIds],
    );
    for (const row of rows) {
      const percent = Number(row.percent);
      if (row.percent !== null && Number.isFinite(percent)) found.set(row.subject_id, percent);
    }
    return found;
  }

  /** Every report, progress report, return, approval and 撤回 of one assignment, oldest first. */
  async history(assignmentId: string): Promise<ReportEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT subject_id, action, at, actor_user_id, actor_unit_id, payload FROM audit_events
        WHERE subject_type = 'assignment' AND subject_id = $1 AND action = ANY($2::text[]) ORDER BY seq`,
      [assignmentId, REPORT_ACTIONS],
    );
    return rows.map((row) => ({
      action: row.action,
      at: row.at.toISOString(),
      actorUserId: row.actor_user_id,
      actorUnitId: row.actor_unit_id,
      payload: row.payload,
    }));
  }
}

function refsOf(payload: Record<string, unknown>): AttachmentRef[] {
  return Array.isArray(payload.attachments) ? (payload.attachments as AttachmentRef[]) : [];
}
