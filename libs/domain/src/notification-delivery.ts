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
  /** A comment in a thread named the unit. */
  CommentMention = 'comment-mention',
  /** A county leader's 批示 on a task (or an escalation of one) reaches every unit of the task. */
  LeaderInstruction = 'leader-instruction',
  /** 挂牌督办 of an assignment's escalation (carrying the leaders' 批示 on it, if any). */
  EscalationFlagged = 'escalation-flagged',
  /** A 督查通报 was stored (scheduled or by the office): every unit and the leaders get it. */
  BulletinPublished = 'bulletin.published',
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

/**
 * The calendar's answer, or Monday to Friday for a year it does not cover yet: a notification (or a digest) is
 * then late or early by a holiday, rather than held for ever. The deadlines never guess like this (DESIGN §5).
 */
export function orWeekdays(isWorkingDay: (date: string) => boolean): (date: string) => boolean {
  return (date) => {
    try {
      return isWorkingDay(date);
    } catch (error) {
      if (error instanceof CalendarYearNotCoveredError) return isWeekday(date);
      throw error;
    }
  };
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
  const workingDay = orWeekdays(isWorkingDay);
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
  if (subject.subjectType === 'bulletin') return `/bulletins`;
  return '/';
}

/** Where a notification can go outside the app. */
export type DeliveryChannel = 'email' | 'wecom' | 'dingtalk' | 'webhook';

/** What the planner is told about one notification (the repository reads it). */
export interface DeliveryFacts {
  notification: {
    id: string;
    kind: string;
    recipientRole: string | null;
    createdAt: Date;
    /** The urgency of the call a notification is about (null for anything else). */
    callUrgency: string | null;
  };
  /** The recipient unit and the unit it was merged into, if any (its users act for it). */
  recipientUnitIds: readonly string[];
  /** The unit the notification is about (an assignment's or a called unit, and its survivor), if any. */
  subjectUnitIds: readonly string[];
  /** Enabled users of the recipient units holding the addressed role (all of them when none is addressed). */
  users: ReadonlyArray<{ id: string; email: string | null; notifyCategories: readonly string[] | null }>;
  /** Enabled endpoints of the recipient and subject units, and the county-wide webhooks (unitId null). */
  endpoints: ReadonlyArray<{ id: string; kind: Exclude<DeliveryChannel, 'email'>; url: string; unitId: string | null }>;
  /** Whether an SMTP server is configured. */
  emailEnabled: boolean;
}

export interface PlannedDelivery {
  channel: DeliveryChannel;
  recipientUserId: string | null;
  endpointId: string | null;
  /**
   * The e-mail address, or the endpoint's URL without its query (robot URLs carry their access token there), at
   * planning time: what an admin sees on a dead letter.
   */
  address: string;
  /** notification:channel:recipient — the same delivery planned twice is stored once. */
  dedupeKey: string;
  notBefore: Date;
}

/**
 * Which deliveries a notification gets:
 * - e-mail to each addressed user with an address who wants the notification's category (a role-addressed
 *   notification reaches only holders of that role: the repository selects them);
 * - a unit's robots and webhooks get what is addressed to the unit as a whole (a group chat is read by all), and
 *   every escalation about the unit (督办 is meant to be seen by the late unit);
 * - county-wide webhooks (the OA or SMS gateway) get everything, with the recipients' contacts in the payload.
 * All wait for working hours unless the notification `pushesAnyTime`.
 */
export function planDeliveries(facts: DeliveryFacts, isWorkingDay: (date: string) => boolean): PlannedDelivery[] {
  const { notification } = facts;
  const notBefore = deliveryTime(
    notification.createdAt,
    pushesAnyTime({ kind: notification.kind, callUrgency: notification.callUrgency }),
    isWorkingDay,
  );
  const category = categoryOf(notification.kind);
  const planned: PlannedDelivery[] = [];
  if (facts.emailEnabled) {
    for (const user of facts.users) {
      if (!user.email || !wantsCategory(user.notifyCategories, category)) continue;
      planned.push({
        channel: 'email',
        recipientUserId: user.id,
        endpointId: null,
        address: user.email,
        dedupeKey: `${notification.id}:email:${user.id}`,
        notBefore,
      });
    }
  }
  const toWholeUnit = notification.recipientRole === null;
  const isEscalation = category === NotificationCategory.Escalation;
  for (const endpoint of facts.endpoints) {
    const applies =
      endpoint.unitId === null ||
      (toWholeUnit && facts.recipientUnitIds.includes(endpoint.unitId)) ||
      (isEscalation && facts.subjectUnitIds.includes(endpoint.unitId));
    if (!applies) continue;
    planned.push({
      channel: endpoint.kind,
      recipientUserId: null,
      endpointId: endpoint.id,
      address: withoutQuery(endpoint.url),
      dedupeKey: `${notification.id}:${endpoint.kind}:${endpoint.id}`,
      notBefore,
    });
  }
  return planned;
}

function withoutQuery(url: string): string {
  const index = url.search(/[?#]/);
  return index === -1 ? url : url.slice(0, index);
}
