import path from 'node:path';
import { ROOT } from './paths';
import { TemporalMode, temporalMode } from './local-stack';

/**
 * Where one installation keeps its state, from the same environment `npm start`, the API and the worker read: the
 * application database, Temporal's persistence and the attachment store. `npm start` runs it; `npm run backup` and
 * `npm run restore` copy it, so all three agree on every default.
 */
export interface Installation {
  /** COUNTY_DATA_DIR, else the repository's .data. */
  dataDir: string;
  /** DATABASE_URL; undefined means `npm start`'s embedded cluster (`embeddedPostgres`). */
  databaseUrl: string | undefined;
  embeddedPostgres: { dataDir: string; port: number; database: string };
  /** The application database's name (DATABASE_URL's, else the embedded cluster's `county`). */
  appDatabase: string;
  temporal: TemporalStore;
  /** ATTACHMENTS_DIR, else `<dataDir>/attachments` (the API's and the worker's default). */
  attachmentsDir: string;
}

/**
 * Temporal's persistence: in `dev` mode (TEMPORAL_MODE, default) the dev server's SQLite file (TEMPORAL_DB_FILE,
 * else `<dataDir>/temporal.db`); in `server` mode the real server's two databases on the application's PostgreSQL
 * server (TEMPORAL_DATABASE and TEMPORAL_VISIBILITY_DATABASE, else `<app>_temporal` and `<app>_temporal_visibility`).
 */
export interface TemporalStore {
  mode: TemporalMode;
  dbFile: string;
  databases: { main: string; visibility: string };
}

export function installationFrom(env: NodeJS.ProcessEnv = process.env): Installation {
  const dataDir = path.resolve(env.COUNTY_DATA_DIR || path.join(ROOT, '.data'));
  const databaseUrl = env.DATABASE_URL || undefined;
  const appDatabase = databaseUrl ? new URL(databaseUrl).pathname.slice(1) || 'postgres' : 'county';
  return {
    dataDir,
    databaseUrl,
    embeddedPostgres: {
      dataDir: path.join(dataDir, 'postgres'),
      port: Number(env.EMBEDDED_POSTGRES_PORT ?? 54329),
      database: appDatabase,
    },
    appDatabase,
    temporal: {
      mode: temporalMode(env),
      dbFile: path.resolve(env.TEMPORAL_DB_FILE || path.join(dataDir, 'temporal.db')),
      databases: {
        main: env.TEMPORAL_DATABASE || `${appDatabase}_temporal`,
        visibility: env.TEMPORAL_VISIBILITY_DATABASE || `${appDatabase}_temporal_visibility`,
      },
    },
    attachmentsDir: path.resolve(env.ATTACHMENTS_DIR || path.join(dataDir, 'attachments')),
  };
}

/** `url` with another database name (e.g. Temporal's beside the application's, or `postgres` to create one). */
export function databaseUrlFor(url: string, database: string): string {
  return Object.assign(new URL(url), { pathname: `/${database}` }).toString();
}
