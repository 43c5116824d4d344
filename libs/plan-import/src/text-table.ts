import { PlanParseError, SourceRow, SourceTable } from './model';

/**
 * Reads the plain-text table export (the seed's format): the first non-empty line is the title; a line
 * starting with a TAB starts a new cell; a line without one continues the current cell; an empty line
 * ends the row.
 */
export function readTextTable(bytes: Uint8Array): SourceTable {
  const lines = decodeUtf8(bytes)
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/);

  let index = lines.findIndex((line) => line.trim() !== '');
  if (index < 0) throw new PlanParseError(1, '文件是空的');
  const titleLine = index + 1;
  if (lines[index].startsWith('\t')) {
    throw new PlanParseError(titleLine, '第一行应为标题，这里却是表格单元格（以 TAB 开头的行）');
  }
  const title = lines[index].trim();

  const rows: SourceRow[] = [];
  let row: SourceRow | undefined;
  for (index += 1; index < lines.length; index += 1) {
    const line = lines[index];
    const lineNumber = index + 1;
    // A lone TAB is an empty cell (task 7's deadline cell starts that way), not the end of the row.
    if (line.startsWith('\t')) {
      row ??= { line: lineNumber, cells: [] };
      row.cells.push({ text: line.slice(1), line: lineNumber });
    } else if (line.trim() === '') {
      if (row) rows.push(row);
      row = undefined;
    } else if (row) {
      const cell = row.cells[row.cells.length - 1];
      cell.text += `\n${line}`;
    } else {
      throw new PlanParseError(lineNumber, '表格单元格之外有文字（每一行须以 TAB 开头的行起始）');
    }
  }
  if (row) rows.push(row);
  return { title, titleLine, rows };
}

function decodeUtf8(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PlanParseError(
      lineOfFirstInvalidByte(bytes),
      '文件不是 UTF-8 编码的文本（请把表格导出另存为 UTF-8 编码，或改为上传 .docx 文件）',
    );
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new PlanParseError(
      text.slice(0, nul).split('\n').length,
      '文件含有二进制数据（NUL 字节），不是文本格式的表格导出',
    );
  }
  return text;
}

/** The line of the first undecodable byte (where the lenient decoder put its first replacement character). */
function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const position = lenient.indexOf('\uFFFD');
  return lenient.slice(0, Math.max(0, position)).split('\n').length;
}
