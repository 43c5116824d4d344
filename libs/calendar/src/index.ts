import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CalendarOverride, HolidayTable, WorkingCalendar } from '@county/domain';

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let nationalTable: HolidayTable | undefined;

/**
 * The State Council holiday notices as the maintained `chinese-days` package records them (2004 to its
 * latest year). Only its data file is used: its query functions would answer for uncovered years too.
 */
export function nationalHolidayTable(): HolidayTable {
  if (nationalTable) return nationalTable;
  const packageDir = path.dirname(require.resolve('chinese-days/package.json'));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const data = JSON.parse(readFileSync(path.join(packageDir, 'dist/chinese-days.json'), 'utf8')) as ChineseDaysData;
  const holidays = new Set(Object.keys(data.holidays));
  const makeUpWorkdays = new Set(Object.keys(data.workdays));
  // A year is covered when the package lists holidays in it (every published notice has some).
  const coveredYears = new Set([...holidays].map((date) => Number(date.slice(0, 4))));
  nationalTable = { version: `chinese-days@${version}`, coveredYears, holidays, makeUpWorkdays };
  return nationalTable;
}

/**
 * The national table plus regional overrides. `completedYears` are years an admin loaded from a new
 * notice (as overrides) and marked complete: they count as covered, and are part of the version.
 */
export function createWorkingCalendar(
  overrides: readonly CalendarOverride[],
  completedYears: readonly number[] = [],
): WorkingCalendar {
  const national = nationalHolidayTable();
  if (completedYears.length === 0) return new WorkingCalendar(national, overrides);
  const coveredYears = new Set([...national.coveredYears, ...completedYears]);
  const version = `${national.version}+years:${[...completedYears].sort().join(',')}`;
  return new WorkingCalendar({ ...national, coveredYears, version }, overrides);
}
