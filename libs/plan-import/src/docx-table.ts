import { COLUMNS, MAX_TASKS, PlanParseError, SourceRow, SourceTable } from './model';
import { readZipEntry } from './zip-entry';

const DOCUMENT_PART = 'word/document.xml';
/**
 * The most word/document.xml may unpack to. Word writes a few hundred kilobytes for a task list of a few
 * dozen rows; reading 32 MB of XML takes up to about three seconds and 150 MB of memory, so a larger one
 * is not a task list but an attempt to make the server work (a zip bomb packs gigabytes into 10 MB).
 */
export const MAX_UNPACKED_DOCUMENT_BYTES = 32 * 1024 * 1024;

/**
 * Reads a Word .docx: the first top-level table whose header row holds the seven columns, and the title
 * from the last non-empty paragraph before it. A cell's paragraphs become its lines, so the same rules
 * as for the text export apply. Locations are table row numbers (reported as "line": 第 N 行).
 */
export function readDocxTable(bytes: Uint8Array): SourceTable {
  const found = findTaskTable(documentXml(bytes));
  if (!found) throw new PlanParseError(null, `该 .docx 中没有含 ${COLUMNS.join(' | ')} 各列的表格`);
  const rows: SourceRow[] = found.rows.map((cells, index) => ({
    line: index + 1,
    cells: cells.map((text) => ({ text, line: index + 1 })),
  }));
  return { title: found.title, titleLine: 0, rows };
}

function documentXml(bytes: Uint8Array): string {
  const part = readZipEntry(bytes, DOCUMENT_PART, MAX_UNPACKED_DOCUMENT_BYTES);
  if (!part) throw new PlanParseError(null, `该 zip 文件中没有 ${DOCUMENT_PART}：不是 Word .docx 文档`);
  return new TextDecoder('utf-8').decode(part);
}

const TOKEN = /<(\/?)([A-Za-z][\w.-]*:[\w.-]+|[A-Za-z][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;
const HEADER_TEXT = COLUMNS.join('');
/** The header row and one task more than a plan may have: enough for planFromTable to refuse the table. */
const MAX_TABLE_ROWS = MAX_TASKS + 2;

const isHeaderRow = (cells: string[]) => cells.map((cell) => cell.replace(/\s+/g, '')).join('') === HEADER_TEXT;

/**
 * A small streaming reader for the WordprocessingML elements that carry table text (w:tbl, w:tr, w:tc,
 * w:p, w:t, w:tab, w:br, and w:gridSpan / w:vMerge for merged cells). Nested tables are read as text of the enclosing cell.
 *
 * It keeps only what the plan needs — the last non-empty top-level paragraph and the rows of the task
 * table — and stops at the end of that table: memory does not grow with the paragraphs, other tables or
 * text after it (a document of millions of empty paragraphs is as cheap to hold as an empty one), and
 * it stops after MAX_TABLE_ROWS rows.
 */
function findTaskTable(xml: string): { title: string; rows: string[][] } | null {
  let title = '';
  let tableDepth = 0;
  /** The top-level table being read; `rows` stays empty once its first row is not the header row. */
  let table: { rows: string[][]; isTaskTable: boolean | undefined } | undefined;
  let row: string[] | undefined;
  let cellParagraphs: string[] | undefined;
  /** Grid columns (w:gridSpan counts) of this row's cells and the last row's, for vertically merged cells. */
  let gridColumn = 0;
  let rowByGridColumn = new Map<number, string>();
  let aboveByGridColumn = new Map<number, string>();
  let cellSpan = 1;
  let cellContinuesMerge = false;
  let paragraph: string | undefined;
  let inText = false;

  const endParagraph = (text: string) => {
    if (cellParagraphs) cellParagraphs.push(text);
    else if (tableDepth === 0 && text.trim()) title = text.trim();
  };

  for (const match of xml.matchAll(TOKEN)) {
    const [, closing, name, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      if (inText && paragraph !== undefined) paragraph += decodeEntities(text);
      continue;
    }
    const isClose = closing === '/';
    const isEmpty = selfClosing === '/';
    switch (name) {
      case 'w:tbl':
        if (!isClose) {
          tableDepth += 1;
          if (tableDepth === 1) table = { rows: [], isTaskTable: undefined };
        } else {
          if (tableDepth === 1 && table?.isTaskTable) return { title, rows: table.rows };
          if (tableDepth === 1) table = undefined;
          tableDepth = Math.max(0, tableDepth - 1);
        }
        break;
      case 'w:tr':
        if (tableDepth !== 1 || !table || table.isTaskTable === false) break;
        if (!isClose) {
          row = [];
          gridColumn = 0;
          rowByGridColumn = new Map();
        } else if (row) {
          aboveByGridColumn = rowByGridColumn;
          table.isTaskTable ??= isHeaderRow(row);
          if (table.isTaskTable) table.rows.push(row);
          row = undefined;
          if (table.rows.length >= MAX_TABLE_ROWS) return { title, rows: table.rows };
        }
        break;
      case 'w:tc':
        if (tableDepth !== 1 || !row) break;
        if (!isClose) {
          cellParagraphs = [];
          cellSpan = 1;
          cellContinuesMerge = false;
        } else if (cellParagraphs) {
          let cellText = cellParagraphs.join('\n');
          // A cell merged down from the row above (Word leaves it empty) has that cell's text: a 牵头单位 merged
          // over three tasks names the unit in all three, as an .xlsx range merged down does.
          if (cellContinuesMerge && cellText.trim() === '') cellText = aboveByGridColumn.get(gridColumn) ?? '';
          row.push(cellText);
          rowByGridColumn.set(gridColumn, cellText);
          gridColumn += cellSpan;
          cellParagraphs = undefined;
        }
        break;
      case 'w:gridSpan':
        if (tableDepth === 1 && cellParagraphs) cellSpan = Math.max(1, Number(wordValue(attributes)) || 1);
        break;
      case 'w:vMerge':
        // <w:vMerge w:val="restart"/> starts a merged range; <w:vMerge/> (or val="continue") continues it.
        if (tableDepth === 1 && cellParagraphs)
          cellContinuesMerge = (wordValue(attributes) ?? 'continue') === 'continue';
        break;
      case 'w:p':
        if (isEmpty) {
          endParagraph('');
        } else if (!isClose) {
          paragraph ??= '';
        } else if (paragraph !== undefined) {
          endParagraph(paragraph);
          paragraph = undefined;
        }
        break;
      case 'w:t':
        inText = !isClose && !isEmpty;
        break;
      case 'w:tab':
        if (paragraph !== undefined && isEmpty) paragraph += ' ';
        break;
      case 'w:br':
      case 'w:cr':
        // A manual line break inside a paragraph is a line of the cell, like a new paragraph.
        if (paragraph !== undefined && isEmpty) paragraph += '\n';
        break;
    }
  }
  return null;
}

/** The w:val attribute of an element, if any. */
function wordValue(attributes: string | undefined): string | undefined {
  return /\bw:val\s*=\s*["']([^"']*)["']/.exec(attributes ?? '')?.[1];
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
