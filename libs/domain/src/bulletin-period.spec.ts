import {
  BulletinPeriodKind,
  bulletinDedupeKey,
  bulletinIssueNumber,
  bulletinNotification,
  bulletinTitle,
  isFirstWorkingDayOfMonth,
  isFuturePeriod,
  parseBulletinPeriod,
  scheduledBulletinPeriods,
} from './bulletin-period';
import { notificationLink, NotificationKind } from './notification-delivery';
import { isWeekday } from './working-calendar';

describe('the bulletin period', () => {
  it('reads a month and names it in Chinese, with its range in China time', () => {
    const period = parseBulletinPeriod('2026-11')!;
    expect(period).toMatchObject({ key: '2026-11', kind: BulletinPeriodKind.Month, year: 2026, index: 11 });
    expect(period.label).toBe('2026年11月');
    expect(period.start.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(period.end.toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('reads a quarter: 第四季度 runs from 1 October to the end of December, China time', () => {
    const period = parseBulletinPeriod('2026-Q4')!;
    expect(period).toMatchObject({ key: '2026-Q4', kind: BulletinPeriodKind.Quarter, index: 4 });
    expect(period.label).toBe('2026年第四季度');
    expect(period.start.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(period.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(parseBulletinPeriod('2026-Q1')!.label).toBe('2026年第一季度');
    // December's range ends at the next year's first midnight.
    expect(parseBulletinPeriod('2026-12')!.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it.each(['2026-13', '2026-00', '2026-1', '2026-Q5', '2026-Q0', '26-11', '2026/11', '', '1999-01', ' 2026-11'])(
    'refuses %p',
    (text) => expect(parseBulletinPeriod(text)).toBeNull(),
  );

  it('calls a period that has not begun future, the running one not', () => {
    const now = new Date('2026-12-03T01:00:00Z');
    expect(isFuturePeriod(parseBulletinPeriod('2027-01')!, now)).toBe(true);
    expect(isFuturePeriod(parseBulletinPeriod('2026-12')!, now)).toBe(false);
    expect(isFuturePeriod(parseBulletinPeriod('2026-Q4')!, now)).toBe(false);
    // 1 January 00:30 China time is already in January.
    expect(isFuturePeriod(parseBulletinPeriod('2027-01')!, new Date('2026-12-31T16:30:00Z'))).toBe(false);
  });

  it('reports on the month before, and on the first working day of a quarter also the quarter before', () => {
    expect(scheduledBulletinPeriods('2026-12-01').map((period) => period.key)).toEqual(['2026-11']);
    expect(scheduledBulletinPeriods('2026-10-09').map((period) => period.key)).toEqual(['2026-09', '2026-Q3']);
    expect(scheduledBulletinPeriods('2027-01-04').map((period) => period.key)).toEqual(['2026-12', '2026-Q4']);
    expect(scheduledBulletinPeriods('2026-04-01').map((period) => period.key)).toEqual(['2026-03', '2026-Q1']);
    expect(scheduledBulletinPeriods('2026-02-02').map((period) => period.key)).toEqual(['2026-01']);
  });

  it('titles and numbers the issue', () => {
    const november = parseBulletinPeriod('2026-11')!;
    expect(bulletinTitle('平罗县', november)).toBe('平罗县改革任务督查通报（2026年11月）');
    expect(bulletinIssueNumber(november, 1)).toBe('2026年第11期');
    expect(bulletinIssueNumber(november, 2)).toBe('2026年第11期（第2版）');
    expect(bulletinIssueNumber(parseBulletinPeriod('2026-Q4')!, 1)).toBe('2026年季度第4期');
  });

  it('tells every unit once per bulletin, with a link to the 通报 page', () => {
    const notification = bulletinNotification('finance', { id: 'b1', title: 'T', issueNumber: '2026年第11期' });
    expect(notification).toMatchObject({ recipientUnitId: 'finance', recipientRole: null });
    expect(notification.kind).toBe(NotificationKind.BulletinPublished);
    expect(notification.body).toContain('2026年第11期');
    expect(notificationLink(notification)).toBe('/bulletins');
    expect(bulletinDedupeKey('b1', 'finance')).toBe('bulletin:b1:finance');
  });
});

describe('the first working day of a month', () => {
  const calendar =
    (holidays: string[], workdays: string[] = []) =>
    (date: string) =>
      workdays.includes(date) || (!holidays.includes(date) && isWeekday(date));

  it('is the 1st when the 1st is a working day, and no later day is', () => {
    // 2026-12-01 is a Tuesday.
    const rule = calendar([]);
    expect(isFirstWorkingDayOfMonth('2026-12-01', rule)).toBe(true);
    expect(isFirstWorkingDayOfMonth('2026-12-02', rule)).toBe(false);
  });

  it('skips a weekend at the start of a month', () => {
    // 2026-11-01 is a Sunday: Monday the 2nd opens November.
    const rule = calendar([]);
    expect(isFirstWorkingDayOfMonth('2026-11-01', rule)).toBe(false);
    expect(isFirstWorkingDayOfMonth('2026-11-02', rule)).toBe(true);
    expect(isFirstWorkingDayOfMonth('2026-11-03', rule)).toBe(false);
  });

  it('follows 调休: the 1st–3rd are holidays and a make-up Sunday opens the month', () => {
    // October 2026 as an example: 1–3 Oct (Thu–Sat) holidays; Sunday the 4th is a make-up workday (调休).
    const rule = calendar(['2026-10-01', '2026-10-02', '2026-10-03'], ['2026-10-04']);
    expect(isFirstWorkingDayOfMonth('2026-10-01', rule)).toBe(false);
    expect(isFirstWorkingDayOfMonth('2026-10-03', rule)).toBe(false);
    expect(isFirstWorkingDayOfMonth('2026-10-04', rule)).toBe(true);
    expect(isFirstWorkingDayOfMonth('2026-10-05', rule)).toBe(false);
  });

  it('is never a non-working day, even after a holiday week', () => {
    const rule = calendar(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08']);
    expect(isFirstWorkingDayOfMonth('2026-10-04', rule)).toBe(false);
    expect(isFirstWorkingDayOfMonth('2026-10-09', rule)).toBe(true);
    expect(() => isFirstWorkingDayOfMonth('2026-10', rule)).toThrow(RangeError);
  });
});
