import { Unit } from '@county/domain';
import {
  assertSchemaCurrent,
  createDataSource,
  readSchemaStatus,
  runMigrations,
  SchemaMismatchError,
  UnitRepository,
  UserRepository,
} from '@county/persistence';
import { PasswordService } from '../auth/password.service';
import { demoUsers } from './demo-users';
import { loadUnitRegistry } from './seeds';

export interface PrepareDatabaseOptions {
  databaseUrl: string;
  /** Create the demo users with this password; omit in production. */
  demoPassword?: string;
  log?: (message: string) => void;
}

export interface PrepareDatabaseResult {
  migrationsApplied: string[];
  units: number;
  demoUsersCreated: number;
}

/**
 * Brings a database up to date: migrations, then the unit registry, then (local mode only) demo users.
 * Safe to run on every start and from several processes at once.
 */
export async function prepareDatabase(options: PrepareDatabaseOptions): Promise<PrepareDatabaseResult> {
  const log = options.log ?? (() => undefined);
  const dataSource = await createDataSource({
    url: options.databaseUrl,
    applicationName: 'county-migrate',
  }).initialize();
  try {
    // Forward-only: an older release never runs on (or "migrates") a database a newer release has migrated.
    const { unknown } = await readSchemaStatus(dataSource);
    if (unknown.length > 0) {
      throw new SchemaMismatchError(
        `migrations refused: the database has migrations this release does not know (${unknown.join(', ')}); ` +
          `a newer release migrated it, and migrations are forward-only`,
      );
    }
    const migrationsApplied = await runMigrations(dataSource);
    await assertSchemaCurrent(dataSource, 'the migration');
    log(
      migrationsApplied.length
        ? `applied migrations: ${migrationsApplied.join(', ')}`
        : 'database schema is up to date',
    );

    const units = await loadUnitRegistry();
    await new UnitRepository(dataSource).upsertMany(units);
    log(`unit registry: ${units.length} units`);

    let demoUsersCreated = 0;
    if (options.demoPassword !== undefined) {
      demoUsersCreated = await createDemoUsers(new UserRepository(dataSource), units, options.demoPassword);
      log(demoUsersCreated ? `created ${demoUsersCreated} demo users` : 'demo users already exist');
    }
    return { migrationsApplied, units: units.length, demoUsersCreated };
  } finally {
    await dataSource.destroy();
  }
}

async function createDemoUsers(users: UserRepository, units: Unit[], password: string): Promise<number> {
  const wanted = demoUsers(units);
  const existing = await users.existingUsernames(wanted.map((user) => user.username));
  const missing = wanted.filter((user) => !existing.has(user.username));
  if (missing.length === 0) return 0;
  // One hash for all demo users: argon2 is deliberately slow, and ~90 hashes would add seconds to every fresh start.
  const passwordHash = await new PasswordService().hash(password);
  return users.insertMissing(missing.map((user) => ({ ...user, passwordHash })));
}
