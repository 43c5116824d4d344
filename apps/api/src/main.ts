import { Logger } from '@nestjs/common';
import { processLogger } from '@county/logging';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config';

// First, so that everything the process prints — Nest, Fastify, a library's console call — is a JSON line.
const logger = processLogger({ service: 'api' });

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config, { logger });
  await app.listen({ port: config.port, host: config.host });
  new Logger('API').log(`listening on http://${config.host}:${config.port}/api/v1 (docs: /api/docs)`);
}

main().catch((error: unknown) => {
  // A configuration mistake is the operator's to fix: say what it is, without a stack trace.
  if (error instanceof ConfigError) logger.fatal(error.message);
  else logger.fatal({ err: error }, 'the API could not start');
  process.exit(1);
});
