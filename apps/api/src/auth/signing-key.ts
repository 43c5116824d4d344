import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';

/** The local-mode signing key's file in the data directory (README, "Configuration"). */
export const SIGNING_KEY_FILE = 'jwt-secret';
/** 32 random bytes, hex: what this module writes and the only thing it accepts back. */
const KEY_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The HS256 key for local mode (no JWT_SECRET): generated on the first start and kept in
 * `<dataDir>/jwt-secret`, so tokens survive a restart, every process on the machine agrees, and no key
 * anyone else knows (one printed in the source, say) ever signs a token.
 *
 * The file appears complete or not at all: the key is written to a private temporary file (`wx`: created
 * here, never someone else's) and hard-linked into place, which fails if the file exists. Of several
 * processes starting at once exactly one link succeeds, and all of them then read that one key.
 */
export function localSigningKey(dataDir: string): string {
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  const existing = readKey(file);
  if (existing !== undefined) return existing;

  mkdirSync(dataDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process made the key first; use theirs.
  } finally {
    unlinkSync(temporary);
  }
  const key = readKey(file);
  if (key === undefined) throw new ConfigError(`${file} disappeared while it was being created`);
  return key;
}

function readKey(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A key others can read is a key others can sign with (POSIX permissions only; Windows has none here).
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new ConfigError(`${file} is readable by other users; run chmod 600 on it, or delete it to get a new key`);
  }
  const key = text.trim();
  if (!KEY_PATTERN.test(key)) {
    throw new ConfigError(
      `${file} does not hold a key this API wrote (64 hex digits); delete it to get a new one (signed-in users then sign in again)`,
    );
  }
  return key;
}
