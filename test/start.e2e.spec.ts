import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { taskWorkflowId } from '@county/workflows';
import { freePort } from '../scripts/src/free-port';
import { runNodeScript } from './support/node-process';
import { useStack, waitFor } from '@county/test-kit';

const START_SCRIPT = path.resolve(__dirname, '../scripts/dist/start.js');

/**
 * `npm start` end to end, reusing this run's PostgreSQL and Temporal (DATABASE_URL / TEMPORAL_ADDRESS)
 * so it is quick: the orchestrator migrates and seeds, launches the worker and the API as child
 * processes, imports the seed list once, reports healthy, and Ctrl-C (SIGINT) stops every child.
 */
describe('npm start', () => {
  // Only a Temporal client: `npm start` brings its own worker and API.
  const stack = useStack({ api: false });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'county-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Runs start until it reports "running", checks health, stops it with SIGINT; returns its output. */
  async function startAndStop(): Promise<string> {
    const port = await freePort();
    const {
      child: start,
      output,
      exited,
    } = runNodeScript(START_SCRIPT, { PORT: String(port), COUNTY_DATA_DIR: dataDir });
    try {
      await waitFor('npm start to report that it is running', async () => output().includes('is running'), 90_000, 250);
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', db: 'up', temporal: 'up' });

      start.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
      return output();
    } finally {
      if (start.exitCode === null) start.kill('SIGKILL');
      if (!output().includes('is running')) console.log(output());
    }
  }

  it('brings up the worker and the API, imports the seed list once, and stops everything on SIGINT', async () => {
    const first = await startAndStop();
    expect(first).toContain('worker polling task queue');
    expect(first).toContain('Demo login');
    expect(first).toContain('worker stopped');
    expect(first).toMatch(
      /Seed plan +平罗县推进基层整合审批服务执法力量改革工作任务清单 — 16 tasks imported \(plan [0-9a-f-]{36}\)/,
    );

    // Importing the seed list started one task workflow per task, visible in Temporal and in GET /tasks.
    const planId = /16 tasks imported \(plan ([0-9a-f-]{36})\)/.exec(first)![1];
    for (let no = 1; no <= 16; no += 1) {
      const description = await stack.temporal.workflow.getHandle(taskWorkflowId(planId, no)).describe();
      expect(description.type).toBe('taskWorkflow');
    }

    const second = await startAndStop();
    expect(second).toMatch(/Seed plan +already imported \(plan [0-9a-f-]{36}\)/);
  });
});
