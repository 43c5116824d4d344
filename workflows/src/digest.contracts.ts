/** Wire names below are API: they never change once released (the schedule starts workflows by them). */

/** The Temporal Schedule that starts the digest at 08:30 China time, one per task queue. */
export function dailyDigestScheduleId(taskQueue: string): string {
  return `daily-digest-${taskQueue}`;
}

/** Ids of the digest workflows a schedule starts (Temporal appends the scheduled time to it). */
export const DAILY_DIGEST_WORKFLOW_ID_PREFIX = 'daily-digest-run';

export interface DailyDigestWorkflowInput {
  /** ISO instant the digest is for; the workflow's start time when absent (a scheduled run). */
  at?: string;
}

export interface DailyDigestWorkflowResult {
  /** The China-time date (YYYY-MM-DD) the digest was for. */
  date: string;
  workingDay: boolean;
  written: number;
}
