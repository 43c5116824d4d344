import { dueAfterReport, nextReportDue, reportingCycleProblem } from './reporting-cycle';

const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();

describe('reporting cycle of ongoing tasks', () => {
  it('is due on the day of the month at 23:59:59 China time', () => {
    expect(iso(nextReportDue({ monthlyOn: 25 }, at('2027-03-10T09:00:00+08:00'), 0))).toBe('2027-03-25T15:59:59.000Z');
  });

  it('moves to next month once this month’s report time has passed, across the year end', () => {
    expect(iso(nextReportDue({ monthlyOn: 25 }, at('2027-03-25T23:59:59+08:00'), 0))).toBe('2027-04-25T15:59:59.000Z');
    expect(iso(nextReportDue({ monthlyOn: 25 }, at('2027-12-26T08:00:00+08:00'), 0))).toBe('2028-01-25T15:59:59.000Z');
  });

  it('uses the last day of a shorter month (leap years too)', () => {
    expect(iso(nextReportDue({ monthlyOn: 31 }, at('2028-02-01T00:00:00+08:00'), 0))).toBe('2028-02-29T15:59:59.000Z');
    expect(iso(nextReportDue({ monthlyOn: 30 }, at('2027-02-01T00:00:00+08:00'), 0))).toBe('2027-02-28T15:59:59.000Z');
  });

  it('counts fixed-length cycles from the anchor', () => {
    const anchor = at('2027-01-01T00:00:00Z');
    expect(iso(nextReportDue('PT10S', anchor, anchor))).toBe('2027-01-01T00:00:10.000Z');
    expect(iso(nextReportDue('PT10S', anchor + 10_000, anchor))).toBe('2027-01-01T00:00:20.000Z');
    expect(iso(nextReportDue('PT10S', anchor + 35_000, anchor))).toBe('2027-01-01T00:00:40.000Z');
  });

  describe('after a report', () => {
    const monthly = { monthlyOn: 25 };
    const march25 = at('2027-03-25T23:59:59+08:00');
    const april25 = at('2027-04-25T23:59:59+08:00');
    const may25 = at('2027-05-25T23:59:59+08:00');

    it('moves one cycle on when the report answers the current cycle', () => {
      expect(dueAfterReport(monthly, at('2027-03-20T10:00:00+08:00'), march25, 0)).toBe(april25);
    });

    it('does not move again for a second report in a cycle already answered', () => {
      expect(dueAfterReport(monthly, at('2027-03-22T10:00:00+08:00'), april25, 0)).toBe(april25);
    });

    it('answers a missed cycle with a late report, and the cycle the report falls in stays due', () => {
      expect(dueAfterReport(monthly, at('2027-03-27T10:00:00+08:00'), march25, 0)).toBe(april25);
      expect(dueAfterReport(monthly, at('2027-05-01T10:00:00+08:00'), march25, 0)).toBe(may25);
    });
  });

  it.each([
    [{ monthlyOn: 0 }, 'monthlyOn must be a day of the month from 1 to 31, got 0'],
    [{ monthlyOn: 25, weekly: 1 }, 'a monthly cycle is { "monthlyOn": day }'],
    ['PT0S', '"PT0S" is not a positive ISO-8601 duration (e.g. "PT30S")'],
    ['P1M', '"P1M" is not a positive ISO-8601 duration (e.g. "PT30S")'],
    [7, '7 is neither { "monthlyOn": day } nor an ISO-8601 duration'],
  ])('refuses %j', (value, problem) => {
    expect(reportingCycleProblem(value)).toBe(problem);
  });
});
