import { DeadlineKind, endOfDeadlineDay, parseDeadlineText, shiftDeadlineYear } from './deadline-text';

describe('parseDeadlineText', () => {
  it.each([
    ['2021年4月10日前', '2021-04-10', DeadlineKind.Date],
    ['2021年4月10前', '2021-04-10', DeadlineKind.Date], // the seed list's typo form
    ['2021年5月底前', '2021-05-31', DeadlineKind.MonthEnd],
    ['2021年4月底前', '2021-04-30', DeadlineKind.MonthEnd],
    ['2021年2月底前', '2021-02-28', DeadlineKind.MonthEnd],
    ['2024年2月底前', '2024-02-29', DeadlineKind.MonthEnd], // leap year
    ['2100年2月底前', '2100-02-28', DeadlineKind.MonthEnd], // century, not a leap year
    ['2000年2月底前', '2000-02-29', DeadlineKind.MonthEnd], // divisible by 400
    ['2021年底前', '2021-12-31', DeadlineKind.YearEnd],
    ['2021年上半年', '2021-06-30', DeadlineKind.HalfYear],
    ['2021年下半年', '2021-12-31', DeadlineKind.HalfYear],
    [' 2021年6月\n30日前 ', '2021-06-30', DeadlineKind.Date], // a cell wrapped over lines
  ])('%s → %s (%s)', (text, date, kind) => {
    expect(parseDeadlineText(text)).toMatchObject({ date, kind });
  });

  it.each(['长期坚持', '持续推进'])('%s is ongoing, with no date', (text) => {
    expect(parseDeadlineText(text)).toEqual({ text, date: null, kind: DeadlineKind.Ongoing });
  });

  it.each(['', '尽快', '2021年2月30日前', '2021年13月底前', '2021年0月1日前', '年底前', '2021-05-31'])(
    '"%s" is unknown, not a crash and not a guess',
    (text) => {
      expect(parseDeadlineText(text)).toMatchObject({ date: null, kind: DeadlineKind.Unknown });
    },
  );
});

describe('shiftDeadlineYear', () => {
  it('moves dates and recomputes month ends for leap years', () => {
    expect(shiftDeadlineYear(parseDeadlineText('2021年2月底前'), 2024)).toMatchObject({
      date: '2024-02-29',
      kind: 'month-end',
    });
    expect(shiftDeadlineYear(parseDeadlineText('2021年5月底前'), 2027)).toMatchObject({
      date: '2027-05-31',
      text: '2021年5月底前',
    });
    expect(shiftDeadlineYear(parseDeadlineText('2021年4月10日前'), 2027).date).toBe('2027-04-10');
    expect(shiftDeadlineYear(parseDeadlineText('长期坚持'), 2027)).toEqual(parseDeadlineText('长期坚持'));
  });

  it('ends a deadline day at 23:59:59 Beijing time', () => {
    expect(endOfDeadlineDay('2021-05-31').toISOString()).toBe('2021-05-31T15:59:59.000Z');
  });
});
