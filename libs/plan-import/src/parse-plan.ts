import { DeadlineKind, parseDeadlineText, textLength, unstorableTextProblem } from '@county/domain';
import { joinLines, splitNumberedItems, splitUnits } from './cells';
import { readDocxTable } from './docx-table';
import {
  COLUMNS,
  DocumentFormat,
  MAX_DOCUMENT_BYTES,
  MAX_TASKS,
  MAX_TITLE_LENGTH,
  ParsedPlan,
  ParsedTask,
  ParseWarning,
  PlanParseError,
  SourceRow,
  SourceTable,
  TEXT_LIMITS_BY_COLUMN,
} from './model';
import { readTextTable } from './text-table';
import { readXlsxTable, WORKBOOK_PART } from './xlsx-table';
import { listZipEntries } from './zip-entry';

const HEADER_TEXT = COLUMNS.join('');
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const WORD_DOCUMENT_PART = 'word/document.xml';
/** A .docx or .xlsx has a few dozen parts; the main part is looked for among this many names at most. */
const MAX_ZIP_NAMES_LOOKED_AT = 10_000;

/**
 * A zip file is a .docx or an .xlsx by its main part (word/document.xml, xl/workbook.xml), not by the file
 * name, which the sender chose; any other zip is refused. Anything that is not a zip is the text table export.
 */
export function detectFormat(bytes: Uint8Array): DocumentFormat {
  if (!ZIP_MAGIC.every((byte, index) => bytes[index] === byte)) return 'txt';
  const names = listZipEntries(bytes, MAX_ZIP_NAMES_LOOKED_AT);
  if (names.includes(WORD_DOCUMENT_PART)) return 'docx';
  if (names.includes(WORKBOOK_PART)) return 'xlsx';
  throw new PlanParseError(
    null,
    `该文件是 zip 压缩包，但既不是 Word .docx（没有 ${WORD_DOCUMENT_PART}），也不是 Excel .xlsx（没有 ${WORKBOOK_PART}）`,
  );
}

const READERS: Record<DocumentFormat, (bytes: Uint8Array) => SourceTable> = {
  txt: readTextTable,
  docx: readDocxTable,
  xlsx: readXlsxTable,
};

/**
 * Parses a task-list document (.txt table export, .docx or .xlsx) into a plan. Throws PlanParseError naming the
 * line (or table row) for a document that cannot be imported; anything merely odd becomes a warning.
 */
export function parsePlanDocument(bytes: Uint8Array): ParsedPlan {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new PlanParseError(
      null,
      `文件大小为 ${formatMegabytes(bytes.length)}，超过 ${formatMegabytes(MAX_DOCUMENT_BYTES)} 的上限`,
    );
  }
  return planFromTable(READERS[detectFormat(bytes)](bytes));
}

/** The same rules for every format; a table read from a worksheet has its name put on each warning and error. */
export function planFromTable(table: SourceTable): ParsedPlan {
  const { sheet } = table;
  if (sheet === undefined) return interpretTable(table);
  try {
    const plan = interpretTable(table);
    return { ...plan, warnings: plan.warnings.map((warning) => ({ ...warning, sheet: warning.sheet ?? sheet })) };
  } catch (error) {
    if (error instanceof PlanParseError && error.sheet === undefined)
      throw new PlanParseError(error.line, error.message, sheet);
    throw error;
  }
}

function interpretTable(table: SourceTable): ParsedPlan {
  checkText(table);
  const warnings: ParseWarning[] = [...(table.warnings ?? [])];
  if (!table.title) warnings.push({ line: table.titleLine, message: '文件没有标题' });

  const [header, ...rows] = table.rows;
  if (!header) throw new PlanParseError(table.titleLine, '文件有标题，但没有表格');
  // Compared without whitespace: exports split header cells over lines (主要\n任务, 完成\n时限).
  const headerText = header.cells.map((cell) => cell.text.replace(/\s+/g, '')).join('');
  if (headerText !== HEADER_TEXT) {
    throw new PlanParseError(header.line, `表头行应为 ${COLUMNS.join(' | ')}，实际是“${headerText.slice(0, 80)}”`);
  }
  if (rows.length === 0) throw new PlanParseError(header.line, '表格只有表头行，没有任务');
  if (rows.length > MAX_TASKS) {
    throw new PlanParseError(
      rows[MAX_TASKS].line,
      `表格中的任务超过 ${MAX_TASKS} 项（一份清单最多 ${MAX_TASKS} 项）；请把清单拆成几份分别导入`,
    );
  }

  const tasks: ParsedTask[] = [];
  const seen = new Map<number, number>();
  for (const row of rows) {
    const task = taskFromRow(row, warnings);
    const earlier = seen.get(task.no);
    if (earlier !== undefined) throw new PlanParseError(row.line, `序号 ${task.no} 重复（第 ${earlier} 行已用过）`);
    seen.set(task.no, row.line);
    if (tasks.length > 0 && task.no !== tasks[tasks.length - 1].no + 1) {
      warnings.push({ line: row.line, message: `序号 ${task.no} 未接续上一项的序号 ${tasks[tasks.length - 1].no}` });
    }
    tasks.push(task);
  }
  return { title: table.title, tasks, warnings };
}

/**
 * Every piece of text a plan is made of comes from the title or a cell, so checking those (before any
 * interpretation) keeps out what could not be stored or started: NUL and unpaired surrogates (a .docx can
 * carry them as `&#0;` or `&#xD800;`), which PostgreSQL would refuse only after the import had begun, and
 * text too long for a task's workflow input, which would leave a plan stored whose workflows never start.
 */
function checkText(table: SourceTable): void {
  const titleProblem = textProblem(table.title, MAX_TITLE_LENGTH);
  if (titleProblem) throw new PlanParseError(table.titleLine || null, `标题${titleProblem}`);
  for (const row of table.rows) {
    for (const [index, cell] of row.cells.entries()) {
      // A cell beyond the seventh (a header split over cells, or a malformed row that taskFromRow refuses)
      // has no column, so no length limit of its own; the document's size limit bounds it.
      const column = COLUMNS[index] as (typeof COLUMNS)[number] | undefined;
      const problem = textProblem(cell.text, column && TEXT_LIMITS_BY_COLUMN[column]);
      if (problem)
        throw new PlanParseError(cell.line, `${column ? `“${column}”单元格` : `第 ${index + 1} 个单元格`}${problem}`);
    }
  }
}

function textProblem(text: string, maxLength: number | undefined): string | null {
  const unstorable = unstorableTextProblem(text);
  if (unstorable || maxLength === undefined) return unstorable;
  const length = textLength(text);
  return length > maxLength
    ? `有 ${length.toLocaleString('zh-CN')} 个字符，超过 ${maxLength.toLocaleString('zh-CN')} 个字符的上限`
    : null;
}

function taskFromRow(row: SourceRow, warnings: ParseWarning[]): ParsedTask {
  if (row.cells.length !== COLUMNS.length) {
    throw new PlanParseError(
      row.line,
      `这一行有 ${row.cells.length} 个单元格，应为 ${COLUMNS.length} 个（${COLUMNS.join('、')}）`,
    );
  }
  const [noCell, titleCell, measuresCell, goalsCell, leadCell, responsibleCell, deadlineCell] = row.cells;
  const noText = joinLines(noCell.text);
  if (!/^\d{1,6}$/.test(noText) || Number(noText) < 1) {
    throw new PlanParseError(noCell.line, `序号须为正整数，实际是“${noText.slice(0, 40)}”`);
  }
  const no = Number(noText);
  const lead = splitUnits(leadCell.text);
  const responsible = splitUnits(responsibleCell.text);
  const deadline = parseDeadlineText(joinLines(deadlineCell.text));
  const task: ParsedTask = {
    no,
    title: joinLines(titleCell.text),
    measures: splitNumberedItems(measuresCell.text),
    goals: splitNumberedItems(goalsCell.text),
    leadUnits: lead.units,
    responsibleUnits: responsible.units,
    allTownships: lead.allTownships || responsible.allTownships,
    relatedDepartments: lead.relatedDepartments || responsible.relatedDepartments,
    deadline,
  };

  const warn = (line: number, message: string) => warnings.push({ line, message: `任务 ${no}：${message}` });
  if (!task.title) warn(titleCell.line, '没有填写主要任务');
  if (task.measures.length === 0) warn(measuresCell.line, '没有填写推进措施');
  if (task.leadUnits.length === 0) warn(leadCell.line, '没有填写牵头单位：其报送将无人审核');
  if (deadline.kind === DeadlineKind.Unknown) {
    warn(deadlineCell.line, `完成时限“${deadline.text}”无法识别，请导入后设置`);
  }
  return task;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}
