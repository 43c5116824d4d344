import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Lints `code` as if it were the file at `filePath`, with the project's real ESLint configuration. */
function lint(filePath: string, code: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath],
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
