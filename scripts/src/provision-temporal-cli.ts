import { resolveTemporalCli, resolveTemporalTools, TEMPORAL_TOOLS, TemporalTool } from './temporal-cli';

/**
 * `npm run temporal:provision`: the Temporal CLI (dev server, the default), then — where Go is installed — the
 * server, the SQL schema tool and the UI server that `TEMPORAL_MODE=server` runs, all from tools/temporal.
 */
async function main(): Promise<void> {
  const cli = await resolveTemporalCli();
  console.log(
    cli.kind === 'binary'
      ? `Temporal CLI: ${cli.path} (${cli.source})`
      : 'Temporal CLI: none; the SDK download will be used',
  );
  const serverParts = Object.keys(TEMPORAL_TOOLS).filter((tool) => tool !== 'temporal') as TemporalTool[];
  try {
    const built = await resolveTemporalTools(serverParts);
    for (const [tool, file] of Object.entries(built)) console.log(`${tool}: ${file}`);
  } catch (error) {
    // The dev server path still works; only TEMPORAL_MODE=server needs these.
    console.log(`TEMPORAL_MODE=server unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
