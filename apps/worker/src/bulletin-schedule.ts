import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, ScheduleSpec } from '@temporalio/client';
import { BULLETIN_WORKFLOW_ID_PREFIX, bulletinScheduleId } from '@county/workflows';

/** When the bulletin run fires: the morning of every day, China time (which day is the first working day is the activity's call). */
export const BULLETIN_TIME = { hour: 9, minute: 0, timeZone: 'Asia/Shanghai' } as const;

/**
 * The schedule's spec: daily at 09:00 China time, or (tests, BULLETIN_SCHEDULE_INTERVAL) every `intervalSeconds`.
 * The run itself is the same either way: it asks the calendar about the date it starts on.
 */
export function bulletinScheduleSpec(intervalSeconds?: number): ScheduleSpec {
  if (intervalSeconds) return { intervals: [{ every: `${intervalSeconds}s` }] };
  return {
    calendars: [{ hour: BULLETIN_TIME.hour, minute: BULLETIN_TIME.minute, comment: '督查通报 09:00' }],
    timezone: BULLETIN_TIME.timeZone,
  };
}

/**
 * Makes sure the 督查通报 schedule of `taskQueue` exists (issue 17), like the digest's: it fires every day and the
 * workflow's activity writes only on the first working day of a month, which a cron spec cannot express (调休,
 * regional holidays). A schedule already there is left as it is (an operator may have paused or changed it).
 * SKIP: a run still going (the database down) is not joined by the next one.
 */
export async function ensureBulletinSchedule(
  client: Client,
  taskQueue: string,
  intervalSeconds?: number,
): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: bulletinScheduleId(taskQueue),
      spec: bulletinScheduleSpec(intervalSeconds),
      action: {
        type: 'startWorkflow',
        workflowType: 'bulletinWorkflow',
        // Temporal appends the scheduled time to the id, so each day's run has its own.
        workflowId: `${BULLETIN_WORKFLOW_ID_PREFIX}-${taskQueue}`,
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
