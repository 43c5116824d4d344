import { Readable } from 'node:stream';
import {
  isFirstWorkingDayOfMonth,
  orWeekdays,
  scheduledBulletinPeriods,
  shanghaiDate,
  BulletinTrigger,
} from '@county/domain';
import type { BulletinRepository, CalendarOverrideRepository } from '@county/persistence';
import { writeBulletin } from '@county/reports';
import type { AttachmentStore } from '@county/storage';
import type { BulletinContent } from '@county/domain';
import { workingDayRule } from './delivery.activities';

/** A bulletin is a few dozen kilobytes; this only stops a runaway render from filling the store. */
export const MAX_BULLETIN_BYTES = 20 * 1024 * 1024;

/** The .docx of `content`, put in the file store: what a bulletin row points at (by sha256). */
export function bulletinRenderer(files: AttachmentStore) {
  return async (content: BulletinContent) => {
    const bytes = await writeBulletin(content);
    const stored = await files.put(Readable.from([bytes]), MAX_BULLETIN_BYTES);
    return { sha256: stored.sha256, size: stored.size };
  };
}

export interface ScheduledBulletinsInput {
  /** ISO instant of the run (the schedule's 09:00 China time). */
  at: string;
}

export interface ScheduledBulletinsResult {
  /** The China-time date of `at` (YYYY-MM-DD). */
  date: string;
  firstWorkingDay: boolean;
  /** The periods this date reports on (empty unless it is the first working day of its month). */
  periods: string[];
  /** The bulletins this run stored (ids); empty when they were stored before (a re-run, a second firing). */
  written: string[];
}

/**
 * The monthly bulletin (issue 17): on the first working day of a month — on the deadlines' calendar, so holidays,
 * 调休 and the county's overrides count — the previous month's bulletin, and in January, April, July and October
 * the previous quarter's too. Idempotent: a period whose scheduled bulletin exists is skipped before anything is
 * rendered, and the unique partial index on bulletins catches two runs racing.
 */
export function createBulletinActivities(dependencies: {
  bulletins: BulletinRepository;
  overrides: CalendarOverrideRepository;
  files: AttachmentStore;
}) {
  const render = bulletinRenderer(dependencies.files);
  return {
    async writeScheduledBulletins(input: ScheduledBulletinsInput): Promise<ScheduledBulletinsResult> {
      const at = new Date(input.at);
      if (Number.isNaN(at.getTime())) throw new RangeError(`"${input.at}" is not an instant`);
      const date = shanghaiDate(at);
      // Read on every run (no cache): an override entered yesterday decides today. A year the calendar does not
      // cover yet counts Monday to Friday, as for the digest.
      const isWorkingDay = orWeekdays(await workingDayRule(dependencies.overrides));
      if (!isFirstWorkingDayOfMonth(date, isWorkingDay))
        return { date, firstWorkingDay: false, periods: [], written: [] };
      const periods = scheduledBulletinPeriods(date);
      const written: string[] = [];
      for (const period of periods) {
        if (await dependencies.bulletins.hasScheduled(period.key)) continue;
        const stored = await dependencies.bulletins.generate(
          { period, trigger: BulletinTrigger.Scheduled, actor: null, now: at },
          render,
        );
        if (stored) written.push(stored.id);
      }
      return { date, firstWorkingDay: true, periods: periods.map((period) => period.key), written };
    },
  };
}
