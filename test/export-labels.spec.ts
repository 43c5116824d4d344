import {
  ASSIGNMENT_STATUS_LABELS,
  CALL_STATUS_LABELS,
  LIGHT_LABELS,
  RATING_LABELS,
  TASK_STATUS_LABELS,
  URGENCY_LABELS,
} from '@county/domain';
import { loadWebModule } from './support/web-module';

type Labeller = (code: string) => string;
const web = loadWebModule<Record<string, Labeller>>('labels.ts');

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
