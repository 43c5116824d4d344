import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { databaseUrlFor, Installation } from '../installation';
import { runningPostmasterPid, startEmbeddedPostgres } from '../postgres';
import { processesWithOpen } from './files';

/** The PostgreSQL server an installation's databases live on, opened for a backup or a restore. */
export interface InstallationPostgres {
  /** The application database. */
  appUrl: string;
  /** The same server's `postgres` database, to create and drop databases from. */
  adminUrl: string;
  /** The same server, another database (Temporal's). */
  urlOf(database: string): string;
  /** Stops the embedded cluster if this opened it; nothing for DATABASE_URL. */
  close(): Promise<void>;
}

/**
 * DATABASE_URL's server, or `npm start`'s embedded cluster, started for the duration and stopped after. An embedded
 * cluster already running means `npm start` is: then nothing is touched.
 */
export async function openInstallationPostgres(
  installation: Installation,
  what: '备份' | '恢复',
  log: (message: string) => void,
): Promise<InstallationPostgres> {
  let appUrl = installation.databaseUrl;
  let close: () => Promise<void> = async () => undefined;
  if (!appUrl) {
    const { dataDir, port, database } = installation.embeddedPostgres;
    const pid = runningPostmasterPid(dataDir);
    if (pid !== undefined) {
      throw new Error(`npm start 仍在运行（内嵌 PostgreSQL，pid ${pid}）：先按 Ctrl-C 停止它，再${what}`);
    }
    if (what === '备份' && !existsSync(path.join(dataDir, 'PG_VERSION'))) {
      throw new Error(`没有可备份的安装：${dataDir} 里没有 PostgreSQL 数据（或用 DATABASE_URL 指明数据库）`);
    }
    log(`启动内嵌 PostgreSQL（${dataDir}）`);
    const embedded = await startEmbeddedPostgres({ dataDir, port, database, persistent: true, log: () => undefined });
    appUrl = embedded.url;
    close = embedded.stop;
  }
  const url = appUrl;
  return {
    appUrl: url,
    adminUrl: databaseUrlFor(url, 'postgres'),
    urlOf: (database) => databaseUrlFor(url, database),
    close,
  };
}

/**
 * A backup is one consistent moment only if nothing moves the read model or the workflows while it is taken, and a
 * restore must not pull the ground from under a running process: so both refuse while an API, a worker or a
 * migration is connected to the application database (they name themselves `county-*` in pg_stat_activity), or,
 * in dev mode, while anything has the Temporal dev server's SQLite file open. In server mode the Temporal server
 * may keep running during a backup: without a worker, a timer that fires is only recorded, and handled after.
 * `temporalDatabases`: the restore's targets, which nothing at all may be connected to.
 */
export async function assertInstallationStopped(
  postgres: InstallationPostgres,
  installation: Installation,
  what: '备份' | '恢复',
  temporalDatabases: string[] = [],
): Promise<void> {
  const client = new Client({ connectionString: postgres.adminUrl, application_name: 'county-backup' });
  await client.connect();
  try {
    const { rows } = await client.query<{ who: string; n: number }>(
      `SELECT coalesce(nullif(application_name, ''), datname) AS who, count(*)::int AS n FROM pg_stat_activity
        WHERE pid <> pg_backend_pid()
          AND ((datname = $1 AND application_name LIKE 'county-%'
                AND application_name NOT IN ('county-backup', 'county-restore'))
               OR datname = ANY($2))
        GROUP BY 1 ORDER BY 1`,
      [installation.appDatabase, temporalDatabases],
    );
    if (rows.length > 0) {
      const who = rows.map((row) => `${row.who} ×${row.n}`).join('，');
      throw new Error(
        `API、worker 或 Temporal 仍连着要${what}的数据库（${who}）：先停止它们再${what}` +
          (what === '备份' ? '，否则读模型和 Temporal 的状态会不一致' : ''),
      );
    }
  } finally {
    await client.end();
  }
  if (installation.temporal.mode === 'dev') {
    const holders = processesWithOpen(installation.temporal.dbFile);
    if (holders.length > 0) {
      throw new Error(
        `Temporal 开发服务器仍在使用 ${installation.temporal.dbFile}（进程 ${holders.join('，')}）：先停止 npm start 再${what}`,
      );
    }
  }
}
