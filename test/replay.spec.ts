import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { historySha256, readHistoryLedger } from '@county/test-kit';

const HISTORIES = path.join(__dirname, 'histories');
const WORKFLOWS = require.resolve('@county/workflows/workflows');

/** Histories are stored as the client's fetchHistory() object in JSON; fromObject restores Longs and enums. */
function loadHistory(file: string): temporal.api.history.v1.History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(HISTORIES, file), 'utf8')));
}

/**
 * Recorded histories of real runs (RECORD_HISTORIES=1 records the missing ones; see test/kit/src/histories.ts)
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

  it('replays every history ever committed: the directory and its ledger agree file for file, hash for hash', () => {
    const ledger = readHistoryLedger();
    const onDisk = new Map(files.map((file) => [file, historySha256(file)]));
    // A history deleted, changed or re-recorded (or one recorded without its ledger line) fails here.
    expect(Object.fromEntries(onDisk)).toEqual(Object.fromEntries(ledger));
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

  describe('a real code change to a workflow', () => {
    // A copy of the built workflows beside the real ones (so the bundler resolves the same packages),
    // with one edit to assignmentWorkflow: a one-second timer before anything else, as someone "adding
    // a short pause" might write it.
    const built = path.dirname(WORKFLOWS);
    const copies = path.join(built, `.replay-${process.pid}`);
    const FIRST_LINE = 'const continued = input.continued;';
    const variant = (name: string, edit: string) => {
      const dir = path.join(copies, name);
      mkdirSync(dir, { recursive: true });
      for (const file of readdirSync(built).filter((name) => name.endsWith('.js')))
        copyFileSync(path.join(built, file), path.join(dir, file));
      const file = path.join(dir, 'assignment.workflow.js');
      const code = readFileSync(file, 'utf8');
      if (!code.includes(FIRST_LINE)) throw new Error(`assignment.workflow.js no longer has "${FIRST_LINE}"`);
      writeFileSync(file, code.replace(FIRST_LINE, `${FIRST_LINE}\n${edit}`));
      return path.join(dir, 'index.js');
    };
    const replay = (workflowsPath: string) =>
      Worker.runReplayHistory({ workflowsPath }, loadHistory('assignment-approved.json'), 'changed');

    afterAll(() => rmSync(copies, { recursive: true, force: true }));

    it('the unchanged copy replays (the copy itself is sound)', async () => {
      await expect(replay(variant('unchanged', ''))).resolves.toBeUndefined();
    });

    it('an added timer is caught as non-determinism', async () => {
      await expect(replay(variant('timer', 'await (0, workflow_1.sleep)(1000);'))).rejects.toThrow(/[Nn]ondetermin/);
    });

    it('the same change behind patched() replays', async () => {
      await expect(
        replay(variant('patched', "if ((0, workflow_1.patched)('pause-first')) await (0, workflow_1.sleep)(1000);")),
      ).resolves.toBeUndefined();
    });
  });
});
