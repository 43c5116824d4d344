import { digestDedupeKey, digestNotification, orWeekdays, shanghaiDate } from '@county/domain';
import type { CalendarOverrideRepository, DigestRepository, DigestRow } from '@county/persistence';
import { workingDayRule } from './delivery.activities';

export interface DailyDigestInput {
  /** ISO instant the digest is for (the schedule's 08:30 China time). */
  at: string;
}

export interface DailyDigestResult {
  /** The China-time date of `at` (YYYY-MM-DD). */
  date: string;
  workingDay: boolean;
  /** Digests written by this run (0 on a non-working day, or when the day's digests were written before). */
  written: number;
}

/** The digest's unit names (the registry); without it a digest names its unit by id. */
export interface DigestUnitNames {
  list(): Promise<Array<{ id: string; name: string }>>;
}

/**
 * The daily digest (issue 15): one notification per unit with work, on working days only, on the same calendar
 * as the deadlines (holidays, 调休, regional days). It is an activity because it reads the database and the
 * calendar, which change; the workflow only says for which instant.
 */
export function createDigestActivities(dependencies: {
  digests: DigestRepository;
  overrides: CalendarOverrideRepository;
  units?: DigestUnitNames;
}) {
  return {
    async writeDailyDigests(input: DailyDigestInput): Promise<DailyDigestResult> {
      const at = new Date(input.at);
      if (Number.isNaN(at.getTime())) throw new RangeError(`"${input.at}" is not an instant`);
      const date = shanghaiDate(at);
      // A year the calendar does not cover yet counts Monday to Friday, as for delivery.
      const workingDay = orWeekdays(await workingDayRule(dependencies.overrides))(date);
      if (!workingDay) return { date, workingDay, written: 0 };
      const counts = await dependencies.digests.countsByUnit(at);
      const names = new Map((await dependencies.units?.list())?.map((unit) => [unit.id, unit.name]) ?? []);
      const rows: DigestRow[] = [];
      for (const [unitId, unitCounts] of counts) {
        const notification = digestNotification({ id: unitId, name: names.get(unitId) ?? unitId }, unitCounts, date);
        if (notification) rows.push({ notification, dedupeKey: digestDedupeKey(unitId, date) });
      }
      return { date, workingDay, written: await dependencies.digests.writeDigests(rows) };
    },
  };
}
