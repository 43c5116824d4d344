import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { DAILY_DIGEST_WORKFLOW_ID_PREFIX, dailyDigestScheduleId } from '@county/workflows';

/** When the digest goes out: the opening of the working day, China time (working days are the activity's call). */
export const DAILY_DIGEST_TIME = { hour: 8, minute: 30, timeZone: 'Asia/Shanghai' } as const;

/**
 * Makes sure the 08:30 digest schedule of `taskQueue` exists (issue 15). It fires every day; the workflow's activity
 * skips non-working days on the deadlines' calendar, which a cron spec cannot express (调休 Saturdays). A schedule
 * already there is left as it is: every worker start calls this, and an operator may have paused or changed it.
 * SKIP: a digest still running (the database down) is not joined by the next day's.
 */
export async function ensureDigestSchedule(client: Client, taskQueue: string): Promise<void> {
  const scheduleId = dailyDigestScheduleId(taskQueue);
  try {
    await client.schedule.create({
      scheduleId,
      spec: {
        calendars: [{ hour: DAILY_DIGEST_TIME.hour, minute: DAILY_DIGEST_TIME.minute, comment: '每日摘要 08:30' }],
        timezone: DAILY_DIGEST_TIME.timeZone,
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'dailyDigestWorkflow',
        // Temporal appends the scheduled time to the id, so each day's run has its own.
        workflowId: `${DAILY_DIGEST_WORKFLOW_ID_PREFIX}-${taskQueue}`,
        taskQueue,
        args: [{}],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return;
    throw error;
  }
}
