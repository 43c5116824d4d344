import { listZipEntries } from '@county/plan-import';
import { readZipEntry } from '@county/plan-import/dist/zip-entry';

const MAX_ENTRY_BYTES = 50 * 1024 * 1024;

const decode = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');

const entryText = (bytes: Uint8Array, name: string): string | null => {
  const entry = readZipEntry(bytes, name, MAX_ENTRY_BYTES);
  return entry ? Buffer.from(entry).toString('utf8') : null;
};

/** Column letters of a cell reference (`AB12` → 27, 0-based). */
const columnOf = (reference: string): number =>
  [...reference.replace(/\d+$/, '')].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0) - 1;

/**
 * A deliberately tiny .xlsx reader, independent of exceljs (the writer), so a golden test compares what is really in
 * the file: the zip's central directory (listZipEntries) and the first worksheet's XML, read with regular
 * expressions. Cells: numbers as numbers, strings (shared, inline or formula-string) as text, empty cells as ''.
 */
export function readFirstSheet(bytes: Uint8Array): Array<Array<string | number>> {
  const entries = listZipEntries(bytes, 1000);
  const sheetName = entries.find((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
  if (!sheetName) throw new Error(`no worksheet in the archive: ${entries.join(', ')}`);
  const shared = [...(entryText(bytes, 'xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((si) =>
    decode([...si[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')),
  );
  const xml = entryText(bytes, sheetName)!;
  const rows: Array<Array<string | number>> = [];
  for (const row of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: Array<string | number> = [];
    for (const cell of row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attributes = cell[1];
      const body = cell[2] ?? '';
      const column = columnOf(/\br="([A-Z]+\d+)"/.exec(attributes)![1]);
      const type = /\bt="(\w+)"/.exec(attributes)?.[1];
      const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let content: string | number = '';
      if (type === 's') content = shared[Number(value)];
      else if (type === 'inlineStr')
        content = decode([...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
      else if (type === 'str') content = decode(value ?? '');
      else if (value !== undefined) content = Number(value);
      while (cells.length < column) cells.push('');
      cells[column] = content;
    }
    rows.push(cells);
  }
  return rows;
}
