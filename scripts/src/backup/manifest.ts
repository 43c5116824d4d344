import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TemporalMode } from '../local-stack';
import { BackupFile } from './files';
import { DatabaseSnapshot } from './pg-snapshot';

/** The file at the top of every backup that says what it holds; a backup without it is not one. */
export const MANIFEST_FILE = 'manifest.json';
/** Bumped when the layout changes, so a restore refuses a backup it would misread. */
export const MANIFEST_FORMAT = 1;

export interface BackupManifest {
  format: typeof MANIFEST_FORMAT;
  /** When the backup was taken (ISO 8601, UTC). */
  createdAt: string;
  /** The release that took it: a restore must run the same one (then `npm run migrate` upgrades). */
  release: {
    version: string;
    /** The git commit, when the installation runs from a clone. */
    commit?: string;
    /** The application database's migrations, oldest first. */
    migrations: string[];
    node: string;
    /** The Temporal server and CLI versions tools/temporal/go.mod pins. */
    temporal: Record<string, string>;
  };
  temporalMode: TemporalMode;
  /** In the order they were taken (see backup.ts for why this order). */
  parts: BackupPart[];
}

export type BackupPart = DatabasePart | FilesPart;

/** A PostgreSQL database: the application's, or one of the real Temporal server's two. */
export interface DatabasePart {
  kind: 'postgres';
  role: 'app' | 'temporal' | 'temporal-visibility';
  /** The folder in the backup, relative to its top. */
  dir: string;
  /** The database it was read from (a restore writes to the installation's own, which may be named otherwise). */
  database: string;
  snapshot: DatabaseSnapshot;
}

/** Files copied as they are: the dev server's SQLite file, or the attachment store's objects. */
export interface FilesPart {
  kind: 'files';
  role: 'temporal-sqlite' | 'attachments';
  dir: string;
  /** Where they were copied from. */
  source: string;
  files: BackupFile[];
}

/** Every file of every part, named relative to the backup's top. */
export function manifestFiles(manifest: BackupManifest): BackupFile[] {
  return manifest.parts.flatMap((part) =>
    (part.kind === 'postgres' ? part.snapshot.tables.map((table) => table.file) : part.files).map((file) => ({
      ...file,
      path: `${part.dir}/${file.path}`,
    })),
  );
}

export function partBytes(part: BackupPart): number {
  const files = part.kind === 'postgres' ? part.snapshot.tables.map((table) => table.file) : part.files;
  return files.reduce((sum, file) => sum + file.bytes, 0);
}

/** Reads `dir`'s manifest, or says plainly why `dir` is not a backup this release can read. */
export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new Error(
      existsSync(dir)
        ? `${dir} 不是备份：没有 ${MANIFEST_FILE}（未完成的备份以 .partial 结尾，不能恢复）`
        : `没有找到备份 ${dir}`,
    );
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new Error(`${file} 不是有效的 JSON：${(error as Error).message}`);
  }
  if (manifest.format !== MANIFEST_FORMAT) {
    throw new Error(`${file} 的格式版本是 ${String(manifest.format)}，本版本只能读 ${MANIFEST_FORMAT}`);
  }
  return manifest;
}

/** "12.3 MB" and the like, for progress lines. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
