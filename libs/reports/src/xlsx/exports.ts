import type { Writable } from 'node:stream';
import { assignmentStatusLabel, callStatusLabel, lightLabel, ratingLabel, urgencyLabel } from '@county/domain';
import { CellValue, formatDate, formatDateTime, writeXlsx, XlsxColumn, XlsxDocument } from './sheet-writer';

/** One assignment (task × unit) as the ledger shows it; the API reads these from the read model in batches. */
export interface LedgerRow {
  taskNo: number;
  taskTitle: string;
  /** The task's lead units, by name, in the list's order. */
  leadUnitNames: string[];
  unitName: string;
  role: 'lead' | 'responsible' | string;
  deadlineText: string;
  dueAt: Date | string | null;
  status: string;
  light: string;
  /** The latest progress report's percentage (null before the first). */
  progressPercent: number | null;
  /** The latest report — a submission or a progress report, whichever came last — its text and when. */
  latestReport: { text: string; at: Date | string } | null;
  /** Files attached to the assignment's reports (progress and submissions), each counted once. */
  evidenceFiles: number;
}

/** GET /dashboard's AssignmentUnitMetrics, as the ranking export shows them (same order). */
export interface UnitRankingRow {
  rank: number;
  unitName: string;
  total: number;
  approved: number;
  approvedOnTime: number;
  onTimeRate: number | null;
  overdue: number;
  open: { green: number; yellow: number; red: number };
}

/** One 乡呼县应 call. */
export interface CallLedgerRow {
  subject: string;
  fromUnitName: string;
  toUnitName: string;
  urgency: string;
  status: string;
  light: string;
  raisedAt: Date | string;
  respondBy: Date | string | null;
  respondedAt: Date | string | null;
  resolveBy: Date | string | null;
  resolvedAt: Date | string | null;
  rating: string | null;
  reworkCount: number;
  resolution: string | null;
}

/** GET /dashboard's CallUnitMetrics, as the per-unit call figures show them (same order). */
export interface CallUnitRow {
  rank: number;
  unitName: string;
  received: number;
  responded: number;
  responseRate: number;
  onTimeResponseRate: number;
  resolutionRate: number;
  onTimeResolutionRate: number;
  satisfactionRate: number | null;
  reworkCount: number;
  averageResponseSeconds: number | null;
}

/** GET /dashboard's townships: calls each township raised. */
export interface TownshipCallRow {
  unitName: string;
  raised: number;
}

type Rows<Row> = AsyncIterable<Row> | Iterable<Row>;

const RATE = '0.0%';

/** A running 序号 for the rows of one sheet (the ledger's 序号 is the task's own number). */
function numbered<Row>(rows: Rows<Row>): AsyncIterable<Row & { index: number }> {
  return (async function* () {
    let index = 0;
    for await (const row of rows) yield { ...row, index: (index += 1) };
  })();
}

const text = (value: string | null | undefined): CellValue => (value ? value : null);

export const LEDGER_COLUMNS: ReadonlyArray<XlsxColumn<LedgerRow>> = [
  { header: '序号', width: 6, value: (row) => row.taskNo },
  { header: '主要任务', width: 30, value: (row) => row.taskTitle },
  { header: '牵头单位', width: 18, value: (row) => row.leadUnitNames.join('、') },
  { header: '责任单位', width: 16, value: (row) => (row.role === 'lead' ? `${row.unitName}（牵头）` : row.unitName) },
  {
    header: '时限',
    width: 16,
    value: (row) => (row.dueAt ? `${row.deadlineText}（${formatDate(row.dueAt)}）` : row.deadlineText),
  },
  { header: '状态', width: 12, value: (row) => assignmentStatusLabel(row.status) },
  { header: '灯色', width: 8, value: (row) => lightLabel(row.light) },
  { header: '进展', width: 8, value: (row) => (row.progressPercent === null ? null : `${row.progressPercent}%`) },
  {
    header: '最近报告',
    width: 40,
    value: (row) => (row.latestReport ? `${row.latestReport.text}（${formatDate(row.latestReport.at)}）` : null),
  },
  { header: '佐证数', width: 8, value: (row) => row.evidenceFiles },
];

export const UNIT_RANKING_COLUMNS: ReadonlyArray<XlsxColumn<UnitRankingRow>> = [
  { header: '排名', width: 6, value: (row) => row.rank },
  { header: '单位', width: 20, value: (row) => row.unitName },
  { header: '承担任务数', width: 10, value: (row) => row.total },
  { header: '已审核通过', width: 10, value: (row) => row.approved },
  { header: '按时通过', width: 10, value: (row) => row.approvedOnTime },
  { header: '按时率', width: 10, value: (row) => row.onTimeRate, numberFormat: RATE },
  { header: '逾期未完成', width: 10, value: (row) => row.overdue },
  { header: '在办·正常', width: 10, value: (row) => row.open.green },
  { header: '在办·预警', width: 10, value: (row) => row.open.yellow },
  { header: '在办·逾期', width: 10, value: (row) => row.open.red },
];

export const CALL_LEDGER_COLUMNS: ReadonlyArray<XlsxColumn<CallLedgerRow & { index: number }>> = [
  { header: '序号', width: 6, value: (row) => row.index },
  { header: '事项', width: 30, value: (row) => row.subject },
  { header: '呼叫乡镇', width: 12, value: (row) => row.fromUnitName },
  { header: '应答单位', width: 16, value: (row) => row.toUnitName },
  { header: '紧急程度', width: 8, value: (row) => urgencyLabel(row.urgency) },
  { header: '状态', width: 12, value: (row) => callStatusLabel(row.status) },
  { header: '灯色', width: 8, value: (row) => lightLabel(row.light) },
  { header: '发起时间', width: 17, value: (row) => formatDateTime(row.raisedAt) },
  { header: '签收时限', width: 17, value: (row) => text(formatDateTime(row.respondBy)) },
  { header: '签收时间', width: 17, value: (row) => text(formatDateTime(row.respondedAt)) },
  { header: '办结时限', width: 17, value: (row) => text(formatDateTime(row.resolveBy)) },
  { header: '办结时间', width: 17, value: (row) => text(formatDateTime(row.resolvedAt)) },
  { header: '办理结果', width: 30, value: (row) => text(row.resolution) },
  { header: '评价', width: 10, value: (row) => text(row.rating && ratingLabel(row.rating)) },
  { header: '返工次数', width: 8, value: (row) => row.reworkCount },
];

export const CALL_UNIT_COLUMNS: ReadonlyArray<XlsxColumn<CallUnitRow>> = [
  { header: '排名', width: 6, value: (row) => row.rank },
  { header: '应答单位', width: 20, value: (row) => row.unitName },
  { header: '收到呼叫', width: 9, value: (row) => row.received },
  { header: '已签收', width: 9, value: (row) => row.responded },
  { header: '签收率', width: 9, value: (row) => row.responseRate, numberFormat: RATE },
  { header: '按时签收率', width: 10, value: (row) => row.onTimeResponseRate, numberFormat: RATE },
  { header: '办结率', width: 9, value: (row) => row.resolutionRate, numberFormat: RATE },
  { header: '按时办结率', width: 10, value: (row) => row.onTimeResolutionRate, numberFormat: RATE },
  { header: '满意率', width: 9, value: (row) => row.satisfactionRate, numberFormat: RATE },
  { header: '返工次数', width: 9, value: (row) => row.reworkCount },
  {
    header: '平均签收用时（小时）',
    width: 12,
    // Hours read better than seconds on paper; kept as a number so a reader can sum or sort it.
    value: (row) => (row.averageResponseSeconds === null ? null : Math.round(row.averageResponseSeconds / 36) / 100),
    numberFormat: '0.00',
  },
];

export const TOWNSHIP_CALL_COLUMNS: ReadonlyArray<XlsxColumn<TownshipCallRow>> = [
  { header: '乡镇', width: 16, value: (row) => row.unitName },
  { header: '发起呼叫', width: 10, value: (row) => row.raised },
];

/** 任务台账: one row per assignment (task × unit). */
export function writeLedgerXlsx(out: Writable, document: XlsxDocument, rows: Rows<LedgerRow>): Promise<number[]> {
  return writeXlsx(out, document, [{ name: '任务台账', columns: LEDGER_COLUMNS, rows }]);
}

/** 单位排名: the dashboard's per-unit assignment figures, best first. */
export function writeUnitRankingXlsx(
  out: Writable,
  document: XlsxDocument,
  rows: Rows<UnitRankingRow>,
): Promise<number[]> {
  return writeXlsx(out, document, [{ name: '单位排名', columns: UNIT_RANKING_COLUMNS, rows }]);
}

/** 乡呼县应台账: one row per call. */
export function writeCallLedgerXlsx(
  out: Writable,
  document: XlsxDocument,
  rows: Rows<CallLedgerRow>,
): Promise<number[]> {
  return writeXlsx(out, document, [{ name: '乡呼县应台账', columns: CALL_LEDGER_COLUMNS, rows: numbered(rows) }]);
}

/** 乡呼县应 figures: the county units' record (first sheet) and the calls each township raised (second sheet). */
export function writeCallUnitsXlsx(
  out: Writable,
  document: XlsxDocument,
  units: Rows<CallUnitRow>,
  townships: Rows<TownshipCallRow>,
): Promise<number[]> {
  return writeXlsx(out, document, [
    { name: '县级单位应答', columns: CALL_UNIT_COLUMNS, rows: units },
    { name: '乡镇呼叫', columns: TOWNSHIP_CALL_COLUMNS, rows: townships },
  ]);
}
