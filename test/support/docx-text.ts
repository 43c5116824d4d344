import { readZipEntry } from '@county/plan-import/dist/zip-entry';

/** One block of a Word body, in document order: a paragraph's text, or a table's rows of cell texts. */
export type DocxBlock = { paragraph: string } | { table: string[][] };

const unescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const textOf = (xml: string) =>
  [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescape(m[1])).join('');

/**
 * Reads a .docx's body as paragraphs and tables with the plan importer's zip reader — a reader other than the
 * writer (the docx package), so a bulletin test checks what Word would open, not what the writer meant.
 */
export function readDocxBlocks(bytes: Uint8Array): DocxBlock[] {
  const entry = readZipEntry(bytes, 'word/document.xml', 32 * 1024 * 1024);
  if (!entry) throw new Error('not a Word document: word/document.xml is missing');
  const xml = Buffer.from(entry).toString('utf8');
  const blocks: DocxBlock[] = [];
  // A table's own paragraphs are inside its match, so top-level paragraphs and tables come out in order.
  for (const match of xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>/g)) {
    const block = match[0];
    if (block.startsWith('<w:tbl>')) {
      const rows = [...block.matchAll(/<w:tr(?:\s[^>]*)?>[\s\S]*?<\/w:tr>/g)].map((row) =>
        [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((cell) => textOf(cell[0])),
      );
      blocks.push({ table: rows });
    } else {
      blocks.push({ paragraph: textOf(block) });
    }
  }
  return blocks;
}

/** The paragraphs' texts only. */
export const paragraphsOf = (blocks: DocxBlock[]) =>
  blocks.flatMap((block) => ('paragraph' in block ? [block.paragraph] : []));

/** The table that follows the paragraph starting with `heading` (undefined when none comes before the next heading). */
export function tableAfter(blocks: DocxBlock[], heading: string): string[][] | undefined {
  const start = blocks.findIndex((block) => 'paragraph' in block && block.paragraph.startsWith(heading));
  for (let i = start + 1; start >= 0 && i < blocks.length; i += 1) {
    const block = blocks[i];
    if ('table' in block) return block.table;
    if (/^[一二三四五六七八九十]、/.test(block.paragraph)) return undefined;
  }
  return undefined;
}
