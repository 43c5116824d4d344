/**
 * The 08:30 daily digest of a unit's work (issue 15): one notification per unit and working day, written by the
 * digest workflow's activity and delivered by the outbox like any other notification.
 */

import { NotificationKind } from './notification-delivery';
import type { NotificationInput } from './projection-contracts';

/** What one unit's digest counts, as of the digest's instant. */
export interface DigestCounts {
  /** Assignments the unit received in the 24 hours before. */
  newWork: number;
  /** Live assignments due within the next 3 days. */
  dueSoon: number;
  /** Live assignments whose deadline has passed. */
  overdue: number;
  /** 催办 (manual or from the supervision office) the unit received in the 24 hours before. */
  urges: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The digest notification of `unit` for the China-time `date` (YYYY-MM-DD), or null when there is nothing to
 * report: a unit with no work gets no message rather than an empty one every morning.
 */
export function digestNotification(
  unit: { id: string; name: string },
  counts: DigestCounts,
  date: string,
): NotificationInput | null {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  if (counts.newWork + counts.dueSoon + counts.overdue + counts.urges === 0) return null;
  const day = `${Number(match[2])}月${Number(match[3])}日`;
  const lines = [
    `新任务 ${counts.newWork} 项`,
    `3 日内到期 ${counts.dueSoon} 项`,
    `已逾期 ${counts.overdue} 项`,
    `收到催办 ${counts.urges} 次`,
  ];
  return {
    recipientUnitId: unit.id,
    // The whole unit: staff and head alike see what is waiting for it.
    recipientRole: null,
    kind: NotificationKind.DailyDigest,
    subjectType: 'unit',
    subjectId: unit.id,
    title: `每日摘要（${day}）：${lines.join('，')}`,
    body: [`${unit.name}${day}待办摘要：`, ...lines.map((line) => `· ${line}`), '请登录系统在“待办”中查看详情。'].join(
      '\n',
    ),
  };
}

/** One digest per unit and China-time date: a second run of the same day (a retry, a restart) writes nothing. */
export function digestDedupeKey(unitId: string, date: string): string {
  return `digest:${unitId}:${date}`;
}
