import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

interface Probe {
  /** A real file of the repository, so its project (and so type information) is found; its content is `code`. */
  filePath: string;
  code: string;
}
interface Linted {
  errorCount: number;
  output: string;
}

/**
 * Lints each probe as if it were the file at `filePath`, with the project's real ESLint configuration (type-aware
 * rules included; the file on disk is not touched). One ESLint process for all of them: it is ESM-configured, so
 * it runs outside Jest's module system, and type information is loaded once.
 */
function lintAll(probes: Probe[]): Linted[] {
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const results = [];
      for (const probe of JSON.parse(require('node:fs').readFileSync(0, 'utf8'))) {
        const [result] = await eslint.lintText(probe.code, { filePath: probe.filePath });
        results.push({
          errorCount: result.errorCount,
          output: result.messages.map((m) => (m.ruleId ?? 'parse') + ': ' + m.message).join('\\n'),
        });
      }
      process.stdout.write(JSON.stringify(results));
    })().catch((error) => {
      console.error(error);
      process.exit(2);
    });`;
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    input: JSON.stringify(probes.map((probe) => ({ ...probe, filePath: path.join(ROOT, probe.filePath) }))),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Linted[];
}

const FORBIDDEN_IN_WORKFLOWS: Array<[string, string]> = [
  ["import { readFileSync } from 'fs';", 'fs'],
  ["import { readFileSync } from 'node:fs';", 'node:fs'],
  ["import { DataSource } from 'typeorm';", 'typeorm'],
  ["import { Injectable } from '@nestjs/common';", '@nestjs/common'],
  ["import { createDataSource } from '@county/persistence';", '@county/persistence'],
];

/** One file of each kind of project: a package, the test kit, an e2e suite and a spec (both in the root solution's test project), the console. */
const TYPED_FILES = [
  'apps/api/src/main.ts',
  'test/kit/src/db.ts',
  'test/health.e2e.spec.ts',
  'libs/domain/src/policy.spec.ts',
  'apps/web/src/hooks.ts',
];
const FLOATING = 'async function later(): Promise<number> {\n  return 1;\n}\n';

const probes: Probe[] = [
  ...FORBIDDEN_IN_WORKFLOWS.map(([statement]) => ({
    filePath: 'workflows/src/index.ts',
    code: `${statement}\nexport const probe = 1;\n`,
  })),
  {
    filePath: 'libs/activities/src/index.ts',
    code: "import { readFileSync } from 'fs';\nexport const probe = readFileSync;\n",
  },
  {
    filePath: 'workflows/src/index.ts',
    code: "import { sleep } from '@temporalio/workflow';\nimport { UnitKind } from '@county/domain';\nexport const probe = [sleep, UnitKind];\n",
  },
  ...TYPED_FILES.map((filePath) => ({ filePath, code: `${FLOATING}later();\n` })),
  ...TYPED_FILES.map((filePath) => ({ filePath, code: `${FLOATING}// fire and forget, on purpose\nvoid later();\n` })),
];
let results: Linted[];

beforeAll(() => {
  results = lintAll(probes);
}, 120_000);

describe('the workflow determinism boundary (ESLint)', () => {
  it.each(FORBIDDEN_IN_WORKFLOWS.map(([statement, moduleName], index) => [statement, moduleName, index] as const))(
    'fails when a file under workflows/ does %s',
    (_statement, moduleName, index) => {
      expect(results[index].errorCount).toBeGreaterThan(0);
      expect(results[index].output).toContain(`'${moduleName}'`);
    },
  );

  it('allows the same import outside workflows/', () => {
    expect(results[FORBIDDEN_IN_WORKFLOWS.length]).toEqual({ errorCount: 0, output: '' });
  });

  it('allows workflows to import the Temporal workflow API and the domain library', () => {
    expect(results[FORBIDDEN_IN_WORKFLOWS.length + 1]).toEqual({ errorCount: 0, output: '' });
  });
});

describe('promises nobody awaits (type-aware ESLint)', () => {
  const first = FORBIDDEN_IN_WORKFLOWS.length + 2;

  it.each(TYPED_FILES.map((filePath, index) => [filePath, index] as const))(
    'fails on a floating promise in %s',
    (_filePath, index) => {
      expect(results[first + index].output).toContain('@typescript-eslint/no-floating-promises');
    },
  );

  it.each(TYPED_FILES.map((filePath, index) => [filePath, index] as const))(
    'accepts one marked with void in %s',
    (_filePath, index) => {
      expect(results[first + TYPED_FILES.length + index]).toEqual({ errorCount: 0, output: '' });
    },
  );
});
