import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { createDataSource, runMigrations } from '@county/persistence';
import { listFiles } from '@county/scripts/dist/backup/files';
import { dumpDatabase, loadDatabase } from '@county/scripts/dist/backup/pg-snapshot';
import { createDatabaseIfMissing, dropDatabase } from '@county/scripts/dist/postgres';
import { generateReadModel } from './read-model';
import { Row } from './stats';

/**
 * `npm run backup`'s database step at the read model's benchmark size (READ_MODEL_SIZES: 100,000 assignments):
 * the snapshot of every table (scripts/src/backup/pg-snapshot.ts) and its load into a freshly migrated database,
 * against pg_dump / pg_restore of the same database in the same run, when they are on PATH (the machine's client may
 * be older than the server: then they refuse, and the figures stand without a baseline).
 */
export async function measureBackup(
  databaseUrl: string,
  log: (message: string) => void,
): Promise<{ rows: Row[]; notes: string[] }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'county-bench-backup-'));
  const admin = Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString();
  const target = `${new URL(databaseUrl).pathname.slice(1)}_restored`;
  const targetUrl = Object.assign(new URL(databaseUrl), { pathname: `/${target}` }).toString();
  const notes: string[] = [];
  try {
    log('backup: filling the read model');
    const generated = await generateReadModel(pool);
    const dbBytes = Number(
      (await pool.query<{ n: string }>('SELECT pg_database_size(current_database())::text AS n')).rows[0].n,
    );

    log('backup: snapshot');
    let started = performance.now();
    const snapshot = await dumpDatabase(databaseUrl, path.join(scratch, 'app'));
    const dumpMs = performance.now() - started;
    const rows = snapshot.tables.reduce((sum, table) => sum + table.rows, 0);
    const bytes = snapshot.tables.reduce((sum, table) => sum + table.file.bytes, 0);

    await createDatabaseIfMissing(admin, target);
    const dataSource = await createDataSource({ url: targetUrl }).initialize();
    await runMigrations(dataSource);
    await dataSource.destroy();
    log('backup: load');
    started = performance.now();
    await loadDatabase(targetUrl, path.join(scratch, 'app'), snapshot);
    const loadMs = performance.now() - started;

    const pgDump = toolVersion('pg_dump');
    let dumpBaseline: number | undefined;
    let restoreBaseline: number | undefined;
    let pgDumpBytes: number | undefined;
    if (pgDump) {
      try {
        const file = path.join(scratch, 'pg_dump.custom');
        started = performance.now();
        execFileSync('pg_dump', ['-Fc', '-f', file, databaseUrl], { stdio: ['ignore', 'ignore', 'pipe'] });
        dumpBaseline = performance.now() - started;
        pgDumpBytes = statSync(file).size;
        await dropDatabase(admin, target);
        await createDatabaseIfMissing(admin, target);
        started = performance.now();
        execFileSync('pg_restore', ['--no-owner', '-d', targetUrl, file], { stdio: ['ignore', 'ignore', 'pipe'] });
        restoreBaseline = performance.now() - started;
        notes.push(`baseline: ${pgDump} (-Fc, then pg_restore of schema and data into an empty database)`);
      } catch (error) {
        notes.push(
          `no pg_dump baseline: ${
            String((error as { stderr?: Buffer }).stderr ?? error)
              .trim()
              .split('\n')[0]
          }`,
        );
        dumpBaseline = restoreBaseline = undefined;
      }
    } else notes.push('no pg_dump on PATH: the figures stand without a baseline');

    notes.push(
      `read model: ${JSON.stringify(generated.counts)}; database ${(dbBytes / 2 ** 20).toFixed(0)} MB; ` +
        `snapshot ${snapshot.tables.length} tables, ${rows.toLocaleString('en-US')} rows, ` +
        `${(bytes / 2 ** 20).toFixed(1)} MB gzip'd in ${(await listFiles(path.join(scratch, 'app'))).length} files` +
        (pgDumpBytes ? ` (pg_dump -Fc: ${(pgDumpBytes / 2 ** 20).toFixed(1)} MB)` : ''),
    );
    return {
      rows: [
        {
          figure: 'backup: snapshot of the application database',
          value: dumpMs,
          unit: 'ms',
          ...(dumpBaseline ? { baseline: { name: 'pg_dump -Fc', value: dumpBaseline } } : {}),
        },
        { figure: 'backup: snapshot throughput', value: rows / (dumpMs / 1000), unit: 'rows/s' },
        {
          figure: 'restore: load into the migrated schema',
          value: loadMs,
          unit: 'ms',
          ...(restoreBaseline ? { baseline: { name: 'pg_restore', value: restoreBaseline } } : {}),
        },
        { figure: 'restore: load throughput', value: rows / (loadMs / 1000), unit: 'rows/s' },
      ],
      notes,
    };
  } finally {
    await pool.end();
    await dropDatabase(admin, target).catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

function toolVersion(tool: string): string | undefined {
  try {
    return execFileSync(tool, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
