import { Logger } from '@nestjs/common';
import { processLogger } from '@county/logging';
import { APP_DATABASE_ROLE, checkReleaseSchema, SchemaMismatchError } from '@county/persistence';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config';

// First, so that everything the process prints — Nest, Fastify, a library's console call — is a JSON line.
const logger = processLogger({ service: 'api' });

async function main(): Promise<void> {
  const config = loadConfig();
  // The data source checks the schema too (for every createApp, the tests' included); checked here first, a
  // mismatch is the one fatal line below, not also Nest's module-initialisation error with its stack.
  await checkReleaseSchema(
    { url: config.databaseUrl, applicationName: 'county-api', role: APP_DATABASE_ROLE },
    'the API',
  );
  const app = await createApp(config, { logger });
  await app.listen({ port: config.port, host: config.host });
  new Logger('API').log(`listening on http://${config.host}:${config.port}/api/v1 (docs: /api/docs)`);
}

main().catch((error: unknown) => {
  // A configuration mistake or a schema of another release is the operator's to fix: say what it is, no stack trace.
  if (error instanceof ConfigError || error instanceof SchemaMismatchError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'the API could not start');
  process.exit(1);
});
