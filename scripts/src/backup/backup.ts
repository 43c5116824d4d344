import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createDataSource, readSchemaStatus, releaseMigrations } from '@county/persistence';
import { Installation } from '../installation';
import { ROOT } from '../paths';
import { pinnedVersion } from '../temporal-cli';
import { copyHashed, listFiles } from './files';
import { BackupManifest, BackupPart, formatBytes, MANIFEST_FILE, MANIFEST_FORMAT, partBytes } from './manifest';
import { dumpDatabase } from './pg-snapshot';
import { assertInstallationStopped, openInstallationPostgres } from './quiet-installation';

export interface BackupOptions {
  /** The folder the dated backup folder is made in. */
  outDir: string;
  log: (message: string) => void;
  /** The moment the backup is named after (default: now). */
  now?: Date;
}

/** The dev server's SQLite file and, if the last stop left one, its write-ahead log (SQLite replays it on open). */
export const SQLITE_FILES = (dbFile: string) => [dbFile, `${dbFile}-wal`];

/**
 * `npm run backup`: the installation's three stores copied into one dated folder with a manifest, with the API and
 * the worker stopped (assertInstallationStopped), so the read model and the workflows are one moment.
 *
 * Order: Temporal first, then the application database, then the attachment store. Nothing moves either database
 * while they are copied; the order only matters for what the checks cannot see, and in it a read model is never
 * older than its workflows (work the read model has but Temporal lacks is done again by idempotent activities;
 * the reverse would be lost). The attachments come last because a file is stored before the row that names it, so
 * every row copied finds its file.
 *
 * The folder is written as `<name>.partial` and renamed when complete: a crash leaves no folder a restore takes.
 */
export async function runBackup(installation: Installation, options: BackupOptions): Promise<string> {
  const started = Date.now();
  const log = options.log;
  const takenAt = options.now ?? new Date();
  const name = `county-backup-${stamp(takenAt)}`;
  const finalDir = path.join(options.outDir, name);
  const dir = `${finalDir}.partial`;
  if (existsSync(finalDir)) throw new Error(`${finalDir} 已存在`);

  const postgres = await openInstallationPostgres(installation, '备份', log);
  try {
    await assertInstallationStopped(postgres, installation, '备份');
    const migrations = await appliedMigrations(postgres.appUrl);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    log(`备份到 ${finalDir}`);

    const parts: BackupPart[] = [];
    const took = (part: BackupPart, what: string, since: number) => {
      parts.push(part);
      log(`${what}：${formatBytes(partBytes(part))}（${Date.now() - since} ms）`);
    };

    let since = Date.now();
    if (installation.temporal.mode === 'dev') {
      const { dbFile } = installation.temporal;
      if (!existsSync(dbFile)) throw new Error(`没有找到 Temporal 开发服务器的数据文件 ${dbFile}（TEMPORAL_DB_FILE）`);
      const files = [];
      for (const file of SQLITE_FILES(dbFile).filter((candidate) => existsSync(candidate))) {
        files.push(await copyHashed(file, path.join(dir, 'temporal', path.basename(file)), path.join(dir, 'temporal')));
      }
      took(
        { kind: 'files', role: 'temporal-sqlite', dir: 'temporal', source: dbFile, files },
        `Temporal（开发服务器 ${dbFile}）`,
        since,
      );
    } else {
      for (const [role, database] of [
        ['temporal', installation.temporal.databases.main],
        ['temporal-visibility', installation.temporal.databases.visibility],
      ] as const) {
        since = Date.now();
        const snapshot = await dumpDatabase(postgres.urlOf(database), path.join(dir, role), progressLog(log, database));
        took(
          { kind: 'postgres', role, dir: role, database, snapshot },
          `Temporal 数据库 ${database}：${describe(snapshot)}`,
          since,
        );
      }
    }

    since = Date.now();
    const app = await dumpDatabase(postgres.appUrl, path.join(dir, 'app'), progressLog(log, installation.appDatabase));
    took(
      { kind: 'postgres', role: 'app', dir: 'app', database: installation.appDatabase, snapshot: app },
      `应用数据库 ${installation.appDatabase}：${describe(app)}`,
      since,
    );

    since = Date.now();
    // Only what is kept: `incoming/` holds uploads still arriving (or cut off), which no row names.
    const objects = path.join(installation.attachmentsDir, 'objects');
    const attachments = [];
    for (const file of await listFiles(objects)) {
      attachments.push(
        await copyHashed(
          path.join(objects, file),
          path.join(dir, 'attachments', 'objects', file),
          path.join(dir, 'attachments'),
        ),
      );
    }
    took(
      {
        kind: 'files',
        role: 'attachments',
        dir: 'attachments',
        source: installation.attachmentsDir,
        files: attachments,
      },
      `附件（${installation.attachmentsDir}）：${attachments.length} 个文件`,
      since,
    );

    const manifest: BackupManifest = {
      format: MANIFEST_FORMAT,
      createdAt: takenAt.toISOString(),
      release: {
        version: (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
        commit: gitCommit(),
        migrations,
        node: process.version,
        temporal: {
          server: pinnedVersion('go.temporal.io/server'),
          cli: pinnedVersion('github.com/temporalio/cli'),
        },
      },
      temporalMode: installation.temporal.mode,
      parts,
    };
    await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(dir, finalDir);
    const total =
      parts.reduce((sum, part) => sum + partBytes(part), 0) + statSync(path.join(finalDir, MANIFEST_FILE)).size;
    log(`备份完成：${finalDir}（${formatBytes(total)}，${((Date.now() - started) / 1000).toFixed(1)} s）`);
    return finalDir;
  } finally {
    await postgres.close();
  }
}

/**
 * The application database must be on exactly this release's schema, by the rule the API and the worker start by
 * (readSchemaStatus): a restore makes the schema with this release's migrations, and the manifest names them.
 */
async function appliedMigrations(url: string): Promise<string[]> {
  const dataSource = await createDataSource({ url, applicationName: 'county-backup' }).initialize();
  try {
    const { missing, unknown } = await readSchemaStatus(dataSource);
    const release = releaseMigrations();
    if (missing.length === release.length && unknown.length === 0) {
      throw new Error('应用数据库还没有建库（没有迁移记录）：这不是本系统的数据库，或从未运行过 npm run migrate');
    }
    if (missing.length > 0 || unknown.length > 0) {
      throw new Error(
        `应用数据库的迁移与本版本不一致（缺 ${missing.length} 个，多出 ${unknown.length} 个）：` +
          '用与数据库相同的版本备份，或先运行 npm run migrate',
      );
    }
    return release;
  } finally {
    await dataSource.destroy();
  }
}

function describe(snapshot: Awaited<ReturnType<typeof dumpDatabase>>): string {
  const rows = snapshot.tables.reduce((sum, table) => sum + table.rows, 0);
  return `${snapshot.tables.length} 张表，${rows.toLocaleString('en-US')} 行`;
}

/** A line per 100,000 rows of a big table, so a long backup shows it is moving. */
function progressLog(log: (message: string) => void, database: string) {
  return (table: string, rows: number) => {
    if (rows % 100_000 === 0) log(`  ${database} ${table}：${rows.toLocaleString('en-US')} 行…`);
  };
}

function gitCommit(): string | undefined {
  if (!existsSync(path.join(ROOT, '.git'))) return undefined;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** 20261207-231500Z: sorts by time, no characters a file system objects to. */
function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\.\d+Z$/, 'Z');
}
