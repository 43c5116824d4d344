import {
  AssignmentAction,
  AssignmentStatus,
  checkRequestedDueAt,
  decideAssignmentAction,
  decideDeadlineExtension,
  decideExtensionRequest,
  decideReassign,
  decideUnitRemoval,
  decideUnitWorkOnTask,
  decideUrge,
  ENDED_ASSIGNMENT_STATUSES,
  LIVE_ASSIGNMENT_STATUSES,
  OPEN_ASSIGNMENT_STATUSES,
  taskLeftUnitWork,
  UNIT_WORK_ACTIONS,
} from './assignment-state';
import { ErrorCode } from './errors';
import { AssignmentRole } from './plan';
import { TASK_NOT_STARTED, TaskStatus } from './task-state';
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

describe('decideUrge (催办)', () => {
  const task = { status: 'in-progress', leadUnitIds: ['approval'] };
  const live = { unitId: 'finance', status: 'in-progress' };

  it('lets the supervision office urge any live work, and a lead head the other units of its task', () => {
    expect(decideUrge(supervisor, live, task)).toEqual({ allowed: true });
    expect(decideUrge(actor('approval', 'head'), live, task)).toEqual({ allowed: true });
  });

  it("refuses staff, other units' heads, and a lead head urging its own part", () => {
    expect(decideUrge(actor('approval', 'staff'), live, task)).toMatchObject({
      allowed: false,
      code: ErrorCode.Forbidden,
    });
    expect(decideUrge(actor('health', 'head'), live, task)).toMatchObject({
      allowed: false,
      code: ErrorCode.Forbidden,
    });
    expect(decideUrge(actor('approval', 'head'), { ...live, unitId: 'approval' }, task)).toMatchObject({
      allowed: false,
      code: ErrorCode.Forbidden,
    });
  });

  it('refuses work that has ended, or whose task has', () => {
    expect(decideUrge(supervisor, { ...live, status: 'approved' }, task)).toMatchObject({
      allowed: false,
      code: ErrorCode.Conflict,
    });
    expect(decideUrge(supervisor, live, { ...task, status: 'cancelled' })).toMatchObject({
      allowed: false,
      code: ErrorCode.Conflict,
    });
  });
});

describe('撤回 (withdraw)', () => {
  const parties = { unitId: 'finance', leadUnitIds: ['approval'] };
  it('takes a submitted report back to the unit’s own work, by the unit’s staff or head', () => {
    for (const who of [actor('finance', 'staff'), actor('finance', 'head')]) {
      expect(decideAssignmentAction(AssignmentAction.Withdraw, AssignmentStatus.Submitted, who, parties)).toEqual({
        allowed: true,
        to: AssignmentStatus.InProgress,
      });
    }
  });
  it('is refused to anyone else (403) and once the report is decided or not submitted (409)', () => {
    for (const who of [actor('approval', 'head'), actor('civil-affairs', 'staff'), supervisor]) {
      expect(decideAssignmentAction(AssignmentAction.Withdraw, AssignmentStatus.Submitted, who, parties)).toEqual(
        expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }),
      );
    }
    for (const status of Object.values(AssignmentStatus).filter((status) => status !== AssignmentStatus.Submitted)) {
      expect(decideAssignmentAction(AssignmentAction.Withdraw, status, actor('finance', 'staff'), parties)).toEqual(
        expect.objectContaining({ allowed: false, code: ErrorCode.Conflict }),
      );
    }
  });
});

describe('减签 (removing a unit)', () => {
  const inProgress = { status: TaskStatus.InProgress };
  const responsible = { role: AssignmentRole.Responsible, live: true };
  it('lets the supervision office take a live responsible unit off a task in progress', () => {
    expect(decideUnitRemoval(supervisor, inProgress, responsible, 1)).toEqual({ allowed: true });
  });
  it('is the supervision office’s alone', () => {
    for (const who of [actor('approval', 'head'), actor('finance', 'staff'), actor('leadership', 'leader')]) {
      expect(decideUnitRemoval(who, inProgress, responsible, 1)).toEqual(
        expect.objectContaining({ code: ErrorCode.Forbidden }),
      );
    }
  });
  it('keeps lead units, ended work, the last responsible unit and tasks past the units’ work', () => {
    const refusals = [
      decideUnitRemoval(supervisor, inProgress, { ...responsible, role: AssignmentRole.Lead }, 1),
      decideUnitRemoval(supervisor, inProgress, { ...responsible, live: false }, 1),
      decideUnitRemoval(supervisor, inProgress, responsible, 0),
      decideUnitRemoval(supervisor, { status: TaskStatus.AwaitingConsolidation }, responsible, 1),
    ];
    for (const refusal of refusals) expect(refusal).toEqual(expect.objectContaining({ code: ErrorCode.Conflict }));
    expect(decideUnitRemoval(supervisor, inProgress, undefined, 1)).toEqual(
      expect.objectContaining({ code: ErrorCode.NotFound }),
    );
  });
  it('ends the assignment: removed is an ended status', () => {
    expect(ENDED_ASSIGNMENT_STATUSES).toContain(AssignmentStatus.Removed);
  });
});

describe("taskLeftUnitWork (the lead unit's own row once every responsible unit is approved)", () => {
  it('holds for every task status but in progress, and not for a task whose workflow has not started', () => {
    expect(taskLeftUnitWork({ status: TaskStatus.InProgress })).toBe(false);
    expect(taskLeftUnitWork({ status: TASK_NOT_STARTED })).toBe(false);
    for (const status of Object.values(TaskStatus).filter((status) => status !== TaskStatus.InProgress)) {
      expect(taskLeftUnitWork({ status })).toBe(true);
    }
  });
  it('refuses 签收, 进展, 报送, 撤回 and 申请延期 (409) once the task has left unit work, and nothing else', () => {
    expect(UNIT_WORK_ACTIONS).toEqual([
      AssignmentAction.Acknowledge,
      AssignmentAction.Progress,
      AssignmentAction.Submit,
      AssignmentAction.Withdraw,
      AssignmentAction.RequestExtension,
    ]);
    for (const status of [TaskStatus.AwaitingConsolidation, TaskStatus.AwaitingVerification, TaskStatus.Closed]) {
      for (const action of UNIT_WORK_ACTIONS) {
        expect(decideUnitWorkOnTask(action, { status })).toEqual(
          expect.objectContaining({ allowed: false, code: ErrorCode.Conflict }),
        );
      }
      for (const action of Object.values(AssignmentAction).filter((action) => !UNIT_WORK_ACTIONS.includes(action))) {
        expect(decideUnitWorkOnTask(action, { status })).toEqual({ allowed: true });
      }
    }
    for (const action of Object.values(AssignmentAction)) {
      expect(decideUnitWorkOnTask(action, { status: TaskStatus.InProgress })).toEqual({ allowed: true });
    }
  });
});
