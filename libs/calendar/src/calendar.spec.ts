import { CalendarYearNotCoveredError, OverrideKind } from '@county/domain';
import { createWorkingCalendar, nationalHolidayTable } from './index';

const NINGXIA_2021 = ['2021-05-13', '2021-05-14', '2021-07-19', '2021-07-20'].map((date) => ({
  date,
  kind: OverrideKind.Holiday,
  reason: date < '2021-06-01' ? '开斋节' : '古尔邦节',
}));

/** 09:30 Beijing time on a date, as an instant. */
const at0930 = (date: string) => new Date(`${date}T09:30:00+08:00`);

describe('the working-day calendar on the 2021 State Council notice', () => {
  const national = createWorkingCalendar([]);
  const ningxia = createWorkingCalendar(NINGXIA_2021);

  it('1 working day after Friday 2021-04-30 is 2021-05-06 (Labour Day holiday 05-01..05-05)', () => {
    expect(national.addWorkingDays(at0930('2021-04-30'), 1)).toEqual(at0930('2021-05-06'));
  });

  it('Saturday 2021-05-08 is a make-up working day; Saturday 2021-05-15 is not', () => {
    expect(national.isWorkingDay('2021-05-08')).toBe(true);
    expect(national.isWorkingDay('2021-05-15')).toBe(false);
    expect(national.addWorkingDays(at0930('2021-05-07'), 1)).toEqual(at0930('2021-05-08'));
  });

  it('with the Ningxia override, 2021-05-13 is not a working day (nationally it is)', () => {
    expect(national.isWorkingDay('2021-05-13')).toBe(true);
    expect(ningxia.isWorkingDay('2021-05-13')).toBe(false);
  });

  it('3 working days after 2021-05-12 skip 05-13 and 05-14 in Ningxia', () => {
    expect(ningxia.addWorkingDays(at0930('2021-05-12'), 3)).toEqual(at0930('2021-05-19'));
    expect(national.addWorkingDays(at0930('2021-05-12'), 3)).toEqual(at0930('2021-05-17'));
  });

  it('counts backwards for a negative n (reminders before a deadline)', () => {
    expect(national.addWorkingDays(at0930('2021-05-06'), -1)).toEqual(at0930('2021-04-30'));
    expect(ningxia.addWorkingDays(at0930('2021-05-19'), -3)).toEqual(at0930('2021-05-12'));
  });

  it('counts working days between dates, holidays and make-up days included', () => {
    // 05-06 Thu, 05-07 Fri, 05-08 Sat (make-up): 3 working days in (04-30, 05-08].
    expect(national.workingDaysBetween('2021-04-30', '2021-05-08')).toBe(3);
    expect(national.workingDaysBetween('2021-05-08', '2021-04-30')).toBe(-3);
    expect(ningxia.workingDaysBetween('2021-05-12', '2021-05-19')).toBe(3);
  });

  it('keeps the time of day across a day boundary in UTC (08:00 Beijing is the previous day in UTC)', () => {
    const early = new Date('2021-04-30T07:00:00+08:00');
    expect(national.addWorkingDays(early, 1)).toEqual(new Date('2021-05-06T07:00:00+08:00'));
  });

  it('refuses years without a holiday notice instead of guessing Monday to Friday', () => {
    expect(() => national.isWorkingDay('2030-03-04')).toThrow(CalendarYearNotCoveredError);
    expect(() => national.addWorkingDays(at0930('2030-01-07'), 1)).toThrow(/工作日历尚未包含 2030 年/);
    // Crossing into an uncovered year fails too, even when starting in a covered one.
    const lastCovered = Math.max(...nationalHolidayTable().coveredYears);
    expect(() => national.addWorkingDays(at0930(`${lastCovered}-12-30`), 5)).toThrow(CalendarYearNotCoveredError);
    try {
      national.isWorkingDay('2030-03-04');
    } catch (error) {
      expect((error as CalendarYearNotCoveredError).code).toBe('CALENDAR_YEAR_NOT_COVERED');
    }
  });

  it('names its version, which changes when the overrides change', () => {
    expect(national.version).toMatch(/^chinese-days@1\.5\.7\+overrides:0:/);
    expect(ningxia.version).toMatch(/^chinese-days@1\.5\.7\+overrides:4:[0-9a-f]{8}$/);
    expect(createWorkingCalendar(NINGXIA_2021.slice(1)).version).not.toBe(ningxia.version);
  });

  it('covers a year an admin has loaded and marked complete, with its holidays as overrides', () => {
    expect(() => national.isWorkingDay('2030-01-02')).toThrow(CalendarYearNotCoveredError);
    const with2030 = createWorkingCalendar(
      [{ date: '2030-01-01', kind: OverrideKind.Holiday, reason: '元旦' }],
      [2030],
    );
    expect(with2030.isWorkingDay('2030-01-01')).toBe(false);
    expect(with2030.isWorkingDay('2030-01-02')).toBe(true);
    expect(with2030.version).toMatch(/\+years:2030\+overrides:1:/);
  });
});
