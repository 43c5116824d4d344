import { DataSource } from 'typeorm';
import {
  AuditEventInput,
  BulletinContent,
  BulletinFigures,
  bulletinFigures,
  BulletinFlaggedItem,
  BulletinPeriod,
  bulletinDedupeKey,
  bulletinIssueNumber,
  bulletinNotification,
  bulletinTitle,
  BulletinTrigger,
} from '@county/domain';
import { appendAuditEvent } from './audit.repository';
import { Keyed, KeyColumn, keyedPage, keyOrder, keySelect, keysetAfter, PageRequest, selectedKey } from './keyset';
import { DashboardRepository } from './dashboard.repository';
import { insertNotification, isUuid, returnedRows } from './sql';

/** The county the bulletins are about (the seed registry's county); the title reads 「平罗县改革任务督查通报（…）」. */
export const BULLETIN_COUNTY_NAME = '平罗县';

export interface BulletinRecord {
  id: string;
  period: string;
  periodKind: string;
  trigger: BulletinTrigger;
  version: number;
  title: string;
  issueNumber: string;
  generatedAt: string;
  generatedBy: string | null;
  fileSha256: string;
  fileSize: number;
  figures: BulletinFigures;
}

export interface NewBulletin {
  period: BulletinPeriod;
  trigger: BulletinTrigger;
  generatedBy: string | null;
  /** The unit of the user who asked (the audit's actor unit), null for the schedule. */
  generatedByUnitId: string | null;
  generatedAt: Date;
  title: string;
  version: number;
  issueNumber: string;
  fileSha256: string;
  fileSize: number;
  figures: BulletinFigures;
}

/** What bulletinContent needs to know besides the period: when (the generation time it prints) and the version. */
export interface BulletinDraft {
  content: BulletinContent;
  version: number;
}

/**
 * The 督查通报's store and its content (issue 17). The content's live figures come from DashboardRepository, the
 * same query GET /dashboard answers with, so the bulletin and the board never disagree; only what the dashboard does
 * not have (the period's counts, red tasks by name, 挂牌督办 with 批示) is read here.
 */
/** The bulletins list's order: newest first, the id breaking ties (a total order for keyset pages). */
export const BULLETIN_KEY: KeyColumn[] = [
  { sql: 'generated_at', kind: 'timestamp', descending: true },
  { sql: 'id', kind: 'uuid' },
];

export class BulletinRepository {
  private readonly dashboard: DashboardRepository;

  constructor(private readonly dataSource: DataSource) {
    this.dashboard = new DashboardRepository(dataSource);
  }

  /** Everything the bulletin of `period` says, as of `now`; `version` is the one a manual bulletin would get next. */
  async bulletinContent(period: BulletinPeriod, now: Date): Promise<BulletinDraft> {
    const range = [period.start.toISOString(), period.end.toISOString()];
    const [dashboard, [issuer], [calls], [inPeriod], redTasks, flagged, version] = await Promise.all([
      this.dashboard.dashboard(),
      this.dataSource.query(`SELECT name FROM units WHERE kind = 'supervision' ORDER BY id LIMIT 1`) as Promise<
        Array<{ name: string }>
      >,
      // The dashboard's per-unit satisfaction, over all calls: each closing one satisfied evaluation, each 不满意 one not.
      this.dataSource.query(
        `SELECT count(closed_at)::int AS satisfied, COALESCE(sum(rework_count), 0)::int AS rework FROM calls`,
      ) as Promise<Array<{ satisfied: number; rework: number }>>,
      this.dataSource.query(
        `SELECT (SELECT count(*)::int FROM calls WHERE raised_at >= $1 AND raised_at < $2) AS calls_raised,
                -- An assignment falls overdue when its deadline clock raises level 1 (not the 签收 or 审核 clocks).
                (SELECT count(DISTINCT subject_id)::int FROM escalations
                  WHERE subject_type = 'assignment' AND level = 1 AND created_at >= $1 AND created_at < $2
                    AND dedupe_key NOT LIKE '%:review-%' AND dedupe_key NOT LIKE '%:acknowledge-%') AS fell_overdue`,
        range,
      ) as Promise<Array<{ calls_raised: number; fell_overdue: number }>>,
      this.redTasks(),
      this.flagged(period),
      this.nextVersion(period.key),
    ]);
    const units = dashboard.assignments.units;
    const approved = units.reduce((sum, unit) => sum + unit.approved, 0);
    const approvedOnTime = units.reduce((sum, unit) => sum + unit.approvedOnTime, 0);
    const title = bulletinTitle(BULLETIN_COUNTY_NAME, period);
    const content: BulletinContent = {
      countyName: BULLETIN_COUNTY_NAME,
      issuer: issuer?.name ?? '县委督查室',
      title,
      issueNumber: bulletinIssueNumber(period, version),
      period: {
        key: period.key,
        kind: period.kind,
        label: period.label,
        start: period.start.toISOString(),
        end: period.end.toISOString(),
      },
      generatedAt: now.toISOString(),
      live: {
        tasks: dashboard.tasks,
        assignments: {
          byStatus: dashboard.assignments.byStatus,
          byLight: dashboard.assignments.byLight,
          total: dashboard.assignments.total,
        },
        approved,
        approvedOnTime,
        onTimeRate: approved ? approvedOnTime / approved : null,
        overdue: units.reduce((sum, unit) => sum + unit.overdue, 0),
        calls: {
          total: dashboard.calls.total,
          byStatus: dashboard.calls.byStatus,
          responded: dashboard.calls.units.reduce((sum, unit) => sum + unit.responded, 0),
          // resolutionRate is resolved / received per unit: the count back, exactly.
          resolved: dashboard.calls.units.reduce(
            (sum, unit) => sum + Math.round(unit.resolutionRate * unit.received),
            0,
          ),
          satisfactionRate: calls.satisfied + calls.rework ? calls.satisfied / (calls.satisfied + calls.rework) : null,
        },
      },
      inPeriod: { callsRaised: inPeriod.calls_raised, assignmentsFellOverdue: inPeriod.fell_overdue },
      redTasks,
      overdueUnits: units
        .filter((unit) => unit.overdue > 0)
        .sort((a, b) => b.overdue - a.overdue || a.rank - b.rank)
        .map((unit) => ({ unitId: unit.unitId, unitName: unit.unitName, overdue: unit.overdue })),
      ranking: units.map((unit) => ({
        rank: unit.rank,
        unitId: unit.unitId,
        unitName: unit.unitName,
        total: unit.total,
        approved: unit.approved,
        approvedOnTime: unit.approvedOnTime,
        onTimeRate: unit.onTimeRate,
        overdue: unit.overdue,
        red: unit.open.red,
      })),
      calls: dashboard.calls.units.map((unit) => ({
        rank: unit.rank,
        unitId: unit.unitId,
        unitName: unit.unitName,
        received: unit.received,
        responded: unit.responded,
        responseRate: unit.responseRate,
        onTimeResponseRate: unit.onTimeResponseRate,
        resolutionRate: unit.resolutionRate,
        satisfactionRate: unit.satisfactionRate,
        reworkCount: unit.reworkCount,
      })),
      flagged,
    };
    return { content, version };
  }

  /**
   * Makes a bulletin: its content as of `now`, rendered and filed by `render` (the .docx writer and the file store,
   * which live outside persistence), then stored with its notifications. The API's POST and the schedule's activity
   * both come here, so the two kinds differ only in their trigger. Null: the period's scheduled bulletin exists.
   */
  async generate(
    request: {
      period: BulletinPeriod;
      trigger: BulletinTrigger;
      actor: { userId: string; unitId: string } | null;
      now: Date;
    },
    render: (content: BulletinContent) => Promise<{ sha256: string; size: number }>,
  ): Promise<BulletinRecord | null> {
    const { content, version } = await this.bulletinContent(request.period, request.now);
    const file = await render(content);
    return this.store({
      period: request.period,
      trigger: request.trigger,
      generatedBy: request.actor?.userId ?? null,
      generatedByUnitId: request.actor?.unitId ?? null,
      generatedAt: request.now,
      title: content.title,
      version,
      issueNumber: content.issueNumber,
      fileSha256: file.sha256,
      fileSize: file.size,
      figures: bulletinFigures(content),
    });
  }

  /** Whether the schedule already wrote the bulletin of `period` (the activity then does not render it again). */
  async hasScheduled(periodKey: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM bulletins WHERE period = $1 AND trigger = 'scheduled'`,
      [periodKey],
    );
    return rows.length > 0;
  }

  /**
   * Stores a bulletin with one notification per unit (the leaders' pseudo-unit included) and its audit event, in one
   * transaction. A scheduled bulletin of a period that has one already is not stored: null (the partial unique
   * index decides, so two firings racing write one). A manual one gets the next version of its period.
   */
  async store(bulletin: NewBulletin): Promise<BulletinRecord | null> {
    const id = await this.dataSource.transaction(async (manager) => {
      // Versions of one period are numbered in order: concurrent generations of it queue here.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bulletin:${bulletin.period.key}`]);
      const [{ version }]: Array<{ version: number }> = await manager.query(
        `SELECT COALESCE(max(version), 0)::int + 1 AS version FROM bulletins WHERE period = $1`,
        [bulletin.period.key],
      );
      const issueNumber =
        version === bulletin.version ? bulletin.issueNumber : bulletinIssueNumber(bulletin.period, version);
      const inserted = returnedRows<{ id: string }>(
        await manager.query(
          `INSERT INTO bulletins (period, period_kind, trigger, version, title, issue_number, generated_at, generated_by,
                                  file_sha256, file_size, figures)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (period) WHERE trigger = 'scheduled' DO NOTHING RETURNING id`,
          [
            bulletin.period.key,
            bulletin.period.kind,
            bulletin.trigger,
            version,
            bulletin.title,
            issueNumber,
            bulletin.generatedAt,
            bulletin.generatedBy,
            bulletin.fileSha256,
            bulletin.fileSize,
            JSON.stringify(bulletin.figures),
          ],
        ),
      );
      if (inserted.length === 0) return null;
      const bulletinId = inserted[0].id;
      const units: Array<{ id: string }> = await manager.query(
        `SELECT id FROM units WHERE retired_at IS NULL ORDER BY id`,
      );
      for (const unit of units) {
        await insertNotification(
          manager,
          bulletinNotification(unit.id, { id: bulletinId, title: bulletin.title, issueNumber }),
          bulletinDedupeKey(bulletinId, unit.id),
        );
      }
      const audit: AuditEventInput = {
        actorUserId: bulletin.generatedBy,
        actorUnitId: bulletin.generatedByUnitId,
        action: 'bulletin.generated',
        subjectType: 'bulletin',
        subjectId: bulletinId,
        workflowId: null,
        payload: {
          period: bulletin.period.key,
          trigger: bulletin.trigger,
          version,
          fileSha256: bulletin.fileSha256,
          fileSize: bulletin.fileSize,
        },
        dedupeKey: `bulletin:${bulletinId}`,
      };
      await appendAuditEvent(manager, audit);
      return bulletinId;
    });
    return id ? this.find(id) : null;
  }

  /** One keyset page of the bulletins, newest first (BULLETIN_KEY). */
  async list(page: PageRequest): Promise<Keyed<BulletinRecord>> {
    const params: unknown[] = [];
    const after = keysetAfter(BULLETIN_KEY, page.after, params);
    params.push(page.limit + 1);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT *, ${keySelect(BULLETIN_KEY)} FROM bulletins WHERE ${after}
        ORDER BY ${keyOrder(BULLETIN_KEY)} LIMIT $${params.length}`,
      params,
    );
    return keyedPage(rows, page.limit, (row) => selectedKey(BULLETIN_KEY, row), toRecord);
  }

  async find(id: string): Promise<BulletinRecord | null> {
    if (!isUuid(id)) return null;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(`SELECT * FROM bulletins WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * The version the next bulletin of the period gets (scheduled or manual: one numbering per period). The .docx
   * prints it; store() numbers again under its lock, and a generation that lost a race is stored with its own number.
   */
  private async nextVersion(periodKey: string): Promise<number> {
    const [{ version }]: Array<{ version: number }> = await this.dataSource.query(
      `SELECT COALESCE(max(version), 0)::int + 1 AS version FROM bulletins WHERE period = $1`,
      [periodKey],
    );
    return version;
  }

  /** Tasks in red now, as the dashboard counts them (every task whose light is red), by plan and number. */
  private async redTasks(): Promise<BulletinContent['redTasks']> {
    const rows: Array<{ no: number; title: string; lead_unit_names: string[]; deadline_text: string }> =
      await this.dataSource.query(
        `SELECT t.no, t.title, t.deadline_text,
                ARRAY(SELECT u.name FROM unnest(t.lead_unit_ids) WITH ORDINALITY AS l(id, n)
                        JOIN units u ON u.id = l.id ORDER BY l.n) AS lead_unit_names
           FROM tasks t JOIN plans p ON p.id = t.plan_id
          WHERE t.light = 'red' ORDER BY p.imported_at, t.plan_id, t.no`,
      );
    return rows.map((row) => ({
      no: row.no,
      title: row.title,
      leadUnitNames: row.lead_unit_names,
      deadlineText: row.deadline_text,
    }));
  }

  /**
   * 挂牌督办: level-3 escalations still open when the bulletin is made, or raised during the period; each with the
   * leaders' 批示 on it and, for an assignment's, those on its task, newest first.
   */
  private async flagged(period: BulletinPeriod): Promise<BulletinFlaggedItem[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT e.id, e.subject_type, e.reason, e.created_at, e.handled_at, a.task_id,
              COALESCE(t.title, c.subject) AS subject, COALESCE(au.name, cu.name, e.target_unit_id) AS unit_name
         FROM escalations e
         LEFT JOIN assignments a ON e.subject_type = 'assignment' AND a.id::text = e.subject_id
         LEFT JOIN tasks t ON t.id = a.task_id
         LEFT JOIN units au ON au.id = a.unit_id
         LEFT JOIN calls c ON e.subject_type = 'call' AND c.id::text = e.subject_id
         LEFT JOIN units cu ON cu.id = c.to_unit_id
        WHERE e.level >= 3 AND e.created_at < $2 AND (e.handled_at IS NULL OR e.created_at >= $1)
        ORDER BY e.created_at, e.id`,
      [period.start.toISOString(), period.end.toISOString()],
    );
    if (rows.length === 0) return [];
    const instructions: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT c.subject_type, c.subject_id, c.body, c.author_name, c.created_at, u.name AS author_unit_name
         FROM comments c JOIN units u ON u.id = c.author_unit_id
        WHERE c.kind = 'instruction'
          AND ((c.subject_type = 'escalation' AND c.subject_id = ANY($1::uuid[]))
               OR (c.subject_type = 'task' AND c.subject_id = ANY($2::uuid[])))
        ORDER BY c.created_at DESC, c.id`,
      [rows.map((row) => row.id), rows.flatMap((row) => (row.task_id ? [row.task_id] : []))],
    );
    return rows.map((row) => ({
      escalationId: row.id as string,
      subjectType: row.subject_type as 'assignment' | 'call',
      subject: (row.subject as string | null) ?? '',
      unitName: row.unit_name as string,
      reason: row.reason as string,
      createdAt: (row.created_at as Date).toISOString(),
      handled: row.handled_at !== null,
      instructions: instructions
        .filter(
          (comment) =>
            (comment.subject_type === 'escalation' && comment.subject_id === row.id) ||
            (comment.subject_type === 'task' && row.task_id && comment.subject_id === row.task_id),
        )
        .map((comment) => ({
          authorName: comment.author_name as string,
          authorUnitName: comment.author_unit_name as string,
          body: comment.body as string,
          createdAt: (comment.created_at as Date).toISOString(),
        })),
    }));
  }
}

function toRecord(row: Record<string, unknown>): BulletinRecord {
  return {
    id: row.id as string,
    period: row.period as string,
    periodKind: row.period_kind as string,
    trigger: row.trigger as BulletinTrigger,
    version: row.version as number,
    title: row.title as string,
    issueNumber: row.issue_number as string,
    generatedAt: (row.generated_at as Date).toISOString(),
    generatedBy: (row.generated_by as string | null) ?? null,
    fileSha256: (row.file_sha256 as string).trim(),
    fileSize: row.file_size as number,
    figures: row.figures as BulletinFigures,
  };
}
