/**
 * Notification kinds, the categories users choose from, and when a notification may be pushed outside the app
 * (DESIGN §8: quiet hours). In the app a notification is visible at once; these rules decide e-mail, robots and
 * webhooks (the outbox that applies them is issue 15's next step).
 */

import { CalendarYearNotCoveredError, isWeekday, nextDate, SHANGHAI_OFFSET_MS, shanghaiDate } from './working-calendar';

/** What a user chooses to receive outside the app; every notification kind belongs to one. */
export enum NotificationCategory {
  Reminder = 'reminder',
  Escalation = 'escalation',
  Urge = 'urge',
  Call = 'call',
  Work = 'work',
  Digest = 'digest',
}

/** Kinds the API writes (the workflows' kinds are their own strings, e.g. `deadline-reminder`). */
export enum NotificationKind {
  /** A manual 催办 by the supervision office or a lead unit's head. */
  Urge = 'urge',
  /** The supervision office's 催办 from its escalation queue. */
  SupervisionReminder = 'supervision-reminder',
  /** The 08:30 summary of a unit's work on a working day. */
  DailyDigest = 'daily-digest',
}

const REMINDER_KINDS = new Set(['deadline-reminder', 'acknowledge-reminder', 'review-reminder', 'call-reminder']);
const URGE_KINDS = new Set<string>([NotificationKind.Urge, NotificationKind.SupervisionReminder]);

export function categoryOf(kind: string): NotificationCategory {
  if (REMINDER_KINDS.has(kind)) return NotificationCategory.Reminder;
  if (kind.startsWith('escalation-level-')) return NotificationCategory.Escalation;
  if (URGE_KINDS.has(kind)) return NotificationCategory.Urge;
  if (kind === NotificationKind.DailyDigest) return NotificationCategory.Digest;
  if (kind.startsWith('call-')) return NotificationCategory.Call;
  return NotificationCategory.Work;
}

/** Null (never chosen) means every category. */
export function wantsCategory(chosen: readonly string[] | null, category: NotificationCategory): boolean {
  return chosen === null || chosen.includes(category);
}

/** Pushed at any hour: level-3 escalations (挂牌督办) and anything about an urgent 乡呼县应 call. */
export function pushesAnyTime(notification: { kind: string; callUrgency?: string | null }): boolean {
  return notification.kind === 'escalation-level-3' || notification.callUrgency === 'urgent';
}

/** Outside apps push from 08:30 to 18:00 China time on working days (the digest goes at the opening). */
const WORKING_HOURS = { startMinute: 8 * 60 + 30, endMinute: 18 * 60 } as const;
/** A calendar year that is not covered cannot hold a message back for ever: Monday to Friday then. */
const MAX_DAYS_AHEAD = 60;

/**
 * When a notification created at `at` may be pushed: at once inside working hours of a working day, or for a
 * notification that `pushesAnyTime`; otherwise at 08:30 China time of the next working day. `isWorkingDay`
 * answers for a China-time date (YYYY-MM-DD) and may throw for a year the calendar does not cover, in which
 * case weekdays count as working days (a message is late rather than lost).
 */
export function deliveryTime(at: Date, anyTime: boolean, isWorkingDay: (date: string) => boolean): Date {
  if (anyTime) return at;
  const workingDay = (date: string): boolean => {
    try {
      return isWorkingDay(date);
    } catch (error) {
      if (error instanceof CalendarYearNotCoveredError) return isWeekday(date);
      throw error;
    }
  };
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const date = shanghaiDate(at);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  if (workingDay(date) && minute >= WORKING_HOURS.startMinute && minute < WORKING_HOURS.endMinute) return at;
  // Today's opening if it is still ahead on a working day, else the next working day's.
  let day = workingDay(date) && minute < WORKING_HOURS.startMinute ? date : nextDate(date);
  for (let step = 0; step < MAX_DAYS_AHEAD && !workingDay(day); step += 1) day = nextDate(day);
  return openingOf(day);
}

/** 08:30 China time on a China-time date, as an instant. */
function openingOf(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + WORKING_HOURS.startMinute * 60_000 - SHANGHAI_OFFSET_MS);
}

/** What a notification is about, as stored (an assignment's task comes from the read model). */
export interface NotificationSubject {
  subjectType: string;
  subjectId: string;
  /** The task of an assignment subject, when known. */
  taskId?: string | null;
}

/**
 * The console page a notification leads to (a path, so the console and e-mail, which prefixes PUBLIC_URL, share
 * it): a task or an assignment opens the task; a call opens the calls page; anything else the 待办 inbox.
 */
export function notificationLink(subject: NotificationSubject): string {
  if (subject.subjectType === 'task') return `/tasks/${subject.subjectId}`;
  if (subject.subjectType === 'assignment' && subject.taskId) return `/tasks/${subject.taskId}`;
  if (subject.subjectType === 'call') return `/calls`;
  if (subject.subjectType === 'plan') return `/tasks`;
  return '/';
}
