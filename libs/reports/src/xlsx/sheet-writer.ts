import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

/** A cell as the writers hand it over: text, a number, or nothing. Dates arrive already worded (see formatDate). */
export type CellValue = string | number | null;

export interface XlsxColumn<Row> {
  /** The column header, in Chinese (what the reader sees). */
  header: string;
  /** Width in characters (a CJK character counts about two). */
  width: number;
  value: (row: Row) => CellValue;
  /** An Excel number format, e.g. '0.0%' for a rate kept as a fraction. */
  numberFormat?: string;
}

export interface XlsxSheet<Row> {
  /** The worksheet's tab name (at most 31 characters, no []:*?/\). */
  name: string;
  columns: ReadonlyArray<XlsxColumn<Row>>;
  rows: AsyncIterable<Row> | Iterable<Row>;
}

export interface XlsxDocument {
  /** The export's name, first in the title row, e.g. 任务台账. */
  title: string;
  /** The filters applied, worded for the reader, e.g. ['计划：……', '单位：县财政局']; none: 全部. */
  filters: string[];
  /** When the export was made (shown in Asia/Shanghai time). */
  madeAt: Date;
}

/** Rows written between checks of the output's backpressure. */
const ROWS_PER_DRAIN_CHECK = 200;
/** Title row, then the header row; data starts below. */
const HEADER_ROW = 2;

const THIN = { style: 'thin' as const, color: { argb: 'FF999999' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/**
 * Writes an .xlsx with exceljs's streaming WorkbookWriter: each row is committed as soon as it is written, so
 * its XML is compressed into the zip stream and dropped — the writer never holds more than the row at hand. It
 * also waits for `out` to drain when the reader is slower than the database, so a slow download does not pile the
 * file up in memory either (the async iterable is only asked for the next row once there is room). What does grow
 * is the shared-string table (one copy of each distinct text, written at the end, as every .xlsx reader expects).
 *
 * Each sheet: a title row naming the export, its filters and when it was made; a frozen header row that is
 * repeated on every printed page; wrapped text; A4 landscape, fitted to the page width.
 *
 * Resolves with the data rows written per sheet once the whole file has been handed to `out` (not ended: the
 * caller owns it). Rejects if a row source fails or `out` is destroyed (a download given up): nothing more is read.
 */
export async function writeXlsx(
  out: Writable,
  document: XlsxDocument,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each sheet has its own row type
  sheets: ReadonlyArray<XlsxSheet<any>>,
): Promise<number[]> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  workbook.creator = '县委督查室任务清单系统';
  workbook.created = document.madeAt;
  const counts: number[] = [];
  const titleText = titleOf(document);
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, {
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
        horizontalCentered: true,
        margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
      },
      views: [{ state: 'frozen', ySplit: HEADER_ROW, xSplit: 0 }],
      headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    });
    // One style object per column, given to every data cell: exceljs recognises an object it has seen (a WeakMap)
    // and skips rendering the style again to find its id — the costliest step per cell otherwise.
    const styles: Array<Partial<ExcelJS.Style>> = sheet.columns.map((column) => ({
      alignment: { wrapText: true, vertical: 'top' },
      border: BORDER,
      ...(column.numberFormat ? { numFmt: column.numberFormat } : {}),
    }));
    worksheet.columns = sheet.columns.map((column) => ({ width: column.width }));

    const title = worksheet.addRow([titleText]);
    title.height = 36;
    title.getCell(1).font = { bold: true, size: 14 };
    title.getCell(1).alignment = { wrapText: true, vertical: 'middle', horizontal: 'left' };
    if (sheet.columns.length > 1) worksheet.mergeCells(1, 1, 1, sheet.columns.length);
    title.commit();

    const header = worksheet.addRow(sheet.columns.map((column) => column.header));
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
      cell.border = BORDER;
    });
    header.commit();

    let written = 0;
    for await (const row of sheet.rows) {
      if (out.destroyed) throw new Error('the export was abandoned by its reader');
      const line = worksheet.addRow(sheet.columns.map((column) => column.value(row)));
      line.eachCell({ includeEmpty: true }, (cell, column) => (cell.style = styles[column - 1]));
      line.commit();
      written += 1;
      if (written % ROWS_PER_DRAIN_CHECK === 0) await drained(out);
    }
    counts.push(written);
    worksheet.commit();
  }
  await workbook.commit();
  return counts;
}

/** Waits while `out` is over its high-water mark (or gives up if it is destroyed meanwhile). */
async function drained(out: Writable): Promise<void> {
  while (out.writableNeedDrain && !out.destroyed) {
    await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
  if (out.destroyed) throw new Error('the export was abandoned by its reader');
}

function titleOf(document: XlsxDocument): string {
  const filters = document.filters.length > 0 ? document.filters.join('；') : '全部';
  return `${document.title}（筛选：${filters}；导出时间：${formatDateTime(document.madeAt)}）`;
}

const DATE = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Recently worded days: Intl formatting is slow next to the rest of a row, and a ledger repeats few deadlines. */
const DAYS = new Map<number, string>();
const MAX_REMEMBERED_DAYS = 10_000;

/** A day as the county reads it (Asia/Shanghai): 2027-06-30; empty for none. */
export function formatDate(at: Date | string | null | undefined): string {
  if (at == null) return '';
  const instant = new Date(at).getTime();
  const known = DAYS.get(instant);
  if (known !== undefined) return known;
  const worded = DATE.format(instant).replace(/\//g, '-');
  if (DAYS.size >= MAX_REMEMBERED_DAYS) DAYS.clear();
  DAYS.set(instant, worded);
  return worded;
}

/** An instant as the county reads it (Asia/Shanghai): 2027-06-30 17:05; empty for none. */
export function formatDateTime(at: Date | string | null | undefined): string {
  if (at == null) return '';
  return DATE_TIME.format(new Date(at)).replace(/\//g, '-');
}
