import { resolveTemporalCli } from './temporal-cli';

/** `npm run temporal:provision`: make sure a Temporal CLI is available, building it if needed. */
resolveTemporalCli()
  .then((cli) => {
    console.log(
      cli.kind === 'binary'
        ? `Temporal CLI: ${cli.path} (${cli.source})`
        : 'Temporal CLI: none; the SDK download will be used',
    );
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
