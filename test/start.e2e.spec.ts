import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../scripts/src/free-port';
import { runNodeScript } from './support/node-process';
import { waitFor } from './support/wait';

const START_SCRIPT = path.resolve(__dirname, '../scripts/dist/start.js');

/**
 * `npm start` end to end, reusing this run's PostgreSQL and Temporal (DATABASE_URL / TEMPORAL_ADDRESS)
 * so it is quick: the orchestrator migrates and seeds, launches the worker and the API as child
 * processes, reports healthy, and Ctrl-C (SIGINT) stops every child.
 */
describe('npm start', () => {
  it('brings up the worker and the API, answers health, and stops everything on SIGINT', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'county-start-'));
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
      expect(output()).toContain('worker polling task queue');
      expect(output()).toContain('Demo login');

      start.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output()).toContain('worker stopped');
      await expect(fetch(`http://127.0.0.1:${port}/api/v1/health`)).rejects.toThrow();
    } finally {
      if (start.exitCode === null) start.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      if (!output().includes('is running')) console.log(output());
    }
  });
});
