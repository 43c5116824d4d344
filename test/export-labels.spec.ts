import {
  ASSIGNMENT_STATUS_LABELS,
  CALL_STATUS_LABELS,
  LIGHT_LABELS,
  RATING_LABELS,
  TASK_STATUS_LABELS,
  URGENCY_LABELS,
} from '@county/domain';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';

type Labeller = (code: string) => string;
/** apps/web is an ES-module package jest does not load: its labels module (no imports) is compiled and run here. */
function webLabels(): Record<string, Labeller> {
  const source = readFileSync(path.resolve(__dirname, '../apps/web/src/labels.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } });
  const module = { exports: {} as Record<string, Labeller> };
  runInNewContext(outputText, { module, exports: module.exports });
  return module.exports;
}
const web = webLabels();

/**
 * The exports word statuses with libs/domain's tables; the console with its own (apps/web imports no workspace
 * package: its bundle takes only its own sources). This keeps the two the same wording: a ledger downloaded from the
 * board says what the board says.
 */
describe('the export labels and the console labels', () => {
  it.each([
    ['assignment status', ASSIGNMENT_STATUS_LABELS, web.assignmentStatusLabel],
    ['task status', TASK_STATUS_LABELS, web.taskStatusLabel],
    ['call status', CALL_STATUS_LABELS, web.callStatusLabel],
    ['light', LIGHT_LABELS, web.lightLabel],
    ['urgency', URGENCY_LABELS, web.urgencyLabel],
    ['rating', RATING_LABELS, web.ratingLabel],
  ] as const)('word every %s alike', (_kind, table, console) => {
    for (const [code, label] of Object.entries(table)) {
      // 'open' (a task not started yet) never reaches the console's lists, which show started plans.
      if (code === 'open') continue;
      expect({ code, label: console(code) }).toEqual({ code, label });
    }
  });
});
