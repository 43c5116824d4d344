import { processLogger } from '@county/logging';
import { SchemaMismatchError } from '@county/persistence';
import { ConfigError, loadConfig } from './config';
import { prepareDatabase } from './database/prepare-database';

// Its lines (console.* below and in prepareDatabase) are JSON like the API's: in a container both share one log.
processLogger({ service: 'migrate' });

/**
 * `npm run migrate` (`node apps/api/dist/migrate.js`): migrations and the unit registry (and demo users outside
 * production). Run once per deployment before starting API replicas and workers, which refuse a schema that is not
 * their release's; `npm start` does the same in-process.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase({ databaseUrl: config.databaseUrl, demoPassword: config.demoPassword, log: console.log });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof SchemaMismatchError ? error.message : error);
  process.exit(1);
});
