import { Workbook } from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { readTextTable } from '@county/plan-import';

export interface ClerkWorkbookOptions {
  sheetName?: string;
  /** Sheets added before the task list's (a cover sheet, notes). */
  sheetsBefore?: Array<{ name: string; rows: string[][] }>;
  /** Edits the task-list sheet after it is filled (a formula, a date cell). */
  edit?: (sheet: import('exceljs').Worksheet) => void;
}

/**
 * An .xlsx written with exceljs the way a clerk lays a task list out: the title in row 1 merged across the
 * seven columns, the header row, one row per task with the cell's lines as line breaks (wrapped), and a
 * 牵头单位 or 完成时限 that repeats the row above merged down over both rows (the value stays in the first
 * cell only, as Excel keeps it).
 */
export async function buildClerkXlsx(
  title: string,
  rows: string[][],
  options: ClerkWorkbookOptions = {},
): Promise<Uint8Array> {
  const workbook = new Workbook();
  for (const before of options.sheetsBefore ?? []) {
    const sheet = workbook.addWorksheet(before.name);
    for (const row of before.rows) sheet.addRow(row);
  }
  const sheet = workbook.addWorksheet(options.sheetName ?? '任务清单');
  sheet.addRow([title]);
  sheet.mergeCells(1, 1, 1, 7);
  for (const row of rows) sheet.addRow(row).alignment = { wrapText: true, vertical: 'top' };
  const [, ...tasks] = rows;
  for (const column of [5, 7]) {
    // Runs of equal cells below the header: rows 3.. in the sheet (row 1 title, row 2 header).
    let start = 0;
    for (let index = 1; index <= tasks.length; index += 1) {
      if (index < tasks.length && tasks[index][column - 1] === tasks[start][column - 1]) continue;
      if (index - start > 1) sheet.mergeCells(start + 3, column, index + 2, column);
      start = index;
    }
  }
  options.edit?.(sheet);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The .xlsx of a .txt table export: the same title and cells, laid out by buildClerkXlsx. */
export function clerkXlsxOf(text: string | Uint8Array, options: ClerkWorkbookOptions = {}): Promise<Uint8Array> {
  const table = readTextTable(typeof text === 'string' ? Buffer.from(text) : text);
  return buildClerkXlsx(
    table.title,
    table.rows.map((row) => row.cells.map((cell) => cell.text)),
    options,
  );
}

/** Rewrites parts of a zip (undefined removes one): an .xlsm's macro project, a hand-written sheet. */
export function withParts(zip: Uint8Array, parts: Record<string, string | Uint8Array | undefined>): Uint8Array {
  const entries = unzipSync(zip);
  for (const [name, content] of Object.entries(parts)) {
    if (content === undefined) delete entries[name];
    else entries[name] = typeof content === 'string' ? strToU8(content) : new Uint8Array(content);
  }
  return zipSync(entries);
}
