import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths';
import { temporalToolsAvailable } from './temporal-cli';

/**
 * `npm test`: every suite against the Temporal dev server, then (with no arguments) a second pass of the suites
 * that cover every workflow against the real Temporal server on PostgreSQL (jest.config.js, REAL_SERVER_SUITES).
 * Arguments go to the first pass only (`npm test -- test/calls.e2e.spec.ts`). Without Go the real server cannot
 * be built here, so the second pass is skipped with a note, unless REQUIRE_TEMPORAL_SERVER=1 (CI) makes that a
 * failure.
 */
const args = process.argv.slice(2);
// One in-band process runs ~140 suites; its heap grows past Node's default 4 GiB limit (issue 18's CI).
const jest = (extra: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(
    process.execPath,
    ['--max-old-space-size=6144', path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--runInBand', ...extra],
    { stdio: 'inherit', cwd: ROOT, env: { ...process.env, ...env } },
  ).status ?? 1;

let status = jest(args);
if (status === 0 && args.length === 0) {
  if (temporalToolsAvailable()) {
    console.log('\n[test] second pass: the workflow suites against the real Temporal server (TEMPORAL_MODE=server)\n');
    status = jest(['--selectProjects', 'e2e'], { TEMPORAL_MODE: 'server' });
  } else if (process.env.REQUIRE_TEMPORAL_SERVER === '1') {
    console.error('[test] REQUIRE_TEMPORAL_SERVER=1 but the Temporal server cannot be built here (no Go)');
    status = 1;
  } else {
    console.warn('\n[test] second pass skipped: the real Temporal server needs Go to build (tools/temporal)\n');
  }
}
process.exit(status);
