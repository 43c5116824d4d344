import { ATTACHMENT_TYPES, AttachmentContentType } from '@county/domain';
import { listZipEntries } from '@county/plan-import';

/** An archive with more parts than this is not an office document anyone attaches to a report. */
const MAX_ZIP_PARTS = 10_000;
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** The stream names that tell a Word file from an Excel one inside an OLE2 compound file (UTF-16LE). */
const WORD_STREAM = Buffer.from('WordDocument', 'utf16le');
const EXCEL_STREAMS = [Buffer.from('Workbook', 'utf16le'), Buffer.from('Book', 'utf16le')];

/**
 * The type of a 佐证材料 file, read from its bytes (never its name): a renamed .exe is refused whatever it is called.
 * Zip-based formats are told apart by their parts (a .docx has word/document.xml, a .xlsx xl/workbook.xml, an OFD
 * OFD.xml at its root, GB/T 33190); old Office files by the stream their compound file holds. Null: not accepted.
 */
export function detectAttachmentType(bytes: Buffer): AttachmentContentType | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return ATTACHMENT_TYPES.pdf;
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return ATTACHMENT_TYPES.jpeg;
  if (bytes.subarray(0, 8).equals(PNG)) return ATTACHMENT_TYPES.png;
  if (bytes.subarray(0, 4).equals(ZIP)) return zipType(bytes);
  if (bytes.subarray(0, 8).equals(OLE2)) {
    if (bytes.includes(WORD_STREAM)) return ATTACHMENT_TYPES.doc;
    if (EXCEL_STREAMS.some((name) => bytes.includes(name))) return ATTACHMENT_TYPES.xls;
  }
  return null;
}

function zipType(bytes: Buffer): AttachmentContentType | null {
  let names: string[];
  try {
    names = listZipEntries(bytes, MAX_ZIP_PARTS);
  } catch {
    return null; // starts like a zip but has no readable directory
  }
  const has = new Set(names);
  if (has.has('word/document.xml')) return ATTACHMENT_TYPES.docx;
  if (has.has('xl/workbook.xml')) return ATTACHMENT_TYPES.xlsx;
  if (has.has('OFD.xml')) return ATTACHMENT_TYPES.ofd;
  return null;
}
