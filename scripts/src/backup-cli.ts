import path from 'node:path';
import { installationFrom } from './installation';
import { runBackup } from './backup/backup';

const USAGE = '用法：npm run backup [-- --out <目录>]（默认 BACKUP_DIR，否则 <数据目录>/backups）';

/** `npm run backup`: see scripts/src/backup/backup.ts and README, "Operating". */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let out = process.env.BACKUP_DIR;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && args[i + 1]) out = args[++i];
    else if (args[i] === '--help' || args[i] === '-h') return void console.log(USAGE);
    else throw new UsageError(`不认识的参数 ${args[i]}。${USAGE}`);
  }
  const installation = installationFrom();
  await runBackup(installation, {
    outDir: path.resolve(out ?? path.join(installation.dataDir, 'backups')),
    log: (message) => console.log(`[backup] ${message}`),
  });
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  console.error(`[backup] 备份失败：${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
