import { execFile } from 'node:child_process';
import fs, {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../config';
import { localSigningKey, SIGNING_KEY_FILE } from './signing-key';

const run = promisify(execFile);

describe('localSigningKey', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'county-signing-key-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('makes 32 random bytes on the first start, private to the user, and keeps them', () => {
    const dataDir = path.join(root, 'not', 'there', 'yet');
    const key = localSigningKey(dataDir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(localSigningKey(dataDir)).toBe(key);
    expect(readdirSync(dataDir)).toEqual([SIGNING_KEY_FILE]);
    expect(localSigningKey(path.join(root, 'elsewhere'))).not.toBe(key);
  });

  it('gives processes starting at the same moment one key', async () => {
    const compiled = path.resolve(__dirname, '../../dist/auth/signing-key.js');
    expect(existsSync(compiled)).toBe(true); // npm run build first
    const startAt = Date.now() + 500;
    // Each child spins until the same instant, then races the others to create the file.
    const script = `while (Date.now() < ${startAt}); process.stdout.write(require(${JSON.stringify(compiled)}).localSigningKey(${JSON.stringify(root)}))`;
    const keys = await Promise.all(
      Array.from({ length: 6 }, async () => (await run(process.execPath, ['-e', script])).stdout),
    );
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(readFileSync(path.join(root, SIGNING_KEY_FILE), 'utf8').trim());
    expect(readdirSync(root)).toEqual([SIGNING_KEY_FILE]);
  });

  it('uses the key of a process that created the file first, between its own look and its own write', () => {
    const theirs = 'ab'.repeat(32);
    const link = fs.linkSync;
    const spy = jest.spyOn(fs, 'linkSync').mockImplementation((existing, created) => {
      writeFileSync(created, `${theirs}\n`, { mode: 0o600 }); // the other process wins the race
      link(existing, created);
    });
    try {
      expect(localSigningKey(root)).toBe(theirs);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect(readdirSync(root)).toEqual([SIGNING_KEY_FILE]);
  });

  it('refuses a key file other users can read', () => {
    if (process.platform === 'win32') return;
    localSigningKey(root);
    chmodSync(path.join(root, SIGNING_KEY_FILE), 0o644);
    expect(() => localSigningKey(root)).toThrow(ConfigError);
    expect(() => localSigningKey(root)).toThrow(/readable by other users; run chmod 600/);
  });

  it('refuses a key file it did not write, rather than signing with a guessable key', () => {
    writeFileSync(path.join(root, SIGNING_KEY_FILE), 'secret\n', { mode: 0o600 });
    expect(() => localSigningKey(root)).toThrow(/does not hold a key this API wrote/);
  });
});
