import { COLUMNS, PlanParseError, SourceRow, SourceTable } from './model';
import { readZipEntry } from './zip-entry';

const DOCUMENT_PART = 'word/document.xml';
/**
 * The most word/document.xml may unpack to. Word writes a few hundred kilobytes for a task list of a few
 * dozen rows, and reading 32 MB of XML already takes seconds, so a larger one is not a task list but an
 * attempt to make the server work (a zip bomb packs gigabytes into 10 MB).
 */
export const MAX_UNPACKED_DOCUMENT_BYTES = 32 * 1024 * 1024;

/**
 * Reads a Word .docx: the first top-level table whose header row holds the seven columns, and the title
 * from the last non-empty paragraph before it. A cell's paragraphs become its lines, so the same rules
 * as for the text export apply. Locations are table row numbers (reported as "line").
 */
export function readDocxTable(bytes: Uint8Array): SourceTable {
  const xml = documentXml(bytes);
  const body = parseBody(xml);
  const headerText = COLUMNS.join('');
  const tableIndex = body.findIndex(
    (block) => block.kind === 'table' && block.rows[0]?.map((cell) => cell.replace(/\s+/g, '')).join('') === headerText,
  );
  if (tableIndex < 0) {
    throw new PlanParseError(null, `the .docx has no table with the columns ${COLUMNS.join(' | ')}`);
  }
  const table = body[tableIndex] as TableBlock;
  const title =
    body
      .slice(0, tableIndex)
      .filter((block): block is ParagraphBlock => block.kind === 'paragraph')
      .map((paragraph) => paragraph.text.trim())
      .filter(Boolean)
      .pop() ?? '';

  const rows: SourceRow[] = table.rows.map((cells, index) => ({
    line: index + 1,
    cells: cells.map((text) => ({ text, line: index + 1 })),
  }));
  return { title, titleLine: 0, rows };
}

function documentXml(bytes: Uint8Array): string {
  const part = readZipEntry(bytes, DOCUMENT_PART, MAX_UNPACKED_DOCUMENT_BYTES);
  if (!part) throw new PlanParseError(null, `the zip file has no ${DOCUMENT_PART}: it is not a Word .docx document`);
  return new TextDecoder('utf-8').decode(part);
}

interface ParagraphBlock {
  kind: 'paragraph';
  text: string;
}
interface TableBlock {
  kind: 'table';
  /** rows → cells → cell text (paragraphs joined by newlines). */
  rows: string[][];
}
type Block = ParagraphBlock | TableBlock;

const TOKEN = /<(\/?)([A-Za-z][\w.-]*:[\w.-]+|[A-Za-z][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;

/**
 * A small streaming reader for the WordprocessingML elements that carry table text (w:tbl, w:tr, w:tc,
 * w:p, w:t, w:tab, w:br). Nested tables are read as text of the enclosing cell.
 */
function parseBody(xml: string): Block[] {
  const blocks: Block[] = [];
  let tableDepth = 0;
  let table: TableBlock | undefined;
  let row: string[] | undefined;
  let cellParagraphs: string[] | undefined;
  let paragraph: string | undefined;
  let inText = false;

  for (const match of xml.matchAll(TOKEN)) {
    const [, closing, name, , selfClosing, text] = match;
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
          if (tableDepth === 1) table = { kind: 'table', rows: [] };
        } else {
          if (tableDepth === 1 && table) blocks.push(table);
          tableDepth = Math.max(0, tableDepth - 1);
        }
        break;
      case 'w:tr':
        if (tableDepth !== 1) break;
        if (!isClose) row = [];
        else if (row && table) {
          table.rows.push(row);
          row = undefined;
        }
        break;
      case 'w:tc':
        if (tableDepth !== 1) break;
        if (!isClose) cellParagraphs = [];
        else if (cellParagraphs && row) {
          row.push(cellParagraphs.join('\n'));
          cellParagraphs = undefined;
        }
        break;
      case 'w:p':
        if (isEmpty) {
          if (cellParagraphs) cellParagraphs.push('');
          else if (tableDepth === 0) blocks.push({ kind: 'paragraph', text: '' });
        } else if (!isClose) {
          paragraph ??= '';
        } else if (paragraph !== undefined) {
          if (cellParagraphs) cellParagraphs.push(paragraph);
          else if (tableDepth === 0) blocks.push({ kind: 'paragraph', text: paragraph });
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
  return blocks;
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
