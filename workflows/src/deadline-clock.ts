import { proxyActivities } from '@temporalio/workflow';
import { Duration, isoDurationMs, Policy, Role } from '@county/domain';
import type { Activities } from '@county/activities';

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
