import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from './postgres';
import { DATA_DIR } from './paths';
import { resolveTemporalCli } from './temporal-cli';
import { RunningTemporal, startTemporalServer } from './temporal-server';

export interface Dependencies {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  /** Human-readable notes on where each dependency came from. */
  notes: string[];
  stop(): Promise<void>;
}

export interface DependencyOptions {
  /** Persist Temporal to this SQLite file and serve the Web UI (npm start); omit for a throwaway server (tests). */
  temporal: { port: number; uiPort?: number; dbFile?: string };
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
      const cli = await resolveTemporalCli(options.log);
      options.log(`starting Temporal dev server on 127.0.0.1:${options.temporal.port}`);
      const temporal: RunningTemporal = await startTemporalServer({
        cli,
        ...options.temporal,
        logFile: path.join(DATA_DIR, 'logs', 'temporal.log'),
      });
      stops.push(temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
      notes.push(`Temporal: dev server (${cli.kind === 'binary' ? `${cli.path}, ${cli.source}` : 'SDK download'})`);
    }
    return { databaseUrl, temporalAddress, temporalUiUrl, notes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function createFileLog(file: string): (message: string) => void {
  mkdirSync(path.dirname(file), { recursive: true });
  return (message) => appendFileSync(file, `${message}\n`);
}
