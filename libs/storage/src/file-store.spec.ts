import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FileAttachmentStore } from './file-store';

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('FileAttachmentStore', () => {
  let root: string;
  let store: FileAttachmentStore;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'attachment-store-'));
    store = new FileAttachmentStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  const incoming = () => readdir(path.join(root, 'incoming'));
  const objects = async () =>
    (await readdir(path.join(root, 'objects'), { recursive: true })).filter((e) => e.length > 2);

  it('keeps a file by its sha256, once however often it is stored, and reads it back', async () => {
    const first = await store.put(Readable.from([PDF.subarray(0, 5), PDF.subarray(5)]), 1024);
    const again = await store.put(Readable.from([PDF]), 1024);
    expect(first).toEqual({ sha256: sha(PDF), size: PDF.length, contentType: 'application/pdf' });
    expect(again).toEqual(first);
    expect(await objects()).toEqual([path.join(sha(PDF).slice(0, 2), sha(PDF))]);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.open(first.sha256)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(PDF)).toBe(true);
    expect(await incoming()).toEqual([]);
  });

  it('refuses over the limit (413), an unaccepted type (415) and an empty file, keeping nothing', async () => {
    await expect(store.put(Readable.from([PDF, Buffer.alloc(2000)]), 1024)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    await expect(store.put(Readable.from([Buffer.from('MZ\x90\x00')]), 1024)).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    await expect(store.put(Readable.from([]), 1024)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await incoming()).toEqual([]);
    expect(await objects()).toEqual([]);
  });

  it('keeps nothing when the source fails mid-stream (a client cut off)', async () => {
    const failing = new Readable({
      read() {
        this.push(PDF);
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(store.put(failing, 1024)).rejects.toThrow('socket hang up');
    expect(await incoming()).toEqual([]);
    expect(await objects()).toEqual([]);
  });

  it('re-hashes what is on disk: a changed byte or a missing file shows', async () => {
    const stored = await store.put(Readable.from([PDF]), 1024);
    expect(await store.rehash(stored.sha256)).toBe(stored.sha256);
    const file = path.join(root, 'objects', stored.sha256.slice(0, 2), stored.sha256);
    await writeFile(file, Buffer.concat([PDF, Buffer.from(' ')]));
    expect(await store.rehash(stored.sha256)).not.toBe(stored.sha256);
    await rm(file);
    expect(await store.rehash(stored.sha256)).toBeNull();
    await expect(store.open(stored.sha256)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never turns a bad sha256 into a path', async () => {
    await expect(store.open('../../etc/passwd')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
