import { processLogger } from '@county/logging';
import { ConfigError, loadConfig } from './config';
import { prepareDatabase } from './database/prepare-database';

/**
 * `node apps/api/dist/migrate.js`: migrations and the unit registry (and demo users outside production).
 * Run once per deployment before starting API replicas; `npm start` does the same in-process.
 */
// Its lines (console.* below and in prepareDatabase) are JSON like the API's: in a container both share one log.
processLogger({ service: 'migrate' });

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase({ databaseUrl: config.databaseUrl, demoPassword: config.demoPassword, log: console.log });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
