/**
 * Bulk import of staff (issue 14): the file's columns, its limits, and what a parsed row looks like.
 */

/** The columns of a staff list, in the order the template has them. 手机 and 邮箱 may be left out. */
export const STAFF_COLUMNS = ['用户名', '姓名', '单位', '角色', '手机', '邮箱'] as const;
export type StaffColumn = (typeof STAFF_COLUMNS)[number];
export const REQUIRED_STAFF_COLUMNS: readonly StaffColumn[] = ['用户名', '姓名', '单位', '角色'];

/** Files larger than this are refused before parsing: a county's few hundred staff fit in about 30 KB. */
export const MAX_STAFF_FILE_BYTES = 2 * 1024 * 1024;
/** What all parts of an .xlsx may unpack to together (a zip bomb is refused at this point, not after). */
export const MAX_UNPACKED_WORKBOOK_BYTES = 16 * 1024 * 1024;
/** An .xlsx has about a dozen parts; thousands would only serve to slow the reader down. */
export const MAX_WORKBOOK_PARTS = 200;
/** The most staff rows one file may hold: a county has a few hundred staff. */
export const MAX_STAFF_ROWS = 2000;
/** The longest text a cell may hold, in characters. */
export const MAX_STAFF_CELL_LENGTH = 200;

export type StaffFileFormat = 'xlsx' | 'csv';

/** One data row of the file: its row number as the spreadsheet shows it, and its cells by column. */
export interface StaffSourceRow {
  row: number;
  cells: Record<StaffColumn, string>;
}

export interface StaffTable {
  format: StaffFileFormat;
  /** The columns the header row has, in its order. */
  columns: StaffColumn[];
  rows: StaffSourceRow[];
}

/** A file that cannot be read as a staff list at all (4xx); the message is Chinese and names the problem. */
export class StaffFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaffFileError';
  }
}

/** A problem with one row: its row number, the column (null: the row as a whole), a Chinese message. */
export interface StaffRowProblem {
  row: number;
  column: StaffColumn | null;
  message: string;
}
