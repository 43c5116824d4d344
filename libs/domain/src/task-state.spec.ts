import { ErrorCode } from './errors';
import { ACTIVE_TASK_STATUSES, decideTaskAction, TASK_ACTIONS, TaskAction, TaskStatus } from './task-state';
import { Actor } from './user';

const actor = (unitId: string, ...roles: string[]): Actor => ({ userId: `${unitId}-user`, unitId, roles });
const task = { leadUnitIds: ['development'] };
const leadHead = actor('development', 'head');
const leadStaff = actor('development', 'staff');
const otherHead = actor('housing', 'head');
const supervisor = actor('supervision', 'supervisor');

describe('the task state table', () => {
  it.each([
    [TaskAction.Consolidate, TaskStatus.AwaitingConsolidation, TaskStatus.AwaitingVerification],
    [TaskAction.Close, TaskStatus.AwaitingVerification, TaskStatus.Closed],
    [TaskAction.Return, TaskStatus.AwaitingVerification, TaskStatus.AwaitingConsolidation],
    [TaskAction.Cancel, TaskStatus.InProgress, TaskStatus.Cancelled],
    [TaskAction.ChangeDeadline, TaskStatus.AwaitingVerification, TaskStatus.AwaitingVerification],
    [TaskAction.AddUnit, TaskStatus.InProgress, TaskStatus.InProgress],
    [TaskAction.RemoveUnit, TaskStatus.InProgress, TaskStatus.InProgress],
    [TaskAction.Edit, TaskStatus.InProgress, TaskStatus.InProgress],
    [TaskAction.Edit, TaskStatus.AwaitingVerification, TaskStatus.AwaitingVerification],
  ])('%s from %s leads to %s', (action, from, to) => {
    const who = action === TaskAction.Consolidate ? leadHead : supervisor;
    expect(decideTaskAction(action, from, who, task)).toEqual({ allowed: true, to });
  });

  it('refuses every action on a closed, cancelled or not yet started task', () => {
    for (const status of [TaskStatus.Closed, TaskStatus.Cancelled, 'open']) {
      for (const action of TASK_ACTIONS) {
        for (const who of [leadHead, supervisor]) {
          expect(decideTaskAction(action, status, who, task).allowed).toBe(false);
        }
      }
    }
  });

  it('lets only a head of a lead unit consolidate, and only the supervision office close, return, cancel or move the deadline', () => {
    for (const who of [leadStaff, otherHead, supervisor]) {
      expect(decideTaskAction(TaskAction.Consolidate, TaskStatus.AwaitingConsolidation, who, task)).toEqual(
        expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }),
      );
    }
    for (const action of [TaskAction.Close, TaskAction.Return, TaskAction.Cancel, TaskAction.ChangeDeadline]) {
      expect(decideTaskAction(action, TaskStatus.AwaitingVerification, leadHead, task)).toEqual(
        expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }),
      );
    }
  });

  it('lets a head of a lead unit or the supervision office add a unit (加签), only while the task is in progress', () => {
    expect(decideTaskAction(TaskAction.AddUnit, TaskStatus.InProgress, leadHead, task).allowed).toBe(true);
    expect(decideTaskAction(TaskAction.AddUnit, TaskStatus.InProgress, supervisor, task).allowed).toBe(true);
    expect(decideTaskAction(TaskAction.AddUnit, TaskStatus.InProgress, otherHead, task)).toEqual(
      expect.objectContaining({ code: ErrorCode.Forbidden }),
    );
    expect(decideTaskAction(TaskAction.AddUnit, TaskStatus.AwaitingConsolidation, leadHead, task)).toEqual(
      expect.objectContaining({ code: ErrorCode.Conflict }),
    );
  });

  it('counts closed and cancelled tasks as no longer active', () => {
    expect(ACTIVE_TASK_STATUSES).not.toContain(TaskStatus.Closed);
    expect(ACTIVE_TASK_STATUSES).not.toContain(TaskStatus.Cancelled);
  });
});

describe('corrections (edit, 减签)', () => {
  it('are the supervision office’s: a lead unit’s head may not edit the task or remove a unit', () => {
    for (const action of [TaskAction.Edit, TaskAction.RemoveUnit]) {
      expect(decideTaskAction(action, TaskStatus.InProgress, leadHead, task)).toEqual(
        expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }),
      );
    }
  });
  it('removes units only while the units work; edits until the task is closed or cancelled', () => {
    expect(decideTaskAction(TaskAction.RemoveUnit, TaskStatus.AwaitingConsolidation, supervisor, task)).toEqual(
      expect.objectContaining({ allowed: false, code: ErrorCode.Conflict }),
    );
    expect(decideTaskAction(TaskAction.Edit, TaskStatus.AwaitingConsolidation, supervisor, task).allowed).toBe(true);
  });
});
