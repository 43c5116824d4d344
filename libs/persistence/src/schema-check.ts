import { DataSource } from 'typeorm';
import { createDataSource, DataSourceOptions, MIGRATIONS } from './data-source';

/**
 * An API or worker must run on the schema its own release was written for. Migrations are forward-only and run by
 * one step of an upgrade (`npm run migrate`), not by every replica: a process started on a database that is behind
 * would fail on its first query of a new column, and one started on a database a newer release has migrated (an
 * old replica left running, or a rollback of the code only) would write rows the new schema's rules no longer
 * expect. So both refuse to start, and say which migrations differ.
 */
export class SchemaMismatchError extends Error {}

export interface SchemaStatus {
  /** This release's migrations the database has not applied, oldest first. */
  missing: string[];
  /** Migrations the database has applied that this release does not know (a newer release ran them). */
  unknown: string[];
}

const RELEASE_MIGRATIONS = MIGRATIONS.map((migration) => new migration().name as string);

/** This release's migrations by name, oldest first (a backup's manifest records them; a restore compares). */
export const releaseMigrations = (): string[] => [...RELEASE_MIGRATIONS];

export async function readSchemaStatus(dataSource: DataSource): Promise<SchemaStatus> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [{ present }] = await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
  const applied = new Set<string>(
    present ? (await dataSource.query(`SELECT name FROM "${table}"`)).map((row: { name: string }) => row.name) : [],
  );
  const known = new Set(RELEASE_MIGRATIONS);
  return {
    missing: RELEASE_MIGRATIONS.filter((name) => !applied.has(name)),
    unknown: [...applied].filter((name) => !known.has(name)).sort(),
  };
}

/** Throws SchemaMismatchError unless the database has applied exactly this release's migrations. */
export async function assertSchemaCurrent(dataSource: DataSource, program: string): Promise<void> {
  const { missing, unknown } = await readSchemaStatus(dataSource);
  if (unknown.length > 0) {
    throw new SchemaMismatchError(
      `${program} refuses to start: the database schema is ahead of this release — it has migrations this code ` +
        `does not know (${unknown.join(', ')}). A newer release migrated it: start that release (migrations are ` +
        `forward-only; see README, "Operating").`,
    );
  }
  if (missing.length > 0) {
    throw new SchemaMismatchError(
      `${program} refuses to start: the database schema is behind this release — ${missing.length} migration(s) ` +
        `not applied (${missing.join(', ')}). Run \`npm run migrate\` (node apps/api/dist/migrate.js) first.`,
    );
  }
}

/**
 * The API's and the worker's way to open their database: connected, and on this release's schema. On a server no
 * migration has touched, the app role does not exist yet and the connection itself fails: that is "behind" too.
 */
export async function openReleaseDataSource(options: DataSourceOptions, program: string): Promise<DataSource> {
  let dataSource: DataSource;
  try {
    dataSource = await createDataSource(options).initialize();
  } catch (error) {
    if (options.role && error instanceof Error && error.message.includes(`role "${options.role}" does not exist`)) {
      throw new SchemaMismatchError(
        `${program} refuses to start: the database has never been migrated (role ${options.role} does not exist). ` +
          `Run \`npm run migrate\` (node apps/api/dist/migrate.js) first.`,
      );
    }
    throw error;
  }
  try {
    await assertSchemaCurrent(dataSource, program);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * The same check before a process builds anything else: the API's main.ts runs it before Nest starts, so a refusal
 * is the one-line message, not a Nest bootstrap stack trace.
 */
export async function checkReleaseSchema(options: DataSourceOptions, program: string): Promise<void> {
  await (await openReleaseDataSource({ ...options, poolSize: 1 }, program)).destroy();
}
