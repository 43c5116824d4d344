import { spawn } from 'node:child_process';
import path from 'node:path';
import { createDataSource, MIGRATIONS } from '@county/persistence';
import { freePort } from '@county/scripts/dist/free-port';
import { createDatabaseIfMissing, dropDatabase } from '@county/scripts/dist/postgres';
import { queryRows, waitFor } from '@county/test-kit';
import { runNodeScript } from './support/node-process';

const ROOT = path.resolve(__dirname, '..');
const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
const WORKER_MAIN = path.join(ROOT, 'apps/worker/dist/main.js');
const LAST_MIGRATION = new MIGRATIONS[MIGRATIONS.length - 1]().name as string;
/** A migration a newer release would have run. */
const FUTURE_MIGRATION = 'FromANewerRelease9999999999999';

/**
 * Upgrades (issue 20): migrations are one forward-only step, `npm run migrate`, and an API or worker started on a
 * schema that is not its release's refuses to start and says why, instead of failing on its first query or writing
 * rows a newer schema does not expect. Real processes (the built entry points, `npm run migrate` itself) on a
 * scratch database of the run's PostgreSQL.
 */
describe('the schema check at start', () => {
  const admin = Object.assign(new URL(process.env.DATABASE_URL!), { pathname: '/postgres' }).toString();
  const name = `county_schema_${process.pid}_${Date.now()}`;
  const url = Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${name}` }).toString();

  beforeAll(async () => {
    await createDatabaseIfMissing(admin, name);
    // Every migration but the last: a database the previous release left.
    const dataSource = await createDataSource({ url }).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      await dataSource.undoLastMigration();
    } finally {
      await dataSource.destroy();
    }
  }, 120_000);
  afterAll(() => dropDatabase(admin, name).catch(() => undefined));

  /** Starts an entry point on the scratch database and returns its exit code and output once it has exited. */
  const runToExit = async (script: string) => {
    const started = runNodeScript(script, {
      DATABASE_URL: url,
      PORT: String(await freePort()),
      TEMPORAL_ADDRESS: '127.0.0.1:1', // never reached: the schema is checked first
      TEMPORAL_TASK_QUEUE: `schema-check-${process.pid}`,
    });
    const timer = setTimeout(() => started.child.kill('SIGKILL'), 60_000);
    const code = await started.exited;
    clearTimeout(timer);
    return { code, output: started.output() };
  };

  const migrate = () =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'migrate'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.once('exit', (code) => resolve({ code, output }));
    });

  it('the API and the worker refuse a schema that is behind, naming the migration and the command', async () => {
    for (const [script, program] of [
      [API_MAIN, 'the API'],
      [WORKER_MAIN, 'the worker'],
    ]) {
      const { code, output } = await runToExit(script);
      expect({ program, code }).toEqual({ program, code: 1 });
      expect(output).toContain(`${program} refuses to start: the database schema is behind this release`);
      expect(output).toContain(LAST_MIGRATION);
      expect(output).toContain('npm run migrate');
      expect(output).not.toMatch(/\n\s+at /); // a message for the operator, not a stack trace
    }
  }, 150_000);

  it('`npm run migrate` brings it forward; then the API starts', async () => {
    const { code, output } = await migrate();
    expect({ code, output }).toEqual({
      code: 0,
      output: expect.stringContaining(`applied migrations: ${LAST_MIGRATION}`),
    });
    expect(await queryRows(`SELECT 1 FROM migrations WHERE name = $1`, [LAST_MIGRATION], url)).toHaveLength(1);

    const api = runNodeScript(API_MAIN, {
      DATABASE_URL: url,
      PORT: String(await freePort()),
      TEMPORAL_ADDRESS: '127.0.0.1:1',
    });
    try {
      await waitFor('the API to listen', async () => api.output().includes('listening on'), 60_000, 200);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  }, 150_000);

  it('a schema ahead of this release: the API and the worker refuse, and so does this release’s migrate', async () => {
    await queryRows(
      `INSERT INTO migrations (timestamp, name) VALUES ($1, $2)`,
      [9_999_999_999_999, FUTURE_MIGRATION],
      url,
    );
    try {
      for (const [script, program] of [
        [API_MAIN, 'the API'],
        [WORKER_MAIN, 'the worker'],
      ]) {
        const { code, output } = await runToExit(script);
        expect({ program, code }).toEqual({ program, code: 1 });
        expect(output).toContain(`${program} refuses to start: the database schema is ahead of this release`);
        expect(output).toContain(FUTURE_MIGRATION);
      }
      const { code, output } = await migrate();
      expect(code).toBe(1);
      expect(output).toContain('migrations refused');
      expect(output).toContain('forward-only');
    } finally {
      await queryRows(`DELETE FROM migrations WHERE name = $1`, [FUTURE_MIGRATION], url);
    }
  }, 150_000);
});
