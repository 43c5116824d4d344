import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** One file of a backup, as the manifest lists it: where it is (relative to its part's folder), its size and hash. */
export interface BackupFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** The size and sha256 of `file`, named relative to `dir`. */
export async function hashedFile(dir: string, file: string): Promise<BackupFile> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { path: toPosix(path.relative(dir, file)), bytes: (await stat(file)).size, sha256: hash.digest('hex') };
}

/** Copies `from` to `to` (which must not exist), hashing on the way. */
export async function copyHashed(from: string, to: string, relativeTo: string): Promise<BackupFile> {
  await mkdir(path.dirname(to), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: 'wx' }));
  return { path: toPosix(path.relative(relativeTo, to)), bytes, sha256: hash.digest('hex') };
}

/** Every regular file under `dir`, relative to it, sorted; none when `dir` does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = async (relative: string) => {
    for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) found.push(child);
    }
  };
  await walk('');
  return found.sort();
}

/** Files listed in a manifest whose size or sha256 differs on disk, or that are missing, as readable problems. */
export async function damagedFiles(dir: string, files: BackupFile[]): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files) {
    const full = path.join(dir, file.path);
    if (!existsSync(full)) {
      problems.push(`${file.path} 缺失`);
      continue;
    }
    const actual = await hashedFile(dir, full);
    if (actual.bytes !== file.bytes || actual.sha256 !== file.sha256) {
      problems.push(
        `${file.path} 已损坏（${actual.bytes} 字节，sha256 ${actual.sha256.slice(0, 12)}…，清单记的是 ${file.bytes} 字节，${file.sha256.slice(0, 12)}…）`,
      );
    }
  }
  return problems;
}

/**
 * The processes that have `file` open, as "pid (command)" (Linux: from /proc; elsewhere none can be seen, and the
 * caller's other checks stand alone). A SQLite file is copied only when nothing has it open.
 */
export function processesWithOpen(file: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  const target = path.resolve(file);
  const holders: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
      } catch {
        return false;
      }
    });
    if (holds) {
      let command = '?';
      try {
        command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        // the process ended meanwhile
      }
      holders.push(`${pid} (${command})`);
    }
  }
  return holders;
}

const toPosix = (relative: string) => relative.split(path.sep).join('/');
