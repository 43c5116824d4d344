import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const HISTORIES = path.join(__dirname, 'histories');
const WORKFLOWS = require.resolve('@county/workflows/workflows');

/** Histories are stored as the client's fetchHistory() object in JSON; fromObject restores Longs and enums. */
function loadHistory(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')));
}

/**
 * Recorded histories of real runs (RECORD_HISTORIES=1 records the missing ones; see test/support/histories.ts)
 * replayed against the current workflow code: a change that would break running workflows fails here.
 * Make deliberate changes with patched().
 */
describe('workflow replay', () => {
  const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));

  it('has recorded histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'task-happy-path.json',
        'assignment-approved.json',
        'assignment-returned-resubmitted.json',
        'call-happy-path.json',
      ]),
    );
  });

  it.each(files)('%s replays deterministically', async (file) => {
    await expect(
      Worker.runReplayHistory({ workflowsPath: WORKFLOWS }, loadHistory(file), file),
    ).resolves.toBeUndefined();
  });

  it('catches a history the code would not produce (the check can fail)', async () => {
    const history = loadHistory('assignment-approved.json');
    // Drop the first scheduled activity: the code will schedule it, the history says it never happened.
    const index = history.events.findIndex((event) => event.activityTaskScheduledEventAttributes);
    history.events.splice(index, 3);
    await expect(Worker.runReplayHistory({ workflowsPath: WORKFLOWS }, history, 'tampered')).rejects.toThrow();
  });
});
