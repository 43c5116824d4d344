import { inflateRawSync } from 'node:zlib';
import { PlanParseError } from './model';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const ZIP64_EXTRA_FIELD = 0x0001;
const STORED = 0;
const DEFLATED = 8;
/** The end record is 22 bytes plus a comment of up to 64 KiB. */
const MAX_END_RECORD_SEARCH = 22 + 0xffff;
/** A 32-bit size or offset of this value means "see the zip64 extra field". */
const ZIP64_MARKER = 0xffffffff;

/**
 * Reads one entry of a zip file, unpacking at most `maxBytes`.
 *
 * Nothing the archive says about the unpacked size is trusted: the headers are written by whoever made
 * the file, and a hostile one claims a few kilobytes for an entry that inflates to gigabytes. zlib
 * inflates in 16 KiB steps and stops with ERR_BUFFER_TOO_LARGE as soon as the real output passes
 * `maxOutputLength`, so neither time nor memory grows beyond the cap whatever the headers claim.
 *
 * The entry is found through the central directory (the zip format's index, which is what Word and
 * every unzip tool read), not by scanning for local headers, which could be planted inside another
 * entry's data.
 */
export function readZipEntry(
  bytes: Uint8Array,
  name: string,
  maxBytes: number,
  /** What the archive is, for the refusals: `.docx` or `.xlsx`. */
  kind = '.docx',
): Uint8Array | null {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entry = findEntry(zip, name);
  if (!entry) return null;

  const local = entry.localHeaderOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw unreadable();
  const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > zip.length) throw unreadable();
  const data = zip.subarray(dataStart, dataEnd);

  if (entry.method === STORED) {
    if (data.length > maxBytes) throw tooLarge(kind, name, maxBytes);
    return data;
  }
  if (entry.method !== DEFLATED) {
    throw new PlanParseError(null, `该 ${kind} 中的 ${name} 使用了不支持的压缩方式（${entry.method}）`);
  }
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(kind, name, maxBytes);
    throw unreadable();
  }
}

interface CentralEntry {
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

function findEntry(zip: Buffer, wanted: string): CentralEntry | null {
  const end = findEndRecord(zip);
  let count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === ZIP64_MARKER) ({ count, offset } = readZip64End(zip, end));

  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw unreadable();
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const nameStart = offset + 46;
    if (nameStart + nameLength + extraLength > zip.length) throw unreadable();
    // Names are compared as bytes: the part names of a .docx are ASCII.
    if (zip.subarray(nameStart, nameStart + nameLength).toString('latin1') === wanted) {
      const entry = {
        method: zip.readUInt16LE(offset + 10),
        compressedSize: zip.readUInt32LE(offset + 20),
        localHeaderOffset: zip.readUInt32LE(offset + 42),
      };
      return withZip64Fields(
        entry,
        zip.readUInt32LE(offset + 24) === ZIP64_MARKER,
        zip.subarray(nameStart + nameLength, nameStart + nameLength + extraLength),
      );
    }
    offset = nameStart + nameLength + extraLength + commentLength;
  }
  return null;
}

/**
 * The names of a zip file's entries, from its central directory, at most `limit` of them (an archive may
 * claim 65,535 entries or, with zip64, billions). Directories (names ending in "/") are left out.
 */
export function listZipEntries(bytes: Uint8Array, limit: number): string[] {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(zip);
  let count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || offset === ZIP64_MARKER) ({ count, offset } = readZip64End(zip, end));
  const names: string[] = [];
  for (let index = 0; index < count && names.length < limit; index += 1) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw unreadable();
    const nameLength = zip.readUInt16LE(offset + 28);
    const nameStart = offset + 46;
    if (nameStart + nameLength > zip.length) throw unreadable();
    const name = zip.subarray(nameStart, nameStart + nameLength).toString('latin1');
    if (!name.endsWith('/')) names.push(name);
    offset = nameStart + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names;
}

function findEndRecord(zip: Buffer): number {
  const stop = Math.max(0, zip.length - MAX_END_RECORD_SEARCH);
  for (let position = zip.length - 22; position >= stop; position -= 1) {
    if (zip.readUInt32LE(position) === END_OF_CENTRAL_DIRECTORY) return position;
  }
  throw unreadable();
}

function readZip64End(zip: Buffer, end: number): { count: number; offset: number } {
  const locator = end - 20;
  if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_END_LOCATOR) throw unreadable();
  const record = safeNumber(zip.readBigUInt64LE(locator + 8));
  if (record + 56 > zip.length || zip.readUInt32LE(record) !== ZIP64_END_OF_CENTRAL_DIRECTORY) throw unreadable();
  return { count: safeNumber(zip.readBigUInt64LE(record + 32)), offset: safeNumber(zip.readBigUInt64LE(record + 48)) };
}

/**
 * The zip64 extra field holds, in this order, only those of uncompressed size, compressed size and local
 * header offset whose 32-bit field is 0xFFFFFFFF (some writers use zip64 even for small files).
 */
function withZip64Fields(entry: CentralEntry, uncompressedIsZip64: boolean, extra: Buffer): CentralEntry {
  const needsCompressed = entry.compressedSize === ZIP64_MARKER;
  const needsOffset = entry.localHeaderOffset === ZIP64_MARKER;
  if (!needsCompressed && !needsOffset) return entry;
  for (let position = 0; position + 4 <= extra.length;) {
    const id = extra.readUInt16LE(position);
    const size = extra.readUInt16LE(position + 2);
    if (id === ZIP64_EXTRA_FIELD) {
      let field = position + 4;
      const next = () => {
        if (field + 8 > position + 4 + size || field + 8 > extra.length) throw unreadable();
        const value = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (uncompressedIsZip64) next(); // the claimed unpacked size is skipped: it is not trusted anyway
      const compressedSize = needsCompressed ? next() : entry.compressedSize;
      const localHeaderOffset = needsOffset ? next() : entry.localHeaderOffset;
      return { ...entry, compressedSize, localHeaderOffset };
    }
    position += 4 + size;
  }
  throw unreadable();
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw unreadable();
  return Number(value);
}

function unreadable(): PlanParseError {
  return new PlanParseError(null, '该文件看起来是 .docx 或 .xlsx（zip 压缩包），但无法解压');
}

/**
 * An entry that unpacks past its cap. Its own class so that callers with a budget of their own (the .xlsx
 * reader, the staff import) can tell it from a broken archive without reading the (Chinese) message.
 */
export class ZipEntryTooLargeError extends PlanParseError {}

function tooLarge(kind: string, name: string, maxBytes: number): PlanParseError {
  return new ZipEntryTooLargeError(
    null,
    `该 ${kind} 不予导入：其中的 ${name} 解压后超过 ${maxBytes / 1024 / 1024} MB（一份任务清单只有几百 KB）`,
  );
}
