import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/**
 * Lints `code` as if it were the file at `filePath`, with the project's real ESLint configuration but without type
 * information (the import rules need none, and the probe files do not exist, so no project has them).
 */
function lint(filePath: string, code: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/eslint/bin/eslint.js'),
      ...['--parser-options', 'projectService:false', '--rule', '@typescript-eslint/no-floating-promises: off'],
      ...['--stdin', '--stdin-filename', filePath],
    ],
    {
      cwd: ROOT,
      input: code,
      encoding: 'utf8',
    },
  );
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('the workflow determinism boundary (ESLint)', () => {
  it.each([
    ["import { readFileSync } from 'fs';", 'fs'],
    ["import { readFileSync } from 'node:fs';", 'node:fs'],
    ["import { DataSource } from 'typeorm';", 'typeorm'],
    ["import { Injectable } from '@nestjs/common';", '@nestjs/common'],
    ["import { createDataSource } from '@county/persistence';", '@county/persistence'],
    // Not even a type: the projection contract the workflows share with persistence is in @county/domain.
    ["import type { ProjectedChange } from '@county/persistence';", '@county/persistence'],
    ["import { type UnitRepository } from '@county/persistence';", '@county/persistence'],
  ])('fails when a file under workflows/ does %s', (statement, moduleName) => {
    const result = lint('workflows/src/probe.workflow.ts', `${statement}\nexport const probe = 1;\n`);
    expect(result.status).toBe(1);
    expect(result.output).toContain(`'${moduleName}'`);
  });

  it('allows the same import outside workflows/', () => {
    const result = lint(
      'libs/activities/src/probe.ts',
      "import { readFileSync } from 'fs';\nexport const probe = readFileSync;\n",
    );
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([
    [
      'a type import of the activities interface (erased; it types the workflows’ own activity proxies)',
      "import type { Activities } from '@county/activities';\nexport type Probe = Activities;\n",
    ],
    [
      'the projection contract types from the domain library',
      "import type { CallProjection, NotificationInput, ProjectedChange } from '@county/domain';\nexport type Probe = [CallProjection, NotificationInput, ProjectedChange];\n",
    ],
    [
      'the Temporal workflow API and the domain library',
      "import { sleep } from '@temporalio/workflow';\nimport { UnitKind } from '@county/domain';\nexport const probe = [sleep, UnitKind];\n",
    ],
  ])('allows workflows to import %s', (_what, code) => {
    const result = lint('workflows/src/probe.workflow.ts', code);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

interface Probe {
  /** A real file of the repository, so that its project (and so type information) is found; `code` stands in for it. */
  filePath: string;
  code: string;
}

/**
 * Lints each probe as the file at `filePath` with the real configuration, type-aware rules included (the file on
 * disk is not touched), in one ESLint process: type information is loaded once. (ESLint's configuration is ESM,
 * so it runs outside Jest's module system.)
 */
function lintTyped(probes: Probe[]): Array<{ errorCount: number; output: string }> {
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const results = [];
      for (const probe of JSON.parse(require('node:fs').readFileSync(0, 'utf8'))) {
        const [result] = await eslint.lintText(probe.code, { filePath: probe.filePath });
        const output = result.messages.map((m) => (m.ruleId ?? 'parse') + ': ' + m.message).join('\\n');
        results.push({ errorCount: result.errorCount, output });
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
  return JSON.parse(run.stdout) as Array<{ errorCount: number; output: string }>;
}

describe('promises nobody awaits (type-aware ESLint)', () => {
  /** A file of each kind of project: a package, the test kit, an e2e suite and a spec (the root solution's test
   * project has both), the console. */
  const FILES = [
    'apps/api/src/main.ts',
    'test/kit/src/db.ts',
    'test/health.e2e.spec.ts',
    'libs/domain/src/policy.spec.ts',
    'apps/web/src/hooks.ts',
  ];
  const LATER = 'async function later(): Promise<number> {\n  return 1;\n}\n';
  let floating: Array<{ errorCount: number; output: string }>;
  let marked: Array<{ errorCount: number; output: string }>;

  beforeAll(() => {
    const results = lintTyped([
      ...FILES.map((filePath) => ({ filePath, code: `${LATER}later();\n` })),
      ...FILES.map((filePath) => ({ filePath, code: `${LATER}// fire and forget, on purpose\nvoid later();\n` })),
    ]);
    floating = results.slice(0, FILES.length);
    marked = results.slice(FILES.length);
  }, 120_000);

  it.each(FILES.map((filePath, index) => [filePath, index] as const))(
    'fails on a promise left floating in %s',
    (_filePath, index) => {
      expect(floating[index].output).toContain('@typescript-eslint/no-floating-promises');
    },
  );

  it.each(FILES.map((filePath, index) => [filePath, index] as const))(
    'accepts one marked with void in %s',
    (_filePath, index) => {
      expect(marked[index]).toEqual({ errorCount: 0, output: '' });
    },
  );
});
