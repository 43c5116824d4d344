import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Client } from '@temporalio/client';

/** test/histories (the same from this package's src and dist). */
export const HISTORIES_DIRECTORY = path.resolve(__dirname, '..', '..', 'histories');

/**
 * The ledger of every history ever committed (`sha256  file`, as `sha256sum` writes it): histories are append-only,
 * because each stands for what a released worker wrote and every later release must still replay it. replay.spec
 * checks that the directory and the ledger agree file for file and hash for hash, so a history deleted or
 * re-recorded fails CI unless the ledger is edited too — visibly, in review.
 */
export const HISTORY_LEDGER = path.join(HISTORIES_DIRECTORY, 'ledger.sha256');

export function readHistoryLedger(): Map<string, string> {
  const entries = new Map<string, string>();
  if (!existsSync(HISTORY_LEDGER)) return entries;
  for (const line of readFileSync(HISTORY_LEDGER, 'utf8').split('\n').filter(Boolean)) {
    const [sha256, file] = line.split(/\s+/);
    entries.set(file, sha256);
  }
  return entries;
}

export const historySha256 = (file: string) =>
  createHash('sha256')
    .update(readFileSync(path.join(HISTORIES_DIRECTORY, file)))
    .digest('hex');

/**
 * With RECORD_HISTORIES=1, saves workflow histories of a test run for test/replay.spec.ts, which replays
 * them against later workflow code. A history already recorded is kept: it stands for what earlier code
 * did, which is exactly what later code must still replay (RECORD_HISTORIES=overwrite replaces one only while it
 * is not yet in the ledger, i.e. before it was committed). After a release, change workflows with patched().
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
    if (readHistoryLedger().has(`${name}.json`)) {
      throw new Error(
        `${name}.json is in test/histories/ledger.sha256: a committed history is never re-recorded (a running ` +
          'workflow may have written it); record the new behaviour under a new name',
      );
    }
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(file, JSON.stringify(history));
    // Formatted as `npm run lint` expects, so a recording needs no extra step. (Prettier's API is ESM-only
    // under Jest, so its command line does it.)
    execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--write', file], {
      stdio: 'ignore',
    });
    const ledger = readHistoryLedger();
    ledger.set(`${name}.json`, historySha256(`${name}.json`));
    writeFileSync(
      HISTORY_LEDGER,
      [...ledger.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([entry, sha256]) => `${sha256}  ${entry}\n`)
        .join(''),
    );
  }
}
