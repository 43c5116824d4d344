import { prepareDatabase } from '@county/api';
import { createDatabaseIfMissing, dropDatabase } from '@county/scripts/dist/postgres';
import { TEST_DEMO_PASSWORD } from './constants';

/**
 * A database of the suite's own on the run's server, migrated and seeded in a beforeAll, for suites whose counts
 * other suites' rows would skew (the suites share one database). Call `drop` in an afterAll declared after
 * useStack (hooks run in the order they are declared, so the stack has let go of it by then).
 */
export function ownDatabase(name: string): { url: string; drop: () => Promise<void> } {
  const admin = new URL(process.env.DATABASE_URL!);
  admin.pathname = '/postgres';
  const database = `county_${name}_${process.pid}_${Date.now()}`;
  const url = Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${database}` }).toString();
  beforeAll(async () => {
    await createDatabaseIfMissing(admin.toString(), database);
    await prepareDatabase({ databaseUrl: url, demoPassword: TEST_DEMO_PASSWORD });
  }, 120_000);
  return { url, drop: () => dropDatabase(admin.toString(), database).catch(() => undefined) };
}
