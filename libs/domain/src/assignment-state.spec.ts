import {
  AssignmentAction,
  AssignmentStatus,
  checkRequestedDueAt,
  decideAssignmentAction,
  decideDeadlineExtension,
  decideExtensionRequest,
  decideReassign,
  ENDED_ASSIGNMENT_STATUSES,
  LIVE_ASSIGNMENT_STATUSES,
  OPEN_ASSIGNMENT_STATUSES,
} from './assignment-state';
import { ErrorCode } from './errors';
import { AssignmentRole } from './plan';
import { TaskStatus } from './task-state';
import { Actor } from './user';

const actor = (unitId: string, ...roles: string[]): Actor => ({ userId: `${unitId}-user`, unitId, roles });
const now = new Date('2027-03-01T00:00:00Z');
const supervisor = actor('supervision', 'supervisor');

describe('the assignment status sets', () => {
  it('split every status into open, submitted and ended, with no overlap', () => {
    expect(new Set([...LIVE_ASSIGNMENT_STATUSES, ...ENDED_ASSIGNMENT_STATUSES])).toEqual(
      new Set(Object.values(AssignmentStatus)),
    );
    expect(LIVE_ASSIGNMENT_STATUSES.filter((status) => ENDED_ASSIGNMENT_STATUSES.includes(status))).toEqual([]);
    expect(LIVE_ASSIGNMENT_STATUSES.filter((status) => !OPEN_ASSIGNMENT_STATUSES.includes(status))).toEqual([
      AssignmentStatus.Submitted,
    ]);
    expect(ENDED_ASSIGNMENT_STATUSES).toContain(AssignmentStatus.Reassigned);
  });
});

describe('who signs off', () => {
  it('is a head of a lead unit, never for its own unit’s part', () => {
    const parties = { unitId: 'approval', leadUnitIds: ['approval'] };
    expect(
      decideAssignmentAction(AssignmentAction.Approve, AssignmentStatus.Submitted, actor('approval', 'head'), parties),
    ).toEqual(expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }));
    expect(
      decideAssignmentAction(AssignmentAction.Approve, AssignmentStatus.Submitted, actor('approval', 'head'), {
        ...parties,
        unitId: 'finance',
      }),
    ).toEqual({ allowed: true, to: AssignmentStatus.Approved });
  });
});

describe('extension requests', () => {
  const live = { unitId: 'finance', status: AssignmentStatus.Submitted, dueAt: '2027-06-30T15:59:59Z' };
  it('are asked for by the assigned unit, before the deadline, for work that has not ended (reassigned included)', () => {
    expect(decideExtensionRequest(actor('finance', 'staff'), live, now)).toEqual({ allowed: true });
    expect(decideExtensionRequest(actor('water', 'staff'), live, now)).toEqual(
      expect.objectContaining({ code: ErrorCode.Forbidden }),
    );
    for (const status of ENDED_ASSIGNMENT_STATUSES) {
      expect(decideExtensionRequest(actor('finance', 'head'), { ...live, status }, now)).toEqual(
        expect.objectContaining({ code: ErrorCode.Conflict }),
      );
    }
    expect(decideExtensionRequest(actor('finance', 'staff'), { ...live, dueAt: '2027-02-01T00:00:00Z' }, now)).toEqual(
      expect.objectContaining({ code: ErrorCode.Conflict }),
    );
  });

  it('name a date later than the current deadline and in the future', () => {
    expect(checkRequestedDueAt(new Date('2027-07-31T00:00:00Z'), live.dueAt, now)).toEqual({ allowed: true });
    expect(checkRequestedDueAt(new Date('2027-06-01T00:00:00Z'), live.dueAt, now)).toEqual(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
    expect(checkRequestedDueAt(new Date('2027-02-01T00:00:00Z'), null, now)).toEqual(
      expect.objectContaining({ code: ErrorCode.ValidationFailed }),
    );
  });
});

describe('转办 and 延期 by the supervision office', () => {
  const work = { role: AssignmentRole.Responsible, status: AssignmentStatus.InProgress };
  const running = { status: TaskStatus.InProgress };
  it('reassigns a responsible unit’s live work while the task runs', () => {
    expect(decideReassign(supervisor, work, running)).toEqual({ allowed: true });
    expect(decideReassign(actor('approval', 'head'), work, running)).toEqual(
      expect.objectContaining({ code: ErrorCode.Forbidden }),
    );
    expect(decideReassign(supervisor, { ...work, role: AssignmentRole.Lead }, running)).toEqual(
      expect.objectContaining({ code: ErrorCode.Conflict }),
    );
    expect(decideReassign(supervisor, { ...work, status: AssignmentStatus.Approved }, running)).toEqual(
      expect.objectContaining({ code: ErrorCode.Conflict }),
    );
    expect(decideReassign(supervisor, work, { status: TaskStatus.AwaitingConsolidation })).toEqual(
      expect.objectContaining({ code: ErrorCode.Conflict }),
    );
  });

  it('moves the deadline of work that has not ended', () => {
    expect(decideDeadlineExtension(supervisor, { status: AssignmentStatus.Submitted })).toEqual({ allowed: true });
    expect(decideDeadlineExtension(supervisor, { status: AssignmentStatus.Reassigned })).toEqual(
      expect.objectContaining({ code: ErrorCode.Conflict }),
    );
  });
});
