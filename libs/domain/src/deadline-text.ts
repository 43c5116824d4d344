/** How a task list's 完成时限 text was understood (DESIGN §5). */
export enum DeadlineKind {
  Date = 'date',
  MonthEnd = 'month-end',
  YearEnd = 'year-end',
  HalfYear = 'half-year',
  /** 长期坚持 / 持续推进: no deadline, a reporting cycle instead. */
  Ongoing = 'ongoing',
  /** Not understood: kept as text with a warning, never a crash. */
  Unknown = 'unknown',
}

export interface DeadlineText {
  text: string;
  /** The last calendar day (YYYY-MM-DD, Asia/Shanghai) the work is due on, or null for ongoing/unknown. */
  date: string | null;
  kind: DeadlineKind;
}

const ONGOING = /^(长期坚持|持续推进)$/;
// `日` is optional: the seed list writes 2021年4月10前 for 2021年4月10日前.
const DAY = /^(\d{4})年(\d{1,2})月(\d{1,2})日?前$/;
const MONTH_END = /^(\d{4})年(\d{1,2})月底前$/;
const YEAR_END = /^(\d{4})年底前$/;
const HALF_YEAR = /^(\d{4})年(上|下)半年(前|底前|内)?$/;

/** Parses a deadline cell. Pure and total: any input gives a result, unknown forms give kind "unknown". */
export function parseDeadlineText(raw: string): DeadlineText {
  const text = raw.replace(/\s+/g, '');
  const result = (kind: DeadlineKind, date: string | null): DeadlineText => ({ text, date, kind });

  if (ONGOING.test(text)) return result(DeadlineKind.Ongoing, null);

  let match = DAY.exec(text);
  if (match) {
    const date = isoDate(Number(match[1]), Number(match[2]), Number(match[3]));
    return date ? result(DeadlineKind.Date, date) : result(DeadlineKind.Unknown, null);
  }
  match = MONTH_END.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const date = month >= 1 && month <= 12 ? isoDate(year, month, daysInMonth(year, month)) : null;
    return date ? result(DeadlineKind.MonthEnd, date) : result(DeadlineKind.Unknown, null);
  }
  match = YEAR_END.exec(text);
  if (match) return result(DeadlineKind.YearEnd, isoDate(Number(match[1]), 12, 31));
  match = HALF_YEAR.exec(text);
  if (match)
    return result(
      DeadlineKind.HalfYear,
      isoDate(Number(match[1]), match[2] === '上' ? 6 : 12, match[2] === '上' ? 30 : 31),
    );

  return result(DeadlineKind.Unknown, null);
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; UTC so no time zone can shift it.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** YYYY-MM-DD, or null when the parts do not name a real calendar day (e.g. 2月30日). */
function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Moves a deadline into another year (importing last year's list for this year). Month ends are
 * recomputed, so 2月底 lands on the 29th in a leap year; ongoing and unknown deadlines are unchanged.
 */
export function shiftDeadlineYear(deadline: DeadlineText, year: number): DeadlineText {
  if (deadline.date === null) return deadline;
  const [, month, day] = deadline.date.split('-').map(Number);
  const lastDay = daysInMonth(year, month);
  const newDay = deadline.kind === DeadlineKind.MonthEnd ? lastDay : Math.min(day, lastDay);
  return { ...deadline, date: isoDate(year, month, newDay) };
}

/** The instant a deadline day ends: 23:59:59 in Asia/Shanghai (UTC+8, no daylight saving since 1991). */
export function endOfDeadlineDay(date: string): Date {
  return new Date(`${date}T23:59:59+08:00`);
}
