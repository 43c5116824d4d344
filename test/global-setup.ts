import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareDatabase } from '@county/api';
import { freePort } from '../scripts/src/free-port';
import { startDependencies } from '../scripts/src/local-stack';
import { createDatabaseIfMissing, dropDatabase } from '../scripts/src/postgres';
import { TEST_DEMO_PASSWORD } from '@county/test-kit';

/**
 * Starts the real services once for the whole run: a throwaway Temporal dev server and a throwaway
 * PostgreSQL (embedded, or a fresh database on DATABASE_URL's server), migrated and seeded.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const log = (message: string) => process.stdout.write(`\n[test setup] ${message}`);
  const externalUrl = process.env.DATABASE_URL;
  const dependencies = await startDependencies({
    temporal: {
      port: await freePort(),
      // TEMPORAL_MODE=server (the second pass of `npm test`): a real Temporal server on two throwaway databases.
      serverDatabases: {
        main: `county_test_${process.pid}_temporal`,
        visibility: `county_test_${process.pid}_temporal_vis`,
      },
      serverStateDir: path.join(os.tmpdir(), `county-test-temporal-${process.pid}`),
      throwaway: true,
    },
    postgres: {
      // A throwaway cluster under the system temp folder: when tests run as root, PostgreSQL runs as the
      // `postgres` OS user, which may not be able to enter the clone's folder (e.g. one made by mktemp -d).
      dataDir: path.join(os.tmpdir(), `county-test-postgres-${process.pid}`),
      port: await freePort(),
      database: 'county_test',
      persistent: false,
    },
    log,
  });

  let databaseUrl = dependencies.databaseUrl;
  let dropTestDatabase = async () => undefined as void;
  if (externalUrl) {
    // Never test against the developer's own database: make a fresh one beside it and drop it afterwards.
    const url = new URL(externalUrl);
    const name = `county_test_${process.pid}_${Date.now()}`;
    const adminUrl = new URL(externalUrl);
    adminUrl.pathname = '/postgres';
    await createDatabaseIfMissing(adminUrl.toString(), name);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropTestDatabase = () => dropDatabase(adminUrl.toString(), name);
  }

  await prepareDatabase({ databaseUrl, demoPassword: TEST_DEMO_PASSWORD });
  process.env.DATABASE_URL = databaseUrl;
  process.env.TEMPORAL_ADDRESS = dependencies.temporalAddress;
  process.env.DEMO_PASSWORD = TEST_DEMO_PASSWORD;
  // One 佐证材料 store for the run, like its one database: every API the suites start shares it (the audit check
  // re-hashes every file the database lists), and it goes with the database at the end.
  const givenAttachmentsDir = process.env.ATTACHMENTS_DIR;
  const attachmentsDir = givenAttachmentsDir ?? (await mkdtemp(path.join(os.tmpdir(), 'county-test-attachments-')));
  process.env.ATTACHMENTS_DIR = attachmentsDir;
  (globalThis as Record<string, unknown>).__COUNTY_TEST_STOP__ = async () => {
    if (!givenAttachmentsDir) await rm(attachmentsDir, { recursive: true, force: true });
    await dropTestDatabase().catch((error) => console.warn(`could not drop test database: ${String(error)}`));
    await dependencies.stop();
  };
  log(`${dependencies.notes.join('; ')} — ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
