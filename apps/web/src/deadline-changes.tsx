import type { AuditEventResponse } from './api-types';
import { formatDateTime, formatDay } from './format';

/** One 时限调整 as a reader wants it: old → new, why, by whom, and which units it moved. */
export interface DeadlineChange {
  seq: number;
  at: string;
  from: string | null;
  to: string | null;
  reason: string;
  actorUnitId: string | null;
  /** The units whose deadline moved with it; empty for a change of the task's own 完成时限 that moved no unit. */
  unitIds: string[];
  /** A change of the whole task (调整时限), not one unit's 延期. */
  taskWide: boolean;
}

const TASK_CHANGE = 'task.deadline-changed';
const UNIT_CHANGE = 'assignment.deadline-changed';

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/**
 * The deadline changes of a task's timeline, oldest first. A task-wide 调整时限 is audited once by the task and
 * once more by every unit's own process (each re-arms its clock): those unit events repeat the task's change, so
 * they are folded into it, and only a unit's own 延期 (a different date or reason) stands as its own change.
 */
export function deadlineChanges(
  timeline: AuditEventResponse[],
  unitOfAssignment: (assignmentId: string) => string | undefined,
): DeadlineChange[] {
  const changes: DeadlineChange[] = [];
  for (const event of [...timeline].sort((a, b) => a.seq - b.seq)) {
    if (event.action !== TASK_CHANGE && event.action !== UNIT_CHANGE) continue;
    const payload = event.payload ?? {};
    const change = {
      seq: event.seq,
      at: event.at,
      from: text(payload.before),
      to: text(payload.after),
      reason: text(payload.reason) ?? '',
      actorUnitId: event.actorUnitId,
    };
    if (event.action === TASK_CHANGE) {
      changes.push({ ...change, unitIds: [], taskWide: true });
      continue;
    }
    const unitId = unitOfAssignment(event.subjectId);
    const wide = [...changes]
      .reverse()
      .find((earlier) => earlier.taskWide && earlier.to === change.to && earlier.reason === change.reason);
    if (wide) {
      if (unitId && !wide.unitIds.includes(unitId)) wide.unitIds.push(unitId);
      continue;
    }
    changes.push({
      ...change,
      unitIds: unitId ? [unitId] : [],
      taskWide: false,
    });
  }
  return changes;
}

/** Whether a timeline event is one unit's echo of a task-wide change (shown once, in the 时限调整记录). */
export function echoesTaskChange(event: AuditEventResponse, changes: DeadlineChange[]): boolean {
  if (event.action !== UNIT_CHANGE) return false;
  return changes.some(
    (change) =>
      change.taskWide &&
      change.to === text(event.payload?.after) &&
      change.reason === (text(event.payload?.reason) ?? ''),
  );
}

/** 时限调整记录: every change of the task's or a unit's deadline, newest first. */
export function DeadlineChangeList({
  changes,
  unitName,
}: {
  changes: DeadlineChange[];
  unitName: (unitId: string) => string;
}) {
  if (changes.length === 0) return null;
  return (
    <div className="card deadline-changes" data-testid="deadline-changes">
      <h2>时限调整记录</h2>
      <ul className="plain-list">
        {[...changes].reverse().map((change) => (
          <li key={change.seq} data-testid="deadline-change">
            <span className="nowrap">{formatDay(change.from)}</span> →{' '}
            <strong className="nowrap">{formatDay(change.to)}</strong>
            <span className="tag">
              {change.taskWide
                ? change.unitIds.length > 0
                  ? `全任务（${change.unitIds.length} 个单位）`
                  : '全任务'
                : change.unitIds.map(unitName).join('、') || '单位'}
            </span>
            <span className="muted small">
              {formatDateTime(change.at)}
              {change.actorUnitId ? ` · ${unitName(change.actorUnitId)}` : ''}
            </span>
            {change.reason && <div className="timeline-note">理由：{change.reason}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}
