import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { assertSchemaCurrent, createDataSource, releaseMigrations, runMigrations } from '@county/persistence';
import { Installation } from '../installation';
import { createDatabaseIfMissing, dropDatabase } from '../postgres';
import { resolveTemporalTools } from '../temporal-cli';
import { setupTemporalSchemas } from '../temporal-real-server';
import { SQLITE_FILES } from './backup';
import { copyHashed, damagedFiles, listFiles } from './files';
import {
  BackupManifest,
  DatabasePart,
  FilesPart,
  formatBytes,
  manifestFiles,
  partBytes,
  readManifest,
} from './manifest';
import { isEmptyDatabase, loadDatabase } from './pg-snapshot';
import { assertInstallationStopped, InstallationPostgres, openInstallationPostgres } from './quiet-installation';

/**
 * Temporal's schema tool finds its version by the database's name (schema_version.db_name): restored under another
 * name, the row must say the new one, or the next server start would take the schema for empty and re-run every
 * update on top of it.
 */
const TEMPORAL_SCHEMA_VERSION_FIXUP = 'UPDATE schema_version SET db_name = current_database()';

export interface RestoreOptions {
  /** Overwrite an installation that already has data (its databases are dropped, its files removed). */
  replace: boolean;
  log: (message: string) => void;
}

/**
 * `npm run restore -- <backup>`: brings the installation the environment names (DATABASE_URL, TEMPORAL_MODE,
 * TEMPORAL_DB_FILE or TEMPORAL_DATABASE…, ATTACHMENTS_DIR) to the backup's moment, with everything stopped.
 *
 * Nothing is changed until the whole backup has been checked against its manifest (every file's size and
 * sha256), it is known to come from this release (same migrations), and every target is empty — or `replace` says
 * to overwrite. Then: the application database (this release's migrations make the schema, the rows are loaded in
 * one transaction), Temporal (the SQLite file copied, or temporal-sql-tool's schema and the rows), the attachment
 * store. Start Temporal, the worker and the API after it: timers that fell due while the installation was down
 * fire then, once each.
 */
export async function runRestore(
  installation: Installation,
  backupDir: string,
  options: RestoreOptions,
): Promise<void> {
  const started = Date.now();
  const log = options.log;
  const manifest = readManifest(backupDir);
  const files = manifestFiles(manifest);
  log(`校验备份 ${backupDir}（${manifest.createdAt}，${files.length} 个文件）…`);
  const damaged = await damagedFiles(backupDir, files);
  if (damaged.length > 0) {
    throw new Error(
      `备份已损坏，未做任何改动：${damaged.slice(0, 5).join('；')}${damaged.length > 5 ? `；另有 ${damaged.length - 5} 处` : ''}`,
    );
  }
  assertSameRelease(manifest, installation);

  const postgres = await openInstallationPostgres(installation, '恢复', log);
  try {
    const temporalDatabases =
      installation.temporal.mode === 'server' ? Object.values(installation.temporal.databases) : [];
    await assertInstallationStopped(postgres, installation, '恢复', temporalDatabases);
    await clearTargets(postgres, installation, temporalDatabases, options);
    if (installation.temporal.mode === 'server') {
      // The schema Temporal's own tool makes (as every server start does), which the rows are then loaded into.
      const tools = await resolveTemporalTools(['temporal-sql-tool'], log);
      await setupTemporalSchemas(
        tools['temporal-sql-tool'],
        new URL(postgres.adminUrl),
        installation.temporal.databases,
        log,
      );
    }

    for (const part of manifest.parts) {
      const since = Date.now();
      if (part.kind === 'postgres' && part.role === 'app') {
        await restoreAppDatabase(postgres, installation, backupDir, part);
        log(`应用数据库 ${installation.appDatabase}：${part.snapshot.tables.length} 张表（${Date.now() - since} ms）`);
      } else if (part.kind === 'postgres') {
        const database =
          part.role === 'temporal' ? installation.temporal.databases.main : installation.temporal.databases.visibility;
        await loadDatabase(postgres.urlOf(database), path.join(backupDir, part.dir), part.snapshot, {
          fixups: [TEMPORAL_SCHEMA_VERSION_FIXUP],
        });
        log(`Temporal 数据库 ${database}：${part.snapshot.tables.length} 张表（${Date.now() - since} ms）`);
      } else if (part.role === 'temporal-sqlite') {
        const dbFile = installation.temporal.dbFile;
        // temporal.db and its -wal, under the installation's own name for the file.
        await copyPart(backupDir, part, (file) => `${dbFile}${file.slice(path.basename(part.source).length)}`);
        log(`Temporal 开发服务器 ${dbFile}：${formatBytes(partBytes(part))}（${Date.now() - since} ms）`);
      } else {
        await copyPart(backupDir, part, (file) => path.join(installation.attachmentsDir, file));
        log(`附件 ${installation.attachmentsDir}：${part.files.length} 个文件（${Date.now() - since} ms）`);
      }
    }
  } finally {
    await postgres.close();
  }
  log(
    `恢复完成（${((Date.now() - started) / 1000).toFixed(1)} s）：安装回到 ${manifest.createdAt} 的状态。` +
      '现在启动 Temporal、worker 和 API；停机期间到期的提醒和升级会在启动后各发一次。备份之后做的操作已不在，须重做。',
  );
}

/** The same set of migrations (the order they ran in may differ from the release's list: both are fine). */
const sameMigrations = (a: string[], b: string[]) => [...a].sort().join(',') === [...b].sort().join(',');

/** The schema is made by this release's tools, so the backup must be this release's. */
function assertSameRelease(manifest: BackupManifest, installation: Installation): void {
  if (manifest.temporalMode !== installation.temporal.mode) {
    throw new Error(
      `备份来自 TEMPORAL_MODE=${manifest.temporalMode} 的安装，这里是 ${installation.temporal.mode}：未做任何改动`,
    );
  }
  const release = releaseMigrations();
  if (!sameMigrations(manifest.release.migrations, release)) {
    throw new Error(
      `备份来自另一个版本（${manifest.release.version}${manifest.release.commit ? `，commit ${manifest.release.commit.slice(0, 12)}` : ''}，` +
        `${manifest.release.migrations.length} 个迁移；本版本 ${release.length} 个）：用那个版本恢复，再运行 npm run migrate 升级。未做任何改动`,
    );
  }
}

/** Every target must be empty, or `replace` empties it; checked for all before any is touched. */
async function clearTargets(
  postgres: InstallationPostgres,
  installation: Installation,
  temporalDatabases: string[],
  options: RestoreOptions,
): Promise<void> {
  const occupied: string[] = [];
  const databases = [installation.appDatabase, ...temporalDatabases];
  for (const database of databases) {
    if ((await databaseExists(postgres.adminUrl, database)) && !(await isEmptyDatabase(postgres.urlOf(database)))) {
      occupied.push(`数据库 ${database}`);
    }
  }
  const sqliteFiles = installation.temporal.mode === 'dev' ? SQLITE_FILES(installation.temporal.dbFile) : [];
  const shm = `${installation.temporal.dbFile}-shm`;
  if (installation.temporal.mode === 'dev' && sqliteFiles.some((file) => existsSync(file))) {
    occupied.push(`文件 ${installation.temporal.dbFile}`);
  }
  const objects = path.join(installation.attachmentsDir, 'objects');
  if ((await listFiles(objects)).length > 0) occupied.push(`附件目录 ${objects}`);
  if (occupied.length === 0) return;
  if (!options.replace) {
    throw new Error(
      `要恢复到的安装已有数据（${occupied.join('，')}），未做任何改动。恢复到新的安装，或加 --replace 覆盖（那些数据会被删除）`,
    );
  }
  options.log(`--replace：删除 ${occupied.join('，')}`);
  for (const database of databases) await dropDatabase(postgres.adminUrl, database);
  for (const file of [...sqliteFiles, ...(installation.temporal.mode === 'dev' ? [shm] : [])])
    await rm(file, { force: true });
  await rm(objects, { recursive: true, force: true });
}

async function restoreAppDatabase(
  postgres: InstallationPostgres,
  installation: Installation,
  backupDir: string,
  part: DatabasePart,
): Promise<void> {
  await createDatabaseIfMissing(postgres.adminUrl, installation.appDatabase);
  const dataSource = await createDataSource({ url: postgres.appUrl, applicationName: 'county-restore' }).initialize();
  try {
    await runMigrations(dataSource);
    await assertSchemaCurrent(dataSource, 'the restore');
  } finally {
    await dataSource.destroy();
  }
  await loadDatabase(postgres.appUrl, path.join(backupDir, part.dir), part.snapshot);
}

/** Copies a part's files to where `target` says, checking each against the manifest on the way. */
async function copyPart(backupDir: string, part: FilesPart, target: (file: string) => string): Promise<void> {
  for (const file of part.files) {
    const to = target(file.path);
    const copied = await copyHashed(path.join(backupDir, part.dir, file.path), to, path.dirname(to));
    if (copied.sha256 !== file.sha256) throw new Error(`${part.dir}/${file.path} 在复制时变了（sha256 不符）`);
  }
}

async function databaseExists(adminUrl: string, database: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl, application_name: 'county-restore' });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
