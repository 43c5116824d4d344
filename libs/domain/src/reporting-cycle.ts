import { isoDurationMs } from './duration';

/**
 * How often an ongoing task (长期坚持 / 持续推进) reports progress (DESIGN §4): monthly on a day of the
 * month (`{ "monthlyOn": 25 }`: due 23:59:59 China time on the 25th, or the month's last day when it is
 * shorter), or every fixed-length ISO-8601 duration from the assignment's start (`"PT10S"`, for demos and
 * tests). A string replaces the default object when a plan's policy is laid over the defaults.
 */
export type ReportingCycle = { monthlyOn: number } | string;

const CHINA_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has had no daylight saving time since 1991

/** Why `value` is not a valid ReportingCycle, or null if it is one. */
export function reportingCycleProblem(value: unknown): string | null {
  if (typeof value === 'string') {
    const period = isoDurationMs(value);
    if (period === null || period <= 0) return `"${value}" is not a positive ISO-8601 duration (e.g. "PT30S")`;
    return null;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { monthlyOn, ...rest } = value as Record<string, unknown>;
    if (Object.keys(rest).length > 0 || monthlyOn === undefined) return 'a monthly cycle is { "monthlyOn": day }';
    if (typeof monthlyOn !== 'number' || !Number.isInteger(monthlyOn) || monthlyOn < 1 || monthlyOn > 31) {
      return `monthlyOn must be a day of the month from 1 to 31, got ${JSON.stringify(monthlyOn)}`;
    }
    return null;
  }
  return `${JSON.stringify(value)} is neither { "monthlyOn": day } nor an ISO-8601 duration`;
}

/**
 * The first report due strictly after `after` (epoch ms). `anchor` is when the cycle began; fixed-length
 * cycles count from it. Pure, so a workflow computes it deterministically.
 */
export function nextReportDue(cycle: ReportingCycle, after: number, anchor: number): number {
  if (typeof cycle === 'string') {
    const period = isoDurationMs(cycle);
    if (period === null || period <= 0) throw new RangeError(`not a reporting cycle: ${cycle}`);
    const periods = Math.max(0, Math.floor((after - anchor) / period) + 1);
    return anchor + periods * period;
  }
  const local = new Date(after + CHINA_OFFSET_MS);
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth();
  for (;;) {
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const due = Date.UTC(year, month, Math.min(cycle.monthlyOn, lastDay), 23, 59, 59) - CHINA_OFFSET_MS;
    if (due > after) return due;
    month += 1;
    if (month === 12) [year, month] = [year + 1, 0];
  }
}

/**
 * When the next report is due after a report at `reportedAt`, while the report due is `currentDue`.
 * A report answers the cycle it falls in: reporting within the current cycle moves the due date one cycle
 * on; a late report answers the missed cycle and leaves the cycle it falls in due; a second report in an
 * already answered cycle changes nothing.
 */
export function dueAfterReport(cycle: ReportingCycle, reportedAt: number, currentDue: number, anchor: number): number {
  const dueOfReportCycle = nextReportDue(cycle, reportedAt, anchor);
  if (currentDue > dueOfReportCycle) return currentDue;
  if (currentDue === dueOfReportCycle) return nextReportDue(cycle, currentDue, anchor);
  return dueOfReportCycle;
}
