import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '@county/activities';
import type { BulletinWorkflowInput, BulletinWorkflowResult } from './bulletin.contracts';

const { writeScheduledBulletins } = proxyActivities<Activities>({
  // Reading the read model, rendering a .docx and filing it: seconds, but a big county's ranking takes a while.
  startToCloseTimeout: '5 minutes',
  // Idempotent per period (a stored bulletin is skipped), so retried until the database is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The 督查通报 run (issue 17), started every day at 09:00 by its schedule: the activity decides on the working-day
 * calendar whether the day is the first working day of its month and writes the bulletins (DESIGN §2: all I/O in
 * activities; the calendar changes, so it is not decided here). The instant comes from the input or the workflow's
 * start time, which is in its history, so a replay asks for the same day.
 */
export async function bulletinWorkflow(input: BulletinWorkflowInput = {}): Promise<BulletinWorkflowResult> {
  const at = input.at ?? workflowInfo().startTime.toISOString();
  return writeScheduledBulletins({ at });
}
