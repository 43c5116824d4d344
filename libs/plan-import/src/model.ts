import { DeadlineText } from '@county/domain';

/** The seven columns of a task list, in document order. */
export const COLUMNS = ['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'] as const;

/** Documents larger than this are refused before parsing: a real task list is a few dozen kilobytes. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * The most tasks one plan may hold. Each task starts a workflow per unit it names (up to the ~40 units of
 * the county), so this bounds what one upload can set in motion; a county's task list has dozens.
 */
export const MAX_TASKS = 500;

/**
 * The longest text, in characters, each column's cell (and the title) may hold: many times what real
 * lists use (the seed's longest 推进措施 cell has 411), small enough that a task fits in its workflow's
 * start input and a plan in one answer. Over a limit is an error naming the cell, never a silent cut.
 */
export const TEXT_LIMITS_BY_COLUMN: Record<(typeof COLUMNS)[number], number> = {
  序号: 20,
  主要任务: 500,
  推进措施: 10_000,
  预期目标: 10_000,
  牵头单位: 2_000,
  责任单位: 2_000,
  完成时限: 200,
};
export const MAX_TITLE_LENGTH = 500;

export type DocumentFormat = 'txt' | 'docx' | 'xlsx';

/** One table cell and where it starts: a line number in a text export, a table row number in a .docx. */
export interface SourceCell {
  text: string;
  line: number;
}

export interface SourceRow {
  line: number;
  cells: SourceCell[];
}

/** A document reduced to its title and its table rows (header row included), before any interpretation. */
export interface SourceTable {
  title: string;
  titleLine: number;
  rows: SourceRow[];
  /**
   * The worksheet the table was read from (.xlsx): every warning and error of the plan then names it beside
   * the row number, since a row number alone does not say where in a workbook of several sheets it is.
   */
  sheet?: string;
  /** What the reader itself noticed (a formula read by its saved result, a date stored as a number). */
  warnings?: ParseWarning[];
}

export interface ParsedTask {
  no: number;
  title: string;
  measures: string[];
  goals: string[];
  leadUnits: string[];
  responsibleUnits: string[];
  /** 各乡镇: every township is responsible. */
  allTownships: boolean;
  /** 等相关部门 / 等部门 / 县相关部门: the lead unit may add further departments later (加签). */
  relatedDepartments: boolean;
  deadline: DeadlineText;
}

export interface ParseWarning {
  line: number;
  /** The worksheet of an .xlsx (absent for .txt and .docx, whose `line` says it all). */
  sheet?: string;
  message: string;
}

export interface ParsedPlan {
  title: string;
  tasks: ParsedTask[];
  warnings: ParseWarning[];
}

/**
 * The document cannot be imported. `line` is where the problem is (null for whole-document problems); in an
 * .xlsx, `sheet` names the worksheet and `line` is its row number.
 */
export class PlanParseError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
    readonly sheet?: string,
  ) {
    super(message);
    this.name = 'PlanParseError';
  }
}

/**
 * Where a warning or error is, as a reader of the console or the API's error says it: 工作表「Sheet1」第 12 行 for
 * an .xlsx; 第 12 行 for .txt and .docx (a text line, a .docx table row; null: the whole document).
 */
export function locationLabel(line: number | null, sheet?: string): string | null {
  if (sheet !== undefined) return line ? `工作表「${sheet}」第 ${line} 行` : `工作表「${sheet}」`;
  return line ? `第 ${line} 行` : null;
}
