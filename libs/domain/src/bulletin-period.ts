/**
 * The 督查通报's period (issue 17): a month ('2026-11') or a quarter ('2026-Q4'), its Chinese label, its range in
 * China time, and which periods the daily schedule reports on at a date. One copy for the API (manual bulletins),
 * the bulletin activity (scheduled ones) and the console.
 */
import { NotificationKind } from './notification-delivery';
import type { NotificationInput } from './projection-contracts';
import { SHANGHAI_OFFSET_MS } from './working-calendar';

export enum BulletinPeriodKind {
  Month = 'month',
  Quarter = 'quarter',
}

export enum BulletinTrigger {
  Scheduled = 'scheduled',
  Manual = 'manual',
}

export interface BulletinPeriod {
  /** The canonical text: '2026-11' or '2026-Q4' (stored in bulletins.period). */
  key: string;
  kind: BulletinPeriodKind;
  year: number;
  /** 1–12 for a month, 1–4 for a quarter. */
  index: number;
  /** 「2026年11月」 or 「2026年第四季度」. */
  label: string;
  /** First instant of the period, 00:00 China time on its first day. */
  start: Date;
  /** First instant after the period (exclusive end). */
  end: Date;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const QUARTER_NAMES = ['一', '二', '三', '四'] as const;
/** Years a bulletin can be about: the system's records start in 2020; far years are typos. */
const FIRST_YEAR = 2020;
const LAST_YEAR = 2100;

/** Midnight China time on the given civil date, as an instant (month is 1-based and may be 13 = next January). */
function chinaMidnight(year: number, month: number, day = 1): Date {
  return new Date(Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS);
}

/** The period a text names, or null when it is not 'YYYY-MM' or 'YYYY-Qn' (or names an implausible year). */
export function parseBulletinPeriod(text: string): BulletinPeriod | null {
  const month = MONTH.exec(text);
  if (month) return monthPeriod(Number(month[1]), Number(month[2]));
  const quarter = QUARTER.exec(text);
  if (quarter) return quarterPeriod(Number(quarter[1]), Number(quarter[2]));
  return null;
}

export function monthPeriod(year: number, month: number): BulletinPeriod | null {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) return null;
  if (!Number.isInteger(month) || month < 1 || month > 12) return null;
  return {
    key: `${year}-${String(month).padStart(2, '0')}`,
    kind: BulletinPeriodKind.Month,
    year,
    index: month,
    label: `${year}年${month}月`,
    start: chinaMidnight(year, month),
    end: chinaMidnight(year, month + 1),
  };
}

export function quarterPeriod(year: number, quarter: number): BulletinPeriod | null {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) return null;
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4) return null;
  return {
    key: `${year}-Q${quarter}`,
    kind: BulletinPeriodKind.Quarter,
    year,
    index: quarter,
    label: `${year}年第${QUARTER_NAMES[quarter - 1]}季度`,
    start: chinaMidnight(year, quarter * 3 - 2),
    end: chinaMidnight(year, quarter * 3 + 1),
  };
}

/** A period that has not begun yet has nothing to report: asking for one is a mistake, not an empty bulletin. */
export function isFuturePeriod(period: BulletinPeriod, now: Date): boolean {
  return period.start.getTime() > now.getTime();
}

/**
 * Whether `date` (YYYY-MM-DD, China time) is the first working day of its month: a working day with no working
 * day before it in the same month. Holidays, 调休 make-up workdays and regional overrides are all in
 * `isWorkingDay` (the deadlines' calendar), so a month opening with a holiday week starts on its first workday.
 */
export function isFirstWorkingDayOfMonth(date: string, isWorkingDay: (date: string) => boolean): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  if (!isWorkingDay(date)) return false;
  const prefix = `${match[1]}-${match[2]}-`;
  for (let day = 1; day < Number(match[3]); day += 1) {
    if (isWorkingDay(`${prefix}${String(day).padStart(2, '0')}`)) return false;
  }
  return true;
}

/**
 * What a scheduled run on `date` (the first working day of its month) reports on: the month before, and on the
 * first working day of January, April, July and October also the quarter before (the quarter just ended).
 */
export function scheduledBulletinPeriods(date: string): BulletinPeriod[] {
  const match = /^(\d{4})-(\d{2})-\d{2}$/.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const previous = month === 1 ? monthPeriod(year - 1, 12) : monthPeriod(year, month - 1);
  const periods = previous ? [previous] : [];
  if ((month - 1) % 3 === 0) {
    const quarter = month === 1 ? quarterPeriod(year - 1, 4) : quarterPeriod(year, (month - 1) / 3);
    if (quarter) periods.push(quarter);
  }
  return periods;
}

/** The bulletin's title as printed and as the file is named. */
export function bulletinTitle(countyName: string, period: BulletinPeriod): string {
  return `${countyName}改革任务督查通报（${period.label}）`;
}

/** 期号: one issue a month (第11期) or a quarter's special issue (季度第4期); a manual re-issue adds its version. */
export function bulletinIssueNumber(period: BulletinPeriod, version: number): string {
  const issue =
    period.kind === BulletinPeriodKind.Month
      ? `${period.year}年第${period.index}期`
      : `${period.year}年季度第${period.index}期`;
  return version > 1 ? `${issue}（第${version}版）` : issue;
}

/** The notice a unit (or the leaders) gets when a bulletin is stored; the link opens the 通报 page. */
export function bulletinNotification(
  recipientUnitId: string,
  bulletin: { id: string; title: string; issueNumber: string },
): NotificationInput {
  return {
    recipientUnitId,
    // The whole unit: a 通报 is addressed to the unit, staff and head alike.
    recipientRole: null,
    kind: NotificationKind.BulletinPublished,
    subjectType: 'bulletin',
    subjectId: bulletin.id,
    title: `督查通报已印发：${bulletin.title}`,
    body: `${bulletin.title}（${bulletin.issueNumber}）已印发，请登录系统在“通报”中查看并下载。`,
  };
}

/** Once per bulletin and recipient: a retried activity or a second firing writes nothing new. */
export function bulletinDedupeKey(bulletinId: string, unitId: string): string {
  return `bulletin:${bulletinId}:${unitId}`;
}
