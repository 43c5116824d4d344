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
  if (index < 0) throw new PlanParseError(1, 'the document is empty');
  const titleLine = index + 1;
  if (lines[index].startsWith('\t')) {
    throw new PlanParseError(
      titleLine,
      'expected the title on the first line, found a table cell (a line starting with TAB)',
    );
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
      throw new PlanParseError(
        lineNumber,
        'text outside any table cell (a row must start with a line beginning with TAB)',
      );
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
      'the document is not UTF-8 text (save the table export as UTF-8, or upload the .docx)',
    );
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    throw new PlanParseError(
      text.slice(0, nul).split('\n').length,
      'the document contains binary data (a NUL byte), not a text table export',
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
