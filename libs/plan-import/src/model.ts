import { DeadlineText } from '@county/domain';

/** The seven columns of a task list, in document order. */
export const COLUMNS = ['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'] as const;

/** Documents larger than this are refused before parsing: a real task list is a few dozen kilobytes. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export type DocumentFormat = 'txt' | 'docx';

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
  message: string;
}

export interface ParsedPlan {
  title: string;
  tasks: ParsedTask[];
  warnings: ParseWarning[];
}

/** The document cannot be imported. `line` is where the problem is (null for whole-document problems). */
export class PlanParseError extends Error {
  constructor(
    readonly line: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'PlanParseError';
  }
}
