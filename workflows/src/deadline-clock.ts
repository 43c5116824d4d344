import { CancellationScope, condition, proxyActivities } from '@temporalio/workflow';
import { Duration, isoDurationMs, NotificationInput, Policy, ProjectedChange, Role } from '@county/domain';
import type { Activities } from '@county/activities';
import type { SubjectRecords } from './records';

const { addWorkingDays } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // A year without a holiday notice fails with CALENDAR_YEAR_NOT_COVERED: keep retrying, slowly, until
  // an admin loads it (DESIGN §5); never fall back to a Mon–Fri guess.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** The ladder (DESIGN §4): 1 the unit's head, 2 the supervision office (督办), 3 county leadership (挂牌督办). */
export const ESCALATION_TARGETS: Record<number, (unitId: string) => { unitId: string; role: string | null }> = {
  1: (unitId) => ({ unitId, role: Role.Head }),
  2: () => ({ unitId: 'supervision', role: Role.Supervisor }),
  3: () => ({ unitId: 'leadership', role: Role.Leader }),
};
export const ESCALATION_NAMES: Record<number, string> = { 1: '一级预警', 2: '督办', 3: '挂牌督办' };

/** Reminder offsets before a limit and the escalation ladder after it (an assignment's or a call's policy). */
export type ClockPolicy = Pick<Policy['assignment'], 'remindBefore' | 'escalateAfter'>;

/** Which reminder or escalation of a clock (its identity, without its instant). */
export type ClockEventId = { kind: 'reminder'; index: number } | { kind: 'escalation'; level: number };
export type ClockEvent = ClockEventId & { at: number };
/** A clock event whose instant is not computed yet: the offset from the limit and its direction. */
export type ClockStep = ClockEventId & { offset: Duration; direction: 1 | -1 };

const DAY_MS = 24 * 3600_000;

/** `base` moved by `duration`, forwards or backwards. Working days go through the calendar activity. */
export async function shift(base: number, duration: Duration, direction: 1 | -1): Promise<number> {
  if (typeof duration === 'string') return base + direction * (isoDurationMs(duration) ?? 0);
  const { at } = await addWorkingDays({ from: new Date(base).toISOString(), workdays: direction * duration.workdays });
  return Date.parse(at);
}

/**
 * The reminders before a deadline and the escalation ladder after it, as instants in time order.
 * Computed in the workflow from activity results, so a replay sees exactly the instants first computed.
 */
export async function deadlineSchedule(dueAt: string | null, policy: ClockPolicy): Promise<ClockEvent[]> {
  if (dueAt === null) return [];
  const due = Date.parse(dueAt);
  const events: ClockEvent[] = [];
  for (const [index, before] of policy.remindBefore.entries()) {
    events.push({ kind: 'reminder', index, at: await shift(due, before, -1) });
  }
  for (const step of policy.escalateAfter) {
    events.push({ kind: 'escalation', level: step.level, at: await shift(due, step.after, 1) });
  }
  return events.sort((a, b) => a.at - b.at);
}

/**
 * The clock's events in the order they are expected to fall, before any instant is computed: reminders
 * (longest offset first), then the ladder. Working days count as whole days for this ordering only. Each
 * step's instant is computed only when the clock reaches it, so a step that cannot be computed yet (a
 * working-day offset into a year without a holiday notice) holds up only itself and what comes after it.
 */
export function clockSteps(policy: ClockPolicy): ClockStep[] {
  const nominal = (duration: Duration) =>
    typeof duration === 'string' ? (isoDurationMs(duration) ?? 0) : duration.workdays * DAY_MS;
  const reminders: ClockStep[] = policy.remindBefore
    .map((offset, index) => ({ kind: 'reminder' as const, index, offset, direction: -1 as const }))
    .sort((a, b) => nominal(b.offset) - nominal(a.offset));
  const escalations: ClockStep[] = policy.escalateAfter.map((step) => ({
    kind: 'escalation' as const,
    level: step.level,
    offset: step.after,
    direction: 1 as const,
  }));
  return [...reminders, ...escalations];
}

/** The instant of one step of the clock for a limit. */
export async function clockEvent(limit: string, step: ClockStep): Promise<ClockEvent> {
  const at = await shift(Date.parse(limit), step.offset, step.direction);
  return step.kind === 'reminder'
    ? { kind: 'reminder', index: step.index, at }
    : { kind: 'escalation', level: step.level, at };
}

/** `compute`'s result, or null if the clock is interrupted first (the computation is then cancelled). */
export async function unlessInterrupted<T>(interrupted: () => boolean, compute: () => Promise<T>): Promise<T | null> {
  const scope = new CancellationScope();
  const computing = scope.run(compute);
  const result = await Promise.race([computing, condition(interrupted).then(() => null)]);
  if (result === null) {
    scope.cancel();
    computing.catch(() => undefined);
  }
  return result;
}

/** One running clock: a limit, the policy's reminders before it and ladder after it, and what firing does. */
export interface DeadlineClock {
  limit: string;
  policy: ClockPolicy;
  /** True once this clock no longer applies (a new limit, a new phase, the work ended): it stops. */
  interrupted: () => boolean;
  /** Events an earlier run of the workflow fired already: skipped. */
  fired?: (event: ClockEventId) => boolean;
  /** An event due is held until this holds (an assignment's clock only fires while the work is with the unit). */
  mayFire?: () => boolean;
  fire: (event: ClockEvent) => Promise<void>;
}

/**
 * Runs a clock lazily (DESIGN §4–5): each step's instant is computed only when the clock reaches it, so a
 * working-day step into a year without a holiday notice holds up only itself and what comes after it.
 * Resolves true when every step has fired, false when the clock was interrupted first.
 */
export async function runDeadlineClock(clock: DeadlineClock): Promise<boolean> {
  const mayFire = clock.mayFire ?? (() => true);
  for (const step of clockSteps(clock.policy)) {
    if (clock.fired?.(step)) continue;
    const event = await unlessInterrupted(clock.interrupted, () => clockEvent(clock.limit, step));
    if (event === null) return false;
    const wait = event.at - Date.now();
    if (wait > 0 && (await condition(clock.interrupted, wait))) return false;
    await condition(() => clock.interrupted() || mayFire());
    if (clock.interrupted()) return false;
    await clock.fire(event);
  }
  return true;
}

export type Light = 'green' | 'yellow' | 'red';

/** How one clock's reminders and escalations read: who is told, in which words. */
export interface ClockNotice {
  records: SubjectRecords;
  /** The unit on the clock: the ladder's level 1 is its head. */
  unitId: string;
  /** The projection step's prefix (its clock version and phase): `<prefix>-reminder-0`, `<prefix>-escalation-1`. */
  step: string;
  /** What every audit event of this clock records besides the reminder index or level (the limit, the phase). */
  payload: Record<string, unknown>;
  reminder: { kind: string; title: string; to?: Array<{ unitId: string; role: string | null }> };
  /** `reason`/`title` are followed by the level's name: 逾期未完成（督办）, 任务逾期：督办. */
  escalation: { reason: string; title: string; alsoNotify?: (level: number) => NotificationInput[] };
}

/** One fired reminder or escalation: the projection step, what it writes, and the light it implies. */
export interface ClockNoticeChange {
  step: string;
  /** Yellow for a reminder, red for an escalation (a caller may weigh it otherwise, e.g. a late review). */
  light: Light;
  change: Pick<ProjectedChange, 'audit' | 'escalation' | 'notifications'>;
}

/** The one builder of a clock event's audit event, escalation and notifications (assignments and calls). */
export function clockNotice(event: ClockEvent, notice: ClockNotice): ClockNoticeChange {
  const { records } = notice;
  if (event.kind === 'reminder') {
    const to = notice.reminder.to ?? [{ unitId: notice.unitId, role: null }];
    return {
      step: `${notice.step}-reminder-${event.index}`,
      light: 'yellow',
      change: {
        audit: records.audit('reminded', null, { ...notice.payload, reminder: event.index }),
        notifications: to.map(({ unitId, role }) =>
          records.notify(unitId, role, notice.reminder.kind, notice.reminder.title),
        ),
      },
    };
  }
  const level = event.level;
  const target = ESCALATION_TARGETS[level](notice.unitId);
  const name = ESCALATION_NAMES[level];
  return {
    step: `${notice.step}-escalation-${level}`,
    light: 'red',
    change: {
      audit: records.audit('escalated', null, { ...notice.payload, level }),
      escalation: {
        subjectType: records.subject.type,
        subjectId: records.subject.id,
        level,
        reason: `${notice.escalation.reason}（${name}）`,
        targetUnitId: target.unitId,
      },
      notifications: [
        records.notify(target.unitId, target.role, `escalation-level-${level}`, `${notice.escalation.title}：${name}`),
        ...(notice.escalation.alsoNotify?.(level) ?? []),
      ],
    },
  };
}
