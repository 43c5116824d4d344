import { PassThrough, Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  assignmentStatusLabel,
  callStatusLabel,
  DomainError,
  ErrorCode,
  EXPORT_BATCH_ROWS,
  exportScope,
  lightLabel,
  User,
} from '@county/domain';
import {
  DashboardRepository,
  ExportCursor,
  ExportRepository,
  PlanRepository,
  UnitRepository,
} from '@county/persistence';
import {
  writeCallLedgerXlsx,
  writeCallUnitsXlsx,
  writeLedgerXlsx,
  writeUnitRankingXlsx,
  XlsxDocument,
} from '@county/reports';
import { ApiConfig } from '../config';
import { API_CONFIG } from '../infrastructure/tokens';
import { CallLedgerExportQuery, LedgerExportQuery, UnitRankingExportQuery } from './exports.dto';

/** A file on its way out: its name and the bytes as they are written. */
export interface ExportFile {
  /** The Chinese file name (Content-Disposition filename*). */
  fileName: string;
  /** An ASCII stand-in for clients that do not read filename*. */
  asciiName: string;
  body: Readable;
}

/**
 * The .xlsx exports (issue 17). Each one decides who may see which rows (exportScope in @county/domain), checks its
 * filters, counts its rows in the snapshot it will read them from and refuses one over the limit (413, the limit
 * named) before a byte is sent; then the writer streams rows from the database cursor to the response.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly exports: ExportRepository,
    private readonly dashboard: DashboardRepository,
    private readonly plans: PlanRepository,
    private readonly units: UnitRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async ledger(user: User, query: LedgerExportQuery): Promise<ExportFile> {
    const scope = exportScope(user, query.unitId);
    if (!scope.allowed) throw new DomainError(ErrorCode.Forbidden, scope.reason);
    const dueFrom = query.dueFrom ? dayStart(query.dueFrom, 'dueFrom') : undefined;
    const dueTo = query.dueTo ? dayEnd(query.dueTo, 'dueTo') : undefined;
    if (dueFrom && dueTo && dueFrom > dueTo) {
      throw new DomainError(ErrorCode.ValidationFailed, 'dueFrom: 起始日期不能晚于截止日期（dueTo）');
    }
    const filters = [
      ...(await this.planFilter(query.planId)),
      ...(await this.unitFilter('单位', query.unitId)),
      ...(query.status ? [`状态：${assignmentStatusLabel(query.status)}`] : []),
      ...(query.light ? [`灯色：${lightLabel(query.light)}`] : []),
      ...(query.dueFrom || query.dueTo ? [`时限：${query.dueFrom ?? '…'} 至 ${query.dueTo ?? '…'}`] : []),
      ...(scope.unitIds && !query.unitId ? await this.unitFilter('单位', user.unitId) : []),
    ];
    const cursor = await this.exports.ledger(
      { ...query, dueFrom, dueTo, visibleUnitIds: scope.unitIds },
      EXPORT_BATCH_ROWS,
      this.config.exportMaxRows,
    );
    const title = '任务台账';
    return this.stream(`${title}.xlsx`, 'ledger.xlsx', cursor, (out) =>
      writeLedgerXlsx(out, this.document(title, filters), cursor.rows),
    );
  }

  async unitRanking(query: UnitRankingExportQuery): Promise<ExportFile> {
    const filters = await this.planFilter(query.planId);
    const { assignments } = await this.dashboard.dashboard(query.planId);
    const title = '单位排名';
    return this.stream(`${title}.xlsx`, 'unit-ranking.xlsx', this.inMemory(assignments.units.length), (out) =>
      writeUnitRankingXlsx(out, this.document(title, filters), assignments.units),
    );
  }

  async calls(user: User, query: CallLedgerExportQuery): Promise<ExportFile> {
    const scope = exportScope(user);
    if (!scope.allowed) throw new DomainError(ErrorCode.Forbidden, scope.reason);
    const filters = [
      ...(query.status ? [`状态：${callStatusLabel(query.status)}`] : []),
      ...(await this.unitFilter('呼叫乡镇', query.fromUnitId)),
      ...(await this.unitFilter('应答单位', query.toUnitId)),
      ...(scope.unitIds ? await this.unitFilter('涉及单位', user.unitId) : []),
    ];
    const cursor = await this.exports.calls(
      { ...query, involvingUnitIds: scope.unitIds },
      EXPORT_BATCH_ROWS,
      this.config.exportMaxRows,
    );
    const title = '乡呼县应台账';
    return this.stream(`${title}.xlsx`, 'calls.xlsx', cursor, (out) =>
      writeCallLedgerXlsx(out, this.document(title, filters), cursor.rows),
    );
  }

  async callUnits(): Promise<ExportFile> {
    const { calls } = await this.dashboard.dashboard();
    const title = '乡呼县应单位统计';
    return this.stream(
      `${title}.xlsx`,
      'call-units.xlsx',
      this.inMemory(Math.max(calls.units.length, calls.townships.length)),
      (out) => writeCallUnitsXlsx(out, this.document(title, []), calls.units, calls.townships),
    );
  }

  private document(title: string, filters: string[]): XlsxDocument {
    return { title, filters, madeAt: new Date() };
  }

  /** The figures exports are a few hundred rows at most, already read (GET /dashboard's figures). */
  private inMemory(count: number): Pick<ExportCursor<unknown>, 'count' | 'close'> {
    return { count, close: async () => undefined };
  }

  /**
   * Refuses an export over the limit (the cursor is closed, nothing read); otherwise starts writing into a stream
   * the response reads. A failure after the first byte cannot become a problem document any more: the stream is
   * destroyed, so the client sees a broken download rather than a file that looks whole.
   */
  private stream(
    fileName: string,
    asciiName: string,
    cursor: Pick<ExportCursor<unknown>, 'count' | 'close'>,
    write: (out: PassThrough) => Promise<unknown>,
  ): ExportFile {
    const limit = this.config.exportMaxRows;
    if (cursor.count > limit) {
      void cursor.close();
      throw new DomainError(
        ErrorCode.ExportTooLarge,
        `导出行数 ${cursor.count} 超过上限 ${limit} 行（EXPORT_MAX_ROWS），请缩小筛选范围后再导出。`,
        { limit, rows: cursor.count },
      );
    }
    const body = new PassThrough();
    write(body).then(
      () => body.end(),
      (error: unknown) => {
        this.logger.warn(`export ${asciiName} stopped: ${String(error)}`);
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    // The rows' generator closes the cursor when it ends; this covers a download given up before it started.
    body.once('close', () => void cursor.close());
    return { fileName, asciiName, body };
  }

  private async planFilter(planId: string | undefined): Promise<string[]> {
    if (!planId) return [];
    const title = await this.plans.findTitle(planId);
    if (title === null) throw new DomainError(ErrorCode.ValidationFailed, `planId: 没有这份清单（${planId}）`);
    return [`计划：${title}`];
  }

  private async unitFilter(label: string, unitId: string | undefined): Promise<string[]> {
    if (!unitId) return [];
    const unit = await this.units.findById(unitId);
    if (!unit) throw new DomainError(ErrorCode.ValidationFailed, `单位名录中没有单位 ${unitId}`);
    return [`${label}：${unit.name}`];
  }
}

/** The start of a day in Asia/Shanghai (UTC+8 all year: China has no daylight saving time). */
function dayStart(day: string, name: string): Date {
  return realDay(new Date(`${day}T00:00:00+08:00`), day, name);
}

/** The end of a day in Asia/Shanghai: a deadline day ends at 23:59:59 (DESIGN §5). */
function dayEnd(day: string, name: string): Date {
  return realDay(new Date(`${day}T23:59:59.999+08:00`), day, name);
}

/** 2027-02-30 matches the pattern but is no day: refused rather than rolled over into March. */
function realDay(at: Date, day: string, name: string): Date {
  const back = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  if (Number.isNaN(at.getTime()) || back !== day) {
    throw new DomainError(ErrorCode.ValidationFailed, `${name}: ${day} 不是有效的日期`);
  }
  return at;
}
