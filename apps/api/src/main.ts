import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('API').log(`listening on http://${config.host}:${config.port}/api/v1 (docs: /api/docs)`);
}

main().catch((error: unknown) => {
  // A configuration mistake is the operator's to fix: say what it is, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
