import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client } from '@temporalio/client';

/** test/histories (the same from this package's src and dist). */
export const HISTORIES_DIRECTORY = path.resolve(__dirname, '..', '..', 'histories');

/**
 * With RECORD_HISTORIES=1, saves workflow histories of a test run for test/replay.spec.ts, which replays
 * them against later workflow code. A history already recorded is kept: it stands for what earlier code
 * did, which is exactly what later code must still replay (RECORD_HISTORIES=overwrite replaces them, for
 * changes made before a release). After a release, change workflows with patched().
 */
export async function recordHistories(client: Client, workflows: Record<string, string | undefined>): Promise<void> {
  const mode = process.env.RECORD_HISTORIES;
  if (mode !== '1' && mode !== 'overwrite') return;
  mkdirSync(HISTORIES_DIRECTORY, { recursive: true });
  for (const [name, workflowId] of Object.entries(workflows)) {
    // A workflow the run did not get to (undefined) is not recorded.
    if (workflowId === undefined) continue;
    const file = path.join(HISTORIES_DIRECTORY, `${name}.json`);
    if (mode === '1' && existsSync(file)) continue;
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(file, JSON.stringify(history));
    // Formatted as `npm run lint` expects, so a recording needs no extra step. (Prettier's API is ESM-only
    // under Jest, so its command line does it.)
    execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', file], {
      stdio: 'ignore',
    });
  }
}
