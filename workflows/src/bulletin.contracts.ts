/** Wire names below are API: they never change once released (the schedule starts workflows by them). */

/** The Temporal Schedule that starts the 督查通报 run at 09:00 China time, one per task queue. */
export function bulletinScheduleId(taskQueue: string): string {
  return `bulletin-${taskQueue}`;
}

/** Ids of the bulletin workflows a schedule starts (Temporal appends the scheduled time to it). */
export const BULLETIN_WORKFLOW_ID_PREFIX = 'bulletin-run';

export interface BulletinWorkflowInput {
  /** ISO instant the run is for; the workflow's start time when absent (a scheduled run). */
  at?: string;
}

export interface BulletinWorkflowResult {
  /** The China-time date (YYYY-MM-DD) the run was for. */
  date: string;
  firstWorkingDay: boolean;
  /** The periods reported on ('2026-11', '2026-Q4'); empty on any day but a month's first working day. */
  periods: string[];
  /** Ids of the bulletins this run stored. */
  written: string[];
}
