import { listZipEntries } from '@county/plan-import';
import { readZipEntry } from '@county/plan-import/dist/zip-entry';

/**
 * A small .xlsx reader of the test's own — not exceljs, which wrote the file — so a golden test compares what any
 * spreadsheet program would find: it unzips with the plan importer's zip reader and reads the SpreadsheetML parts
 * (xl/sharedStrings.xml, xl/worksheets/sheetN.xml, xl/workbook.xml) with regular expressions. Enough for the cells
 * our writers produce (shared strings, inline strings, numbers), not a general reader.
 */
export interface XlsxSheetContent {
  name: string;
  /** Rows in order; each row's cells by column (A = 0), missing cells as null. */
  rows: Array<Array<string | number | null>>;
  /** The raw sheet XML (page setup, frozen panes, merged cells). */
  xml: string;
}

export interface XlsxContent {
  entries: string[];
  sheets: XlsxSheetContent[];
  /** xl/workbook.xml (defined names: the printed title rows). */
  workbook: string;
}

const MAX_PART_BYTES = 256 * 1024 * 1024;

function part(bytes: Uint8Array, name: string): string | null {
  const data = readZipEntry(bytes, name, MAX_PART_BYTES);
  return data === null ? null : Buffer.from(data).toString('utf8');
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&amp;/g, '&');
}

/** The text of every <t> inside a fragment (a shared string or an inline string may be split into runs). */
function texts(fragment: string): string {
  return [...fragment.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)]
    .map((match) => unescapeXml(match[1] ?? ''))
    .join('');
}

function columnIndex(reference: string): number {
  const letters = /^[A-Z]+/.exec(reference)![0];
  return [...letters].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}

export function readXlsx(bytes: Uint8Array): XlsxContent {
  const entries = listZipEntries(bytes, 1000);
  const sharedXml = part(bytes, 'xl/sharedStrings.xml');
  const shared = sharedXml ? [...sharedXml.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((match) => texts(match[1])) : [];
  const workbook = part(bytes, 'xl/workbook.xml') ?? '';
  const names = [...workbook.matchAll(/<sheet\b[^>]*\bname="([^"]*)"/g)].map((match) => unescapeXml(match[1]));
  const sheets = names.map((name, index) => {
    const xml = part(bytes, `xl/worksheets/sheet${index + 1}.xml`);
    if (xml === null) throw new Error(`no xl/worksheets/sheet${index + 1}.xml for sheet ${name}`);
    const rows: XlsxSheetContent['rows'] = [];
    for (const rowMatch of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      const rowNumber = Number(/\br="(\d+)"/.exec(rowMatch[1])![1]);
      const cells: Array<string | number | null> = [];
      for (const cell of (rowMatch[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attributes = cell[1];
        const body = cell[2] ?? '';
        const column = columnIndex(/\br="([A-Z]+\d+)"/.exec(attributes)![1]);
        const type = /\bt="([^"]+)"/.exec(attributes)?.[1];
        const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
        let content: string | number | null = null;
        if (type === 's') content = shared[Number(value)];
        else if (type === 'inlineStr') content = texts(body);
        else if (type === 'str') content = value === undefined ? null : unescapeXml(value);
        else if (value !== undefined) content = Number(value);
        while (cells.length < column) cells.push(null);
        cells[column] = content;
      }
      while (rows.length < rowNumber - 1) rows.push([]);
      rows[rowNumber - 1] = cells;
    }
    return { name, rows, xml };
  });
  return { entries, sheets, workbook };
}

/** A sheet's data rows as objects keyed by the header row (row 2: row 1 is the title). */
export function records(sheet: XlsxSheetContent): Array<Record<string, string | number | null>> {
  const header = sheet.rows[1].map(String);
  return sheet.rows.slice(2).map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? null])));
}
