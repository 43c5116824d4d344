/**
 * Working days (工作日) as the State Council's holiday notices define them, including make-up workdays
 * (调休), plus regional overrides (Ningxia's 开斋节 and 古尔邦节). Pure: the holiday table and the overrides
 * are handed in, so workflows never load them (they call the calendar activity instead).
 */

/** The national table: which years it covers, their holidays and their make-up workdays (YYYY-MM-DD). */
export interface HolidayTable {
  version: string;
  coveredYears: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  makeUpWorkdays: ReadonlySet<string>;
}

export enum OverrideKind {
  Holiday = 'holiday',
  Workday = 'workday',
}

export interface CalendarOverride {
  date: string;
  kind: OverrideKind;
  reason: string;
}

/** Asked about a year nobody has published a holiday table for: an error, never a Mon–Fri guess. */
export class CalendarYearNotCoveredError extends Error {
  readonly code = 'CALENDAR_YEAR_NOT_COVERED';
  constructor(readonly year: number) {
    super(`工作日历尚未包含 ${year} 年：该年的节假日安排通知还未录入`);
    this.name = 'CalendarYearNotCoveredError';
  }
}

/** China has kept UTC+8 without daylight saving since 1991. */
/** China has one time zone and no daylight saving: +08:00 all year. */
export const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
/** Guards against a runaway loop on absurd input (about 10 years of days). */
const MAX_WORKING_DAYS = 2500;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class WorkingCalendar {
  private readonly overrides: ReadonlyMap<string, OverrideKind>;
  /** Stored with every computed instant, so a later table change can be traced. */
  readonly version: string;

  constructor(
    private readonly table: HolidayTable,
    overrides: readonly CalendarOverride[] = [],
  ) {
    this.overrides = new Map(overrides.map((override) => [override.date, override.kind]));
    const overrideKey = [...this.overrides]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, kind]) => `${date}:${kind[0]}`);
    this.version = `${table.version}+overrides:${overrideKey.length}:${checksum(overrideKey.join(','))}`;
  }

  isWorkingDay(date: string): boolean {
    assertDate(date);
    const year = Number(date.slice(0, 4));
    if (!this.table.coveredYears.has(year)) throw new CalendarYearNotCoveredError(year);
    const override = this.overrides.get(date);
    if (override) return override === OverrideKind.Workday;
    if (this.table.holidays.has(date)) return false;
    if (this.table.makeUpWorkdays.has(date)) return true;
    return isWeekday(date);
  }

  /**
   * The instant n working days after `from`, at the same Beijing time of day: counting starts on the next
   * day, as 「N个工作日内」 does. n = 0 returns `from`; a negative n counts back.
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isInteger(n) || Math.abs(n) > MAX_WORKING_DAYS) {
      throw new RangeError(`n must be a whole number from -${MAX_WORKING_DAYS} to ${MAX_WORKING_DAYS}`);
    }
    // Negative n counts backwards (a reminder "2 working days before" the deadline).
    const step = n < 0 ? -DAY_MS : DAY_MS;
    let local = from.getTime() + SHANGHAI_OFFSET_MS;
    for (let counted = 0; counted < Math.abs(n);) {
      local += step;
      if (this.isWorkingDay(new Date(local).toISOString().slice(0, 10))) counted += 1;
    }
    return new Date(local - SHANGHAI_OFFSET_MS);
  }

  /** Working days d with from < d ≤ to (dates, YYYY-MM-DD); negative when `to` is before `from`. */
  workingDaysBetween(from: string, to: string): number {
    assertDate(from);
    assertDate(to);
    if (to < from) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let day = nextDate(from); day <= to; day = nextDate(day)) if (this.isWorkingDay(day)) count += 1;
    return count;
  }
}

/** The Beijing calendar date of an instant. */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Monday to Friday: the working week before holidays and 调休 are applied. */
export function isWeekday(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The calendar date after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + DAY_MS).toISOString().slice(0, 10);
}

function assertDate(date: string): void {
  if (!DATE.test(date) || Number.isNaN(new Date(`${date}T00:00:00Z`).getTime()))
    throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
}

/** Short FNV-1a checksum: enough to tell two override sets apart in a version string. */
function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
