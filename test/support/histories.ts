import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';

const DIRECTORY = path.join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1, saves workflow histories of a test run for test/replay.spec.ts, which replays
 * them against later workflow code. Re-record only for changes made before a release; after one, change
 * workflows with patched() so the old histories keep replaying.
 */
export async function recordHistories(client: Client, workflows: Record<string, string>): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(DIRECTORY, { recursive: true });
  for (const [name, workflowId] of Object.entries(workflows)) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(path.join(DIRECTORY, `${name}.json`), `${JSON.stringify(history, null, 1)}\n`);
  }
}
