#!/usr/bin/env node
import { readFileSync, statSync } from 'node:fs';
import { MAX_DOCUMENT_BYTES, PlanParseError } from './model';
import { parsePlanDocument } from './parse-plan';

/**
 * `npm run -s plan:parse -- <file>`: prints the parsed plan as JSON on stdout. An invalid document exits
 * with code 1 and one line `<file>:<line>: <message>` on stderr (for an .xlsx, <line> is the row of the sheet the
 * message names), and nothing on stdout.
 */
function main(argv: string[]): number {
  const file = argv[0];
  if (!file || argv.length > 1) {
    process.stderr.write('usage: npm run -s plan:parse -- <task-list.txt|task-list.docx|task-list.xlsx>\n');
    return 2;
  }
  let bytes: Uint8Array;
  try {
    // Checked before reading so a huge file is refused without loading it.
    if (statSync(file).size > MAX_DOCUMENT_BYTES)
      return fail(file, null, `文件超过 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB 的上限`);
    bytes = readFileSync(file);
  } catch (error) {
    return fail(file, null, `无法读取该文件（${(error as NodeJS.ErrnoException).code ?? String(error)}）`);
  }
  try {
    process.stdout.write(`${JSON.stringify(parsePlanDocument(bytes), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof PlanParseError)
      return fail(
        file,
        error.line,
        error.sheet === undefined ? error.message : `工作表「${error.sheet}」：${error.message}`,
      );
    return fail(file, null, `解析时出现内部错误：${error instanceof Error ? error.message : String(error)}`);
  }
}

function fail(file: string, line: number | null, message: string): number {
  process.stderr.write(`${file}:${line ?? 0}: ${message}\n`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
