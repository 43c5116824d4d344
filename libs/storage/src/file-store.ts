import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ATTACHMENT_CONTENT_TYPES, AttachmentContentType, DomainError, ErrorCode } from '@county/domain';
import { detectAttachmentType } from './content-type';

/** A file as the store holds it: its bytes are found by their sha256. */
export interface StoredFile {
  sha256: string;
  size: number;
  contentType: AttachmentContentType;
}

/**
 * Where 佐证材料 bytes live (DESIGN §8): content-addressed, so the same file uploaded twice is stored once and a
 * stored file can be checked against the sha256 the audit chain recorded. The API streams uploads in and downloads
 * out; nothing else touches the bytes (workflows carry references only).
 */
export interface AttachmentStore {
  /**
   * Streams `source` in, at most `maxBytes` (else 413), of an accepted type decided from its content (else 415).
   * On any failure — a limit, a refused type, the client cutting the upload off — nothing is kept.
   */
  put(source: Readable, maxBytes: number): Promise<StoredFile>;
  /** The file's bytes (404 when the store has no such file). */
  open(sha256: string): Promise<Readable>;
  /** The sha256 of what is on disk now (null when the file is gone): the audit check re-hashes every file with it. */
  rehash(sha256: string): Promise<string | null>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Files under `root` (the data directory's `attachments/` by default): `objects/ab/<sha256>` for what is kept,
 * `incoming/` for uploads still arriving. An upload is written to `incoming/`, hashed and typed on the way, and
 * renamed into place only when complete and accepted — a rename within one file system is atomic, so a crash or a
 * cut-off upload never leaves a partial object. (A process killed mid-upload leaves its `incoming/` file behind,
 * referenced by nothing; it is not cleared at start because several API processes may share the directory.)
 */
export class FileAttachmentStore implements AttachmentStore {
  private readonly objects: string;
  private readonly incoming: string;
  private ready: Promise<void> | undefined;

  constructor(root: string) {
    this.objects = join(root, 'objects');
    this.incoming = join(root, 'incoming');
  }

  async put(source: Readable, maxBytes: number): Promise<StoredFile> {
    await this.prepare();
    const temporary = join(this.incoming, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new DomainError(ErrorCode.PayloadTooLarge, `文件超过 ${formatBytes(maxBytes)} 的上限，未保存。`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, counter, createWriteStream(temporary, { flags: 'wx' }));
      // A stream that ended early because its limit was hit (the multipart parser stops, it does not fail).
      if ((source as Readable & { truncated?: boolean }).truncated) {
        throw new DomainError(ErrorCode.PayloadTooLarge, `文件超过 ${formatBytes(maxBytes)} 的上限，未保存。`);
      }
      if (size === 0) throw new DomainError(ErrorCode.ValidationFailed, '文件是空的，未保存。');
      const contentType = detectAttachmentType(await readFile(temporary));
      if (!contentType) {
        throw new DomainError(
          ErrorCode.UnsupportedMediaType,
          '只接受 PDF、OFD、Word（doc/docx）、Excel（xls/xlsx）、JPEG 和 PNG 文件（按文件内容判断，不看扩展名）。',
          { accepted: ATTACHMENT_CONTENT_TYPES },
        );
      }
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      await mkdir(join(this.objects, sha256.slice(0, 2)), { recursive: true });
      // Stored once: a second upload of the same bytes finds the object in place and drops its copy.
      if (await exists(target)) await rm(temporary, { force: true });
      else await rename(temporary, target);
      return { sha256, size, contentType };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async open(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    if (!(await exists(path))) throw new DomainError(ErrorCode.NotFound, '文件已不在存储中。');
    return createReadStream(path);
  }

  async rehash(sha256: string): Promise<string | null> {
    const path = this.pathOf(sha256);
    if (!(await exists(path))) return null;
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    return hash.digest('hex');
  }

  private pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new DomainError(ErrorCode.NotFound, '没有这个文件。');
    return join(this.objects, sha256.slice(0, 2), sha256);
  }

  /** Once per process: the folders exist. */
  private prepare(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.incoming, { recursive: true });
      await mkdir(this.objects, { recursive: true });
    })();
    return this.ready;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}
