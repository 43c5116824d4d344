import path from 'node:path';
import { installationFrom } from './installation';
import { runRestore } from './backup/restore';

const USAGE = '用法：npm run restore -- <备份目录> [--replace]';

/** `npm run restore -- <backup>`: see scripts/src/backup/restore.ts and README, "Operating". */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const replace = args.includes('--replace');
  const rest = args.filter((arg) => arg !== '--replace');
  if (rest.length !== 1 || rest[0].startsWith('-')) throw new UsageError(USAGE);
  await runRestore(installationFrom(), path.resolve(rest[0]), {
    replace,
    log: (message) => console.log(`[restore] ${message}`),
  });
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  console.error(`[restore] 恢复失败：${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
