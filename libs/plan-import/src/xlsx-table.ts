import { COLUMNS, MAX_TASKS, ParseWarning, PlanParseError, SourceRow, SourceTable } from './model';
import { listZipEntries, readZipEntry, ZipEntryTooLargeError } from './zip-entry';

export const WORKBOOK_PART = 'xl/workbook.xml';
const WORKBOOK_RELATIONSHIPS_PART = 'xl/_rels/workbook.xml.rels';
const CONTENT_TYPES_PART = '[Content_Types].xml';
const DEFAULT_SHARED_STRINGS_PART = 'xl/sharedStrings.xml';
/**
 * The most the parts read from one workbook may unpack to, together: the same 32 MB as a .docx's
 * word/document.xml (a task list's sheet and shared strings are a few hundred kilobytes), counted over all
 * parts so that a workbook of many sheets cannot multiply it.
 */
export const MAX_UNPACKED_XLSX_BYTES = 32 * 1024 * 1024;
/** A real workbook has a handful of sheets; the header row is looked for in this many at most. */
const MAX_SHEETS_LOOKED_AT = 50;
/** The names a zip may have that are looked at for a macro project (a workbook has a few dozen parts). */
const MAX_PART_NAMES = 10_000;
/** The header row and one task more than a plan may have: enough for planFromTable to refuse the table. */
const MAX_TABLE_ROWS = MAX_TASKS + 2;
/** Excel's last column (XFD) and row. */
const MAX_COLUMN = 16_384;
const MAX_ROW = 1_048_576;
/**
 * Merged ranges are applied by walking the kept rows each covers; this bounds the walk for a sheet of
 * overlapping ranges built to be slow (a real list has a few dozen ranges).
 */
const MAX_MERGE_STEPS = 1_000_000;
const HEADER_TEXT = COLUMNS.join('');
const DEADLINE_COLUMN = COLUMNS.indexOf('完成时限');
/** Excel's last serial date, 9999-12-31. */
const MAX_SERIAL_DATE = 2_958_465;

/**
 * Reads an Excel .xlsx: the first worksheet (in workbook order) holding a row whose cells read the seven
 * column names, the rows below it, and as title the last non-empty row above it (the .docx title paragraph's
 * counterpart). Locations are the sheet's row numbers, and the table carries the sheet's name, so every
 * warning and error names both.
 *
 * Nothing in the workbook is evaluated: a formula counts as the result Excel saved with it (with a warning),
 * one without a saved result is refused, and a macro-enabled workbook is refused outright. Merged ranges read
 * as .docx merges do: a range spanning columns is one cell; a range spanning rows gives its value to every row
 * it covers (a clerk merges 牵头单位 down over the tasks one unit leads).
 */
export function readXlsxTable(bytes: Uint8Array): SourceTable {
  const workbook = new WorkbookParts(bytes);
  workbook.refuseMacros();
  const { sheets, date1904 } = readWorkbook(workbook.text(WORKBOOK_PART) ?? '');
  const relationships = readRelationships(workbook.text(WORKBOOK_RELATIONSHIPS_PART) ?? '');
  const sharedStringsTarget = [...relationships.values()].find((rel) => rel.type.endsWith('/sharedStrings'))?.target;
  let sharedStrings: string[] | undefined;
  const strings = () =>
    (sharedStrings ??= readSharedStrings(workbook.text(sharedStringsTarget ?? DEFAULT_SHARED_STRINGS_PART) ?? ''));

  if (sheets.length === 0) throw new PlanParseError(null, '该 .xlsx 文件中没有工作表');
  const looked: string[] = [];
  for (const sheet of sheets.slice(0, MAX_SHEETS_LOOKED_AT)) {
    looked.push(sheet.name);
    const relationship = relationships.get(sheet.relationshipId);
    if (!relationship || !relationship.type.endsWith('/worksheet')) continue; // a chart sheet holds no rows
    const xml = workbook.text(relationship.target);
    if (xml === null) continue;
    const found = findTaskTable(xml, sheet.name, strings);
    if (found) return tableFrom(found, sheet.name, date1904);
  }
  const more = sheets.length > MAX_SHEETS_LOOKED_AT ? `（只查看了前 ${MAX_SHEETS_LOOKED_AT} 个）` : '';
  throw new PlanParseError(
    null,
    `在工作表${looked.map((name) => `「${name}」`).join('')}${more}中都没有找到表头行（${COLUMNS.join(' | ')}）：该 .xlsx 不是任务清单`,
  );
}

/** The workbook's parts, unpacked on demand against one budget for the whole workbook. */
class WorkbookParts {
  private budget = MAX_UNPACKED_XLSX_BYTES;

  constructor(private readonly bytes: Uint8Array) {}

  /**
   * xl/vbaProject.bin is where a workbook keeps its macros, and the content type says .xlsm even when the
   * project sits elsewhere: either is refused, so a macro never reaches anyone who opens an imported list.
   */
  refuseMacros(): void {
    const names = listZipEntries(this.bytes, MAX_PART_NAMES);
    const project = names.find((name) => /(^|\/)vbaProject\.bin$/i.test(name));
    if (project) throw macroEnabled(`含有宏工程 ${project}`);
    if (/macroEnabled/i.test(this.text(CONTENT_TYPES_PART) ?? ''))
      throw macroEnabled('其内容类型是启用宏的工作簿（.xlsm）');
  }

  text(name: string): string | null {
    let part: Uint8Array | null;
    try {
      part = readZipEntry(this.bytes, name, this.budget, '.xlsx');
    } catch (error) {
      if (error instanceof ZipEntryTooLargeError) {
        throw new PlanParseError(
          null,
          `该 .xlsx 不予导入：其各部件解压后共超过 ${MAX_UNPACKED_XLSX_BYTES / 1024 / 1024} MB（读到 ${name} 时；一份任务清单只有几百 KB）`,
        );
      }
      throw error;
    }
    if (!part) return null;
    this.budget -= part.byteLength;
    return new TextDecoder('utf-8').decode(part);
  }
}

function macroEnabled(why: string): PlanParseError {
  return new PlanParseError(
    null,
    `该工作簿启用了宏（${why}），不予导入：宏不会被运行。请在 Excel 中另存为“Excel 工作簿（*.xlsx）”后再导入`,
  );
}

interface SheetEntry {
  name: string;
  relationshipId: string;
}

function readWorkbook(xml: string): { sheets: SheetEntry[]; date1904: boolean } {
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  for (const { name, attributes } of elements(xml)) {
    if (name === 'workbookPr') date1904 = /^(1|true)$/.test(attribute(attributes, 'date1904') ?? '');
    if (name === 'sheet') {
      sheets.push({ name: attribute(attributes, 'name') ?? '', relationshipId: attribute(attributes, 'r:id') ?? '' });
    }
  }
  return { sheets, date1904 };
}

function readRelationships(xml: string): Map<string, { type: string; target: string }> {
  const relationships = new Map<string, { type: string; target: string }>();
  for (const { name, attributes } of elements(xml)) {
    if (name !== 'Relationship') continue;
    const id = attribute(attributes, 'Id');
    const target = attribute(attributes, 'Target');
    if (id && target) relationships.set(id, { type: attribute(attributes, 'Type') ?? '', target: partName(target) });
  }
  return relationships;
}

/** A relationship target of xl/workbook.xml as a zip entry name: relative to xl/, or absolute from the root. */
function partName(target: string): string {
  const segments: string[] = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment && segment !== '.') segments.push(segment);
  }
  return segments.join('/');
}

/** xl/sharedStrings.xml: one string per <si>, the text of its <t> elements (rich text runs included). */
function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current: string | undefined;
  let phonetic = 0;
  let inText = false;
  for (const token of tokens(xml)) {
    if (token.text !== undefined) {
      if (inText && current !== undefined && phonetic === 0) current += decodeText(token.text);
      continue;
    }
    switch (token.name) {
      case 'si':
        if (token.empty) strings.push('');
        else if (!token.close) current = '';
        else if (current !== undefined) {
          strings.push(normaliseBreaks(current));
          current = undefined;
        }
        break;
      case 'rPh': // the reading (furigana) of East Asian text: not what the cell shows
        if (!token.empty) phonetic = Math.max(0, phonetic + (token.close ? -1 : 1));
        break;
      case 't':
        inText = !token.close && !token.empty;
        break;
    }
  }
  return strings;
}

interface RawCell {
  column: number;
  ref: string;
  text: string;
  /** The saved value as a number (a cell of type n), for a date in the 完成时限 column. */
  number: number | null;
  formula: boolean;
  hasSavedValue: boolean;
}

interface RawRow {
  number: number;
  cells: RawCell[];
  /** Columns covered by a merged range that started further left: not cells of their own. */
  covered: Array<[number, number]>;
}

interface FoundTable {
  title: RawRow | undefined;
  header: RawRow;
  rows: RawRow[];
}

/**
 * Streams a worksheet's XML, keeping only the last non-empty row before the header row, the header row and
 * at most MAX_TABLE_ROWS rows after it; then applies the <mergeCells> (which Excel writes after the rows).
 */
function findTaskTable(xml: string, sheet: string, strings: () => string[]): FoundTable | null {
  let title: RawRow | undefined;
  let header: RawRow | undefined;
  const rows: RawRow[] = [];
  const merges: Array<[number, number, number, number]> = [];

  let row: RawRow | undefined;
  let lastRowNumber = 0;
  let cell: (RawCell & { type: string; value: string | undefined; inline: string | undefined }) | undefined;
  let lastColumn = 0;
  let reading: 'v' | 't' | undefined;
  let phonetic = 0;

  const endRow = (ended: RawRow) => {
    if (!ended.cells.some((each) => each.text.trim() !== '')) return;
    if (header) {
      if (rows.length < MAX_TABLE_ROWS) rows.push(ended);
    } else if (isHeaderRow(ended)) header = ended;
    else title = ended;
  };

  for (const token of tokens(xml)) {
    if (token.text !== undefined) {
      if (cell && reading === 'v') cell.value = (cell.value ?? '') + decodeText(token.text);
      else if (cell && reading === 't' && phonetic === 0) cell.inline = (cell.inline ?? '') + decodeText(token.text);
      continue;
    }
    switch (token.name) {
      case 'row':
        if (token.close) {
          if (row) endRow(row);
          row = undefined;
          break;
        }
        lastRowNumber = rowNumberOf(token.attributes, lastRowNumber, sheet);
        lastColumn = 0;
        row = { number: lastRowNumber, cells: [], covered: [] };
        if (token.empty) row = undefined;
        break;
      case 'c': {
        if (!row) break;
        if (token.close) {
          if (cell) row.cells.push(finishCell(cell, row.number, sheet, strings));
          cell = undefined;
          break;
        }
        reading = undefined; // a <v> or <t> left open in a malformed cell does not run into this one
        const ref = attribute(token.attributes, 'r');
        const column = ref ? columnOf(ref, sheet, row.number) : lastColumn + 1;
        lastColumn = column;
        const started = {
          column,
          ref: ref ?? `${columnName(column)}${row.number}`,
          text: '',
          number: null,
          formula: false,
          hasSavedValue: false,
          type: attribute(token.attributes, 't') ?? 'n',
          value: undefined,
          inline: undefined,
        };
        if (token.empty) row.cells.push(finishCell(started, row.number, sheet, strings));
        else cell = started;
        break;
      }
      case 'v':
        if (!cell) break;
        if (!token.close) cell.value ??= '';
        reading = !token.close && !token.empty ? 'v' : undefined;
        break;
      case 'f':
        if (cell && !token.close) cell.formula = true;
        break;
      case 't':
        if (cell) reading = !token.close && !token.empty ? 't' : undefined;
        if (cell && !token.close) cell.inline ??= '';
        break;
      case 'rPh':
        if (!token.empty) phonetic = Math.max(0, phonetic + (token.close ? -1 : 1));
        break;
      case 'mergeCell': {
        const range = rangeOf(attribute(token.attributes, 'ref') ?? '');
        if (range) merges.push(range);
        break;
      }
    }
  }
  if (!header) return null;
  applyMerges([...(title ? [title] : []), header, ...rows], merges, sheet);
  return { title, header, rows };
}

function rowNumberOf(attributes: string, previous: number, sheet: string): number {
  const raw = attribute(attributes, 'r');
  const number = raw === undefined ? previous + 1 : Number(raw);
  if (!Number.isInteger(number) || number < 1 || number > MAX_ROW || number <= previous) {
    throw new PlanParseError(null, `工作表「${sheet}」的行号“${raw ?? number}”无效：该 .xlsx 已损坏`, sheet);
  }
  return number;
}

/** The column of a cell reference such as C12 (A = 1). */
function columnOf(ref: string, sheet: string, row: number): number {
  const letters = /^([A-Za-z]{1,3})\d*$/.exec(ref)?.[1];
  let column = 0;
  for (const letter of (letters ?? '').toUpperCase()) column = column * 26 + letter.charCodeAt(0) - 64;
  if (!letters || column > MAX_COLUMN) throw new PlanParseError(row, `单元格引用“${ref}”无效：该 .xlsx 已损坏`, sheet);
  return column;
}

function columnName(column: number): string {
  let name = '';
  for (let rest = column; rest > 0; rest = Math.floor((rest - 1) / 26))
    name = String.fromCharCode(65 + ((rest - 1) % 26)) + name;
  return name;
}

/** A1:G1 as [first column, first row, last column, last row]; anything else is ignored. */
function rangeOf(ref: string): [number, number, number, number] | null {
  const match = /^([A-Za-z]{1,3})(\d{1,7}):([A-Za-z]{1,3})(\d{1,7})$/.exec(ref);
  if (!match) return null;
  const column = (letters: string) =>
    [...letters.toUpperCase()].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0);
  const [c1, r1, c2, r2] = [column(match[1]), Number(match[2]), column(match[3]), Number(match[4])];
  return c2 >= c1 && r2 >= r1 ? [c1, r1, c2, r2] : null;
}

/** The text a cell shows, from its type: shared string, inline string, formula string, boolean, error or number. */
function finishCell(
  cell: RawCell & { type: string; value: string | undefined; inline: string | undefined },
  row: number,
  sheet: string,
  strings: () => string[],
): RawCell {
  const { value, type } = cell;
  const done = (text: string, number: number | null = null): RawCell => ({
    column: cell.column,
    ref: cell.ref,
    text: normaliseBreaks(text),
    number,
    formula: cell.formula,
    hasSavedValue: value !== undefined || (type === 'inlineStr' && cell.inline !== undefined),
  });
  switch (type) {
    case 's': {
      if (value === undefined || value.trim() === '') return done('');
      const index = Number(value);
      const text = Number.isInteger(index) ? strings()[index] : undefined;
      if (text === undefined)
        throw new PlanParseError(row, `单元格 ${cell.ref} 引用的共享字符串 ${value} 不存在：该 .xlsx 已损坏`, sheet);
      return done(text);
    }
    case 'inlineStr':
      return done(cell.inline ?? '');
    case 'b':
      return done(value === undefined ? '' : value.trim() === '1' ? 'TRUE' : 'FALSE');
    case 'str':
    case 'e':
    case 'd':
      return done(value ?? '');
    default: {
      if (value === undefined || value.trim() === '') return done('');
      const number = Number(value);
      if (!Number.isFinite(number)) return done(value);
      // What Excel shows in a General cell: at most 15 significant digits (0.1+0.2 is 0.3, not 0.30000000000000004).
      return done(/^-?\d+$/.test(value.trim()) ? value.trim() : String(Number(number.toPrecision(15))), number);
    }
  }
}

const isHeaderRow = (row: RawRow) => row.cells.map((cell) => cell.text.replace(/\s+/g, '')).join('') === HEADER_TEXT;

/**
 * A range spanning columns is one cell, as a .docx cell spanning grid columns is (the columns it covers are
 * no cells of their own); a range spanning rows gives the value of its first cell to each row below it that
 * the table holds, so a 牵头单位 merged down over three tasks names the unit in all three.
 */
function applyMerges(rows: RawRow[], merges: Array<[number, number, number, number]>, sheet: string): void {
  const byNumber = [...rows].sort((a, b) => a.number - b.number);
  const numbers = byNumber.map((row) => row.number);
  let steps = 0;
  for (const [c1, r1, c2, r2] of merges) {
    const anchorRow = byNumber[lowerBound(numbers, r1)];
    const anchor = anchorRow?.number === r1 ? anchorRow.cells.find((cell) => cell.column === c1) : undefined;
    for (let index = lowerBound(numbers, r1); index < byNumber.length && numbers[index] <= r2; index += 1) {
      steps += 1;
      if (steps > MAX_MERGE_STEPS)
        throw new PlanParseError(null, `工作表「${sheet}」的合并单元格过多或相互重叠：该 .xlsx 不像任务清单`, sheet);
      const row = byNumber[index];
      if (c2 > c1) row.covered.push([c1 + 1, c2]);
      if (row.number === r1 || !anchor) continue;
      const own = row.cells.findIndex((cell) => cell.column === c1);
      const copied: RawCell = { ...anchor, formula: false, hasSavedValue: true, ref: `${columnName(c1)}${row.number}` };
      if (own < 0) row.cells.push(copied);
      else if (row.cells[own].text.trim() === '') row.cells[own] = copied;
    }
  }
}

/** The index of the first number ≥ wanted in an ascending array. */
function lowerBound(numbers: number[], wanted: number): number {
  let low = 0;
  let high = numbers.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (numbers[middle] < wanted) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The table as the other readers give it: columns from the header's first to its last non-empty cell (and
 * further for a row that has text beyond, which planFromTable then refuses as a row of too many cells).
 */
function tableFrom(found: FoundTable, sheet: string, date1904: boolean): SourceTable {
  const warnings: ParseWarning[] = [];
  const headerColumns = found.header.cells.filter((cell) => cell.text.trim() !== '').map((cell) => cell.column);
  const firstColumn = Math.min(...headerColumns);
  const lastColumn = Math.max(...headerColumns);

  const cellsOf = (row: RawRow, isTask: boolean): SourceRow => {
    const byColumn = new Map(row.cells.map((cell) => [cell.column, cell]));
    const withText = row.cells.filter((cell) => cell.text.trim() !== '').map((cell) => cell.column);
    // Text left of the header or right of it is kept as cells of its own: the row is then refused as a row
    // of too many cells, rather than losing what the clerk wrote there.
    const first = Math.min(firstColumn, ...withText);
    const last = Math.max(lastColumn, ...withText);
    const cells: SourceRow['cells'] = [];
    for (let column = first; column <= last; column += 1) {
      if (row.covered.some(([from, to]) => column >= from && column <= to)) continue;
      const cell = byColumn.get(column);
      let text = cell ? readSavedValue(cell, row.number, sheet, warnings) : '';
      if (cell && isTask && cells.length === DEADLINE_COLUMN && cell.number !== null) {
        const date = serialDateText(cell.number, date1904);
        if (date) {
          warnings.push({
            line: row.number,
            message: `${cell.ref} 单元格的完成时限是 Excel 日期（序列值 ${text}），按“${date}”导入`,
          });
          text = date;
        }
      }
      cells.push({ text, line: row.number });
    }
    return { line: row.number, cells };
  };

  const title = found.title
    ? found.title.cells
        .map((cell) => readSavedValue(cell, found.title!.number, sheet, warnings))
        .map((text) =>
          text
            .split('\n')
            .map((line) => line.trim())
            .join(''),
        )
        .filter(Boolean)
        .join(' ')
    : '';
  const rows = [cellsOf(found.header, false), ...found.rows.map((row) => cellsOf(row, true))];
  return { title, titleLine: found.title?.number ?? 0, rows, sheet, warnings };
}

/** A formula is never evaluated: its saved result counts, with a warning; without a saved result it is refused. */
function readSavedValue(cell: RawCell, row: number, sheet: string, warnings: ParseWarning[]): string {
  if (!cell.formula) return cell.text;
  const column = cell.ref.replace(/\d+$/, '');
  if (!cell.hasSavedValue) {
    throw new PlanParseError(
      row,
      `${column} 列（${cell.ref}）是公式，且没有保存的结果：公式不会被计算，请在 Excel 中把它复制并“粘贴为数值”后再导入`,
      sheet,
    );
  }
  warnings.push({ line: row, message: `${column} 列（${cell.ref}）是公式，按其保存的结果导入，不重新计算` });
  return cell.text;
}

/**
 * An Excel serial date as the deadline parser reads it (YYYY年M月D日前: the cell says by when). Day 1 is
 * 1900-01-01, and Excel counts a 29 February 1900 that never was (serial 60), so later serials are counted
 * from 1899-12-30; a workbook saved with the 1904 date system counts from 1904-01-01. A time of day is dropped.
 */
export function serialDateText(serial: number, date1904 = false): string | null {
  const day = Math.floor(serial);
  if (!Number.isFinite(serial) || day < (date1904 ? 0 : 1) || day > MAX_SERIAL_DATE || (!date1904 && day === 60))
    return null;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + day * 86_400_000);
  if (date.getUTCFullYear() > 9999) return null;
  return `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日前`;
}

/** As in docx-table.ts; a `>` inside an attribute value (writers escape it) would only cut that tag short. */
const TOKEN = /<(\/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;

interface Token {
  close: boolean;
  empty: boolean;
  /** The local name: SpreadsheetML is read whatever prefix its namespace was given. */
  name: string;
  attributes: string;
  text: string | undefined;
}

/** Yields one token object, refilled for each token (a 32 MB sheet has millions): read it, never keep it. */
function* tokens(xml: string): Generator<Token> {
  const token: Token = { close: false, empty: false, name: '', attributes: '', text: undefined };
  // A copy per reader: the shared strings are read while a sheet is being read, each at its own position.
  const pattern = new RegExp(TOKEN);
  for (let match = pattern.exec(xml); match; match = pattern.exec(xml)) {
    token.text = match[5];
    if (token.text === undefined) {
      token.close = match[1] === '/';
      token.empty = match[4] === '/';
      token.name = match[2];
      token.attributes = match[3];
    }
    yield token;
  }
}

function* elements(xml: string): Generator<{ name: string; attributes: string }> {
  for (const token of tokens(xml)) if (token.text === undefined && !token.close) yield token;
}

/** One compiled pattern per attribute name: a sheet asks for `r` and `t` of every cell. */
const ATTRIBUTE_PATTERNS = new Map<string, RegExp>();

function attribute(attributes: string, name: string): string | undefined {
  let pattern = ATTRIBUTE_PATTERNS.get(name);
  if (!pattern) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`(?:^|\\s)${escaped}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    ATTRIBUTE_PATTERNS.set(name, pattern);
  }
  const match = pattern.exec(attributes);
  return match ? decodeEntities(match[1] ?? match[2]) : undefined;
}

/** Element text: XML entities, then the _xHHHH_ escapes SpreadsheetML uses for control characters (_x000D_). */
function decodeText(text: string): string {
  return decodeEntities(text).replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** A line break typed in a cell (Alt+Enter) is LF; some writers save CR LF. */
function normaliseBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return safeCodePoint(parseInt(entity.slice(2), 16), whole);
    if (entity.startsWith('#')) return safeCodePoint(parseInt(entity.slice(1), 10), whole);
    return ENTITIES[entity] ?? whole;
  });
}

function safeCodePoint(codePoint: number, fallback: string): string {
  return Number.isInteger(codePoint) && codePoint >= 0 && codePoint <= 0x10ffff
    ? String.fromCodePoint(codePoint)
    : fallback;
}
