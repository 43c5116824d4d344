import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '@county/activities';
import type { DailyDigestWorkflowInput, DailyDigestWorkflowResult } from './digest.contracts';

const { writeDailyDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // Database reads and writes, keyed per unit and day: retried until the database is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The daily digest (issue 15), started by the 08:30 schedule: the activity reads the calendar and the counts and
 * writes the notifications (DESIGN §2: all I/O in activities). The instant comes from the input or the workflow's
 * own start time, which is in its history, so a replay asks for the same day.
 */
export async function dailyDigestWorkflow(input: DailyDigestWorkflowInput = {}): Promise<DailyDigestWorkflowResult> {
  const at = input.at ?? workflowInfo().startTime.toISOString();
  return writeDailyDigests({ at });
}
