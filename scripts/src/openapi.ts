import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiDocument } from '@county/api';
import { ROOT } from './paths';

/** The console's API types, generated from the OpenAPI document (`npm run openapi:types`), committed. */
export const API_TYPES_FILE = path.join(ROOT, 'apps/web/src/api-types.ts');
export const REDOCLY_CONFIG = path.join(ROOT, 'redocly.yaml');

export interface LintResult {
  errors: number;
  warnings: number;
  /** Redocly's own report, for a person to read. */
  output: string;
}

interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

/** `redocly lint` of `document` with the repository's redocly.yaml (the recommended rules). */
export function lintApiDocument(document: unknown): LintResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'county-openapi-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const redocly = require.resolve('@redocly/cli/bin/cli.js');
    const run = spawnSync(process.execPath, [redocly, 'lint', file, '--config', REDOCLY_CONFIG, '--format=json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    let report: RedoclyReport;
    try {
      report = JSON.parse(run.stdout) as RedoclyReport;
    } catch {
      throw new Error(`redocly lint did not report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    }
    const output = report.problems
      .map((problem) => {
        const where = problem.location.map((location) => location.pointer).join(', ');
        return `${problem.severity.padEnd(7)} ${problem.ruleId}: ${problem.message} (${where})`;
      })
      .join('\n');
    return { errors: report.totals.errors, warnings: report.totals.warnings, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { createApiDocument };
