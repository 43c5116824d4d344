import { Workbook, type CellValue } from 'exceljs';
import { unstorableTextProblem } from '@county/domain';
import { listZipEntries, readZipEntry, ZipEntryTooLargeError } from '../zip-entry';
import {
  MAX_STAFF_CELL_LENGTH,
  MAX_STAFF_FILE_BYTES,
  MAX_STAFF_ROWS,
  MAX_UNPACKED_WORKBOOK_BYTES,
  MAX_WORKBOOK_PARTS,
  REQUIRED_STAFF_COLUMNS,
  STAFF_COLUMNS,
  StaffColumn,
  StaffFileError,
  StaffFileFormat,
  StaffSourceRow,
  StaffTable,
} from './model';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** .xlsx is a zip file; anything else is read as CSV text. The file name's extension must agree. */
export function detectStaffFormat(filename: string, bytes: Uint8Array): StaffFileFormat {
  const isZip = ZIP_MAGIC.every((byte, index) => bytes[index] === byte);
  const extension = /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  if (isZip) {
    if (extension !== 'xlsx') throw new StaffFileError(`文件“${filename}”是压缩文件，只能导入 .xlsx 或 .csv 文件`);
    return 'xlsx';
  }
  if (extension === 'xlsx') throw new StaffFileError(`文件“${filename}”不是有效的 .xlsx 文件`);
  if (extension !== 'csv') throw new StaffFileError(`只能导入 .xlsx 或 .csv 文件，收到的是“${filename}”`);
  return 'csv';
}

/** Reads a staff list (.xlsx: the first worksheet; .csv: UTF-8 or GB18030) into rows of cells by column. */
export async function readStaffTable(filename: string, bytes: Uint8Array): Promise<StaffTable> {
  if (bytes.byteLength === 0) throw new StaffFileError('文件为空');
  if (bytes.byteLength > MAX_STAFF_FILE_BYTES)
    throw new StaffFileError(`文件超过 ${MAX_STAFF_FILE_BYTES / 1024 / 1024} MB 的上限`);
  const format = detectStaffFormat(filename, bytes);
  const grid = format === 'xlsx' ? await readXlsxGrid(bytes) : readCsvGrid(bytes);
  return { format, ...toTable(grid) };
}

/** Rows of cell texts, each with its row number in the file (1-based, as Excel and a text editor count). */
type Grid = { row: number; cells: string[] }[];

async function readXlsxGrid(bytes: Uint8Array): Promise<Grid> {
  checkUnpackedSize(bytes);
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
  } catch {
    throw new StaffFileError('无法读取该 .xlsx 文件（文件已损坏或不是 Excel 工作簿）');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new StaffFileError('该 .xlsx 文件中没有工作表');
  const grid: Grid = [];
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (grid.length > MAX_STAFF_ROWS + 1) {
      tooMany = true;
      return;
    }
    const cells: string[] = [];
    const count = Math.min(row.cellCount, 50);
    for (let column = 1; column <= count; column += 1) cells.push(cellText(row.getCell(column).value));
    grid.push({ row: rowNumber, cells });
  });
  if (tooMany) throw tooManyRows();
  return grid;
}

/**
 * Unpacks every part of the workbook once, with a cap on the total, before exceljs sees it: what the zip
 * headers claim about sizes is written by whoever made the file and is not trusted (see zip-entry.ts).
 */
function checkUnpackedSize(bytes: Uint8Array): void {
  let names: string[];
  try {
    names = listZipEntries(bytes, MAX_WORKBOOK_PARTS + 1);
  } catch {
    throw new StaffFileError('无法读取该 .xlsx 文件（压缩结构已损坏）');
  }
  if (names.length > MAX_WORKBOOK_PARTS)
    throw new StaffFileError(`该 .xlsx 文件包含的部件超过 ${MAX_WORKBOOK_PARTS} 个，不像是人员名单`);
  let budget = MAX_UNPACKED_WORKBOOK_BYTES;
  for (const name of names) {
    let part: Uint8Array | null;
    try {
      part = readZipEntry(bytes, name, budget);
    } catch (error) {
      if (error instanceof ZipEntryTooLargeError) throw tooLargeUnpacked();
      throw new StaffFileError('无法读取该 .xlsx 文件（压缩结构已损坏）');
    }
    budget -= part?.byteLength ?? 0;
    if (budget <= 0) throw tooLargeUnpacked();
  }
}

function tooLargeUnpacked(): StaffFileError {
  return new StaffFileError(
    `该 .xlsx 文件解压后超过 ${MAX_UNPACKED_WORKBOOK_BYTES / 1024 / 1024} MB，不像是人员名单（几百人的名单只有几十 KB）`,
  );
}

/** The text a cell shows: formulas by their result, hyperlinks and rich text by their text. */
function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((run) => run.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('text' in value && value.text && typeof value.text === 'object' && 'richText' in value.text)
      return cellText(value.text as CellValue);
    if ('result' in value) return cellText((value.result ?? null) as CellValue);
    if ('error' in value) return String(value.error);
  }
  return '';
}

function readCsvGrid(bytes: Uint8Array): Grid {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel on a Chinese Windows saves "CSV" in the system code page.
    try {
      text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      throw new StaffFileError('无法识别 .csv 文件的编码（请另存为 UTF-8 编码）');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseCsv(text);
}

/** RFC 4180: fields separated by commas, quoted with "…" (a quote inside doubled), rows by CR LF or LF. */
export function parseCsv(text: string): Grid {
  const grid: Grid = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowStart = 1;
  let fieldStarted = false;
  const endRow = () => {
    cells.push(field);
    if (cells.some((cell) => cell.trim() !== '')) {
      if (grid.length > MAX_STAFF_ROWS + 1) throw tooManyRows();
      grid.push({ row: rowStart, cells });
    }
    cells = [];
    field = '';
    fieldStarted = false;
    rowStart = line;
  };
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 1;
        } else quoted = false;
      } else {
        if (character === '\n') line += 1;
        field += character;
      }
      continue;
    }
    if (character === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (character === ',') {
      cells.push(field);
      if (cells.length > 50) throw new StaffFileError(`第 ${rowStart} 行的列数超过 50`);
      field = '';
      fieldStarted = false;
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      line += 1;
      endRow();
    } else {
      field += character;
      fieldStarted = true;
    }
  }
  if (quoted) throw new StaffFileError(`第 ${rowStart} 行有未闭合的引号`);
  if (field !== '' || cells.length > 0) endRow();
  return grid;
}

function tooManyRows(): StaffFileError {
  return new StaffFileError(`文件超过 ${MAX_STAFF_ROWS} 行的上限（请分批导入）`);
}

const HEADER_ALIASES: Record<string, StaffColumn> = {
  用户名: '用户名',
  账号: '用户名',
  姓名: '姓名',
  单位: '单位',
  角色: '角色',
  手机: '手机',
  手机号: '手机',
  手机号码: '手机',
  邮箱: '邮箱',
  电子邮箱: '邮箱',
};

/** The first non-empty row is the header; it must name the required columns, each once, and no others. */
function toTable(grid: Grid): { columns: StaffColumn[]; rows: StaffSourceRow[] } {
  const [header, ...data] = grid;
  if (!header) throw new StaffFileError(`文件中没有内容（第一行应为表头：${STAFF_COLUMNS.join('、')}）`);
  const columns: (StaffColumn | null)[] = [];
  for (const [index, raw] of header.cells.entries()) {
    const name = raw.replace(/\s+/g, '').replace(/[（(].*[)）]$/, '');
    if (name === '') {
      columns.push(null);
      continue;
    }
    const column = HEADER_ALIASES[name];
    if (!column)
      throw new StaffFileError(
        `表头第 ${index + 1} 列“${short(raw)}”不是可导入的列（可用的列：${STAFF_COLUMNS.join('、')}）`,
      );
    if (columns.includes(column)) throw new StaffFileError(`表头中“${column}”列出现了两次`);
    columns.push(column);
  }
  const missing = REQUIRED_STAFF_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) throw new StaffFileError(`表头（第 ${header.row} 行）缺少必填列：${missing.join('、')}`);
  if (data.length > MAX_STAFF_ROWS) throw tooManyRows();

  const rows = data.map(({ row, cells }) => {
    const byColumn = Object.fromEntries(STAFF_COLUMNS.map((column) => [column, ''])) as Record<StaffColumn, string>;
    cells.forEach((cell, index) => {
      const column = columns[index];
      if (column) byColumn[column] = cell;
      else if (cell.trim() !== '') throw new StaffFileError(`第 ${row} 行第 ${index + 1} 列有内容，但表头中没有这一列`);
    });
    return { row, cells: byColumn };
  });
  return { columns: columns.filter((column): column is StaffColumn => column !== null), rows };
}

function short(text: string): string {
  const characters = [...text];
  return characters.length > 20 ? `${characters.slice(0, 20).join('')}…` : text;
}

/** Text that could never be stored (NUL, unpaired surrogates) or is too long, named by cell. */
export function cellProblem(text: string): string | null {
  if (unstorableTextProblem(text)) return '含有无法保存的字符';
  if ([...text].length > MAX_STAFF_CELL_LENGTH) return `不能超过 ${MAX_STAFF_CELL_LENGTH} 个字符`;
  return null;
}
