import { randomBytes } from 'node:crypto';
import { constants, crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

const MB = 1024 * 1024;

/**
 * The same .docx with NUL and U+FFFD in word/document.xml written as the character references `&#0;` and
 * `&#xD800;`: how a .docx really carries text that cannot be stored (a UTF-8 encoder, buildDocx's included,
 * writes a lone surrogate as U+FFFD).
 */
export function withCharacterReferences(docx: Uint8Array): Uint8Array {
  const files = unzipSync(docx);
  files['word/document.xml'] = strToU8(
    strFromU8(files['word/document.xml']).replaceAll('\u0000', '&#0;').replaceAll('\uFFFD', '&#xD800;'),
  );
  return zipSync(files);
}

/**
 * The same .docx rewritten with zip64 central directory entries (sizes and offsets in the zip64 extra
 * field), as some writers produce even for small files.
 */
export function asZip64(docx: Uint8Array): Buffer {
  const entries = Object.entries(unzipSync(docx)).map(([name, content]): ZipEntry => {
    const data = Buffer.from(content);
    return { name, data: deflateRawSync(data), method: 8, crc32: crc32(data), claimedSize: data.length };
  });
  return zip(entries, { zip64: true });
}

interface ZipEntry {
  name: string;
  /** The bytes as stored in the archive (deflated for method 8). */
  data: Buffer;
  method: 0 | 8;
  crc32: number;
  /** What the headers claim the entry unpacks to: a hostile archive lies here. */
  claimedSize: number;
}

const DOCUMENT_START =
  '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';

/**
 * A .docx-shaped zip bomb: word/document.xml's local and central headers claim `claimedSize` bytes but
 * the entry inflates to `inflatedMb` megabytes of `unit` repeated (spaces, or XML that is costly to read);
 * a stored word/media entry of random bytes pads the upload to about `totalMb` (0: no padding).
 */
export async function buildHostileDocx({
  inflatedMb,
  totalMb = 0,
  claimedSize = 4096,
  unit = ' ',
}: {
  inflatedMb: number;
  totalMb?: number;
  claimedSize?: number;
  unit?: string;
}): Promise<Buffer> {
  const document = await deflatedRepetition(DOCUMENT_START, unit, inflatedMb);
  const entries: ZipEntry[] = [
    stored('[Content_Types].xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types/>')),
    { name: 'word/document.xml', data: document, method: 8, crc32: 0, claimedSize },
  ];
  const padding = totalMb * MB - document.length - 1024;
  if (padding > 0) entries.push(stored('word/media/image1.png', randomBytes(padding)));
  return zip(entries);
}

/**
 * `prefix`, then about `megabytes` MB of `unit` repeated, deflated without ever holding the inflated
 * text: after a sync flush the compressor's window is the same after every further megabyte of whole
 * units, so one compressed megabyte is repeated (each flush ends on a byte boundary, so pieces
 * concatenate into one valid stream).
 */
async function deflatedRepetition(prefix: string, unit: string, megabytes: number): Promise<Buffer> {
  const deflater = createDeflateRaw({ level: 9 });
  const output: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => output.push(chunk));
  const megabyte = Buffer.from(unit.repeat(Math.floor(MB / Buffer.byteLength(unit))));
  const piece = (input: Buffer) =>
    new Promise<Buffer>((resolve) => {
      deflater.write(input);
      deflater.flush(constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(output.splice(0))));
    });
  const head = await piece(Buffer.concat([Buffer.from(prefix), megabyte]));
  const repeated = await piece(megabyte);
  if (!repeated.equals(await piece(megabyte))) throw new Error('the compressed megabyte is not stable');
  const tail = await new Promise<Buffer>((resolve) => {
    deflater.once('end', () => resolve(Buffer.concat(output.splice(0))));
    deflater.end();
  });
  // Nothing is pending after a sync flush, so `tail` is just the final empty block: valid after any piece.
  return Buffer.concat([head, ...Array.from({ length: Math.max(0, megabytes - 1) }, () => repeated), tail]);
}

function stored(name: string, data: Buffer): ZipEntry {
  return { name, data, method: 0, crc32: crc32(data), claimedSize: data.length };
}

/** A plain zip writer: local headers, data, central directory (optionally zip64 entries), end record. */
function zip(entries: ZipEntry[], { zip64 = false } = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(entry.crc32 >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.claimedSize, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, entry.data);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(zip64 ? 45 : 20, 4);
    header.writeUInt16LE(zip64 ? 45 : 20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(entry.method, 10);
    header.writeUInt32LE(entry.crc32 >>> 0, 16);
    header.writeUInt32LE(zip64 ? 0xffffffff : entry.data.length, 20);
    header.writeUInt32LE(zip64 ? 0xffffffff : entry.claimedSize, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    // The zip64 extra field: unpacked size, packed size, local header offset (those set to 0xFFFFFFFF).
    const extra = Buffer.alloc(zip64 ? 28 : 0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(entry.claimedSize), 4);
      extra.writeBigUInt64LE(BigInt(entry.data.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    header.writeUInt16LE(extra.length, 30);
    central.push(header, name, extra);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
