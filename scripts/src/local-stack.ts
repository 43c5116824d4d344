import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from './postgres';
import { DATA_DIR } from './paths';
import { resolveTemporalCli } from './temporal-cli';
import { dropDatabase } from './postgres';
import { DEFAULT_SERVER_PORTS, startRealTemporalServer } from './temporal-real-server';
import { RunningTemporal, startTemporalServer } from './temporal-server';

/**
 * Which Temporal `npm start` and the tests run when TEMPORAL_ADDRESS is not given: `dev` (default) is the CLI's
 * dev server on SQLite; `server` is the real Temporal server on PostgreSQL, as in production.
 */
export type TemporalMode = 'dev' | 'server';

export function temporalMode(env: NodeJS.ProcessEnv = process.env): TemporalMode {
  const mode = env.TEMPORAL_MODE || 'dev';
  if (mode !== 'dev' && mode !== 'server') {
    throw new Error(`TEMPORAL_MODE=${mode} is not one of: dev (the default), server`);
  }
  return mode;
}

export interface Dependencies {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  /** Human-readable notes on where each dependency came from. */
  notes: string[];
  stop(): Promise<void>;
}

export interface DependencyOptions {
  /**
   * Persist Temporal to this SQLite file and serve the Web UI (npm start); omit for a throwaway server (tests).
   * In server mode, `serverDatabases` names Temporal's two databases on the application's PostgreSQL and
   * `serverStateDir` holds its configuration and log; `throwaway` drops those databases on stop (tests).
   */
  temporal: {
    port: number;
    uiPort?: number;
    dbFile?: string;
    serverDatabases: { main: string; visibility: string };
    serverStateDir: string;
    throwaway?: boolean;
  };
  /** Embedded cluster settings, used only when DATABASE_URL is not set. */
  postgres: { dataDir: string; port: number; database: string; persistent: boolean };
  log: (message: string) => void;
}

/**
 * Starts (or reuses) the two services everything needs: PostgreSQL from DATABASE_URL or an embedded
 * cluster, Temporal from TEMPORAL_ADDRESS or a dev server from the provisioned CLI. Shared by `npm start`
 * and the test suite's global setup so both run the system the same way.
 */
export async function startDependencies(options: DependencyOptions): Promise<Dependencies> {
  const stops: Array<() => Promise<void>> = [];
  const notes: string[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error) => options.log(`stop: ${String(error)}`));
  };

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (databaseUrl) {
      notes.push('PostgreSQL: DATABASE_URL');
    } else {
      options.log(
        `starting embedded PostgreSQL on 127.0.0.1:${options.postgres.port} (data: ${options.postgres.dataDir})`,
      );
      const postgresLog = createFileLog(path.join(DATA_DIR, 'logs', 'postgres.log'));
      const postgres = await startEmbeddedPostgres({ ...options.postgres, log: postgresLog });
      stops.push(postgres.stop);
      databaseUrl = postgres.url;
      notes.push(`PostgreSQL: embedded, 127.0.0.1:${options.postgres.port}, data in ${options.postgres.dataDir}`);
    }

    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    if (temporalAddress) {
      notes.push('Temporal: TEMPORAL_ADDRESS');
    } else {
      const mode = temporalMode();
      let temporal: RunningTemporal;
      if (mode === 'server') {
        const { serverDatabases, serverStateDir, throwaway, port, uiPort } = options.temporal;
        options.log(`starting Temporal server (PostgreSQL: ${serverDatabases.main}, ${serverDatabases.visibility})`);
        temporal = await startRealTemporalServer({
          postgresUrl: databaseUrl,
          databases: serverDatabases,
          stateDir: serverStateDir,
          // npm start keeps Temporal's usual ports; a test run lets the OS choose all of them.
          ports: throwaway ? { frontend: port } : { ...DEFAULT_SERVER_PORTS, frontend: port },
          uiPort,
          historyShards: positiveIntegerEnv('TEMPORAL_HISTORY_SHARDS', 4),
          retentionDays: positiveIntegerEnv('TEMPORAL_RETENTION_DAYS', 30),
          maxConns: positiveIntegerEnv('TEMPORAL_MAX_CONNS', 5),
          log: options.log,
        });
        if (throwaway) {
          const adminUrl = databaseUrl;
          stops.push(async () => {
            for (const name of [serverDatabases.main, serverDatabases.visibility]) await dropDatabase(adminUrl, name);
          });
        }
        notes.push(`Temporal: server on PostgreSQL (${serverDatabases.main}), config in ${serverStateDir}`);
      } else {
        const cli = await resolveTemporalCli(options.log);
        options.log(`starting Temporal dev server on 127.0.0.1:${options.temporal.port}`);
        temporal = await startTemporalServer({
          cli,
          port: options.temporal.port,
          uiPort: options.temporal.uiPort,
          dbFile: options.temporal.dbFile,
          logFile: path.join(DATA_DIR, 'logs', 'temporal.log'),
        });
        notes.push(`Temporal: dev server (${cli.kind === 'binary' ? `${cli.path}, ${cli.source}` : 'SDK download'})`);
      }
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }
    return { databaseUrl, temporalAddress, temporalUiUrl, notes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function positiveIntegerEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} must be a whole number of at least 1`);
  return value;
}

function createFileLog(file: string): (message: string) => void {
  mkdirSync(path.dirname(file), { recursive: true });
  return (message) => appendFileSync(file, `${message}\n`);
}
