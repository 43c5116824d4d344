import {
  ASSIGNMENT_TRANSITIONS,
  AssignmentStatus,
  AssignmentTransition,
  checkRequestedDueAt,
  decideAssignmentAction,
  decideDeadlineExtension,
  decideExtensionRequest,
  decideReassign,
} from './assignment-state';
import { decideEscalationHandling, decideExtensionDecision, EscalationAction } from './allowed-actions';
import {
  CALL_TRANSITIONS,
  CallAction,
  CallStatus,
  CallSupervision,
  decideCallAction,
  decideCallRaise,
  decideCallSupervision,
  decideCallSupervisionState,
} from './call-state';
import { ERROR_MESSAGES } from './errors';
import { ASSIGNMENT_STATUS_LABELS, CALL_STATUS_LABELS, TASK_STATUS_LABELS } from './exports';
import { decideTaskAction, TASK_ACTIONS, TaskStatus } from './task-state';
import { UnitKind } from './unit';
import { Actor } from './user';
import { CalendarYearNotCoveredError } from './working-calendar';

/**
 * The console shows a refusal's reason to the person who tried: it must be Chinese, and name a status by the
 * word the console uses for it (已审核通过), never by its code (approved).
 */
const HAN = /[\u4e00-\u9fff]/;
const THREE_LATIN_WORDS = /[A-Za-z]{2,}[\s,;:.']+[A-Za-z]{2,}[\s,;:.']+[A-Za-z]{2,}/;
const expectChinese = (reason: string) => {
  expect(reason).toMatch(HAN);
  expect(reason).not.toMatch(THREE_LATIN_WORDS);
};

const actor = (unitId: string, ...roles: string[]): Actor => ({ userId: `${unitId}-user`, unitId, roles });
const staff = actor('finance', 'staff');
const leadHead = actor('approval', 'head');
const supervisor = actor('supervision', 'supervisor');
const township = actor('gaoren', 'staff');
const parties = { unitId: 'finance', leadUnitIds: ['approval'] };
const callParties = { fromUnitId: 'gaoren', toUnitId: 'water' };

function reasonOf(decision: { allowed: boolean; reason?: string }): string {
  expect(decision.allowed).toBe(false);
  return decision.reason!;
}

describe('refusals are worded for a person, in Chinese', () => {
  it('an assignment step refused in a status names the status by its label and the step by its verb', () => {
    let refusals = 0;
    for (const action of Object.keys(ASSIGNMENT_TRANSITIONS) as AssignmentTransition[]) {
      const who = action === 'approve' || action === 'return' ? leadHead : staff;
      for (const status of Object.values(AssignmentStatus)) {
        if (ASSIGNMENT_TRANSITIONS[action].from.includes(status)) continue;
        const reason = reasonOf(decideAssignmentAction(action, status, who, parties));
        expectChinese(reason);
        expect(reason).toContain(`“${ASSIGNMENT_STATUS_LABELS[status]}”`);
        refusals += 1;
      }
    }
    expect(refusals).toBeGreaterThan(20);
    expect(
      reasonOf(decideAssignmentAction('submit' as AssignmentTransition, AssignmentStatus.Approved, staff, parties)),
    ).toBe('该单位的任务当前为“已审核通过”，不能提交办理结果。');
  });

  it('who may act, extensions, 转办 and deadline moves', () => {
    const now = new Date('2027-03-01T00:00:00Z');
    const reasons = [
      reasonOf(decideAssignmentAction('approve' as AssignmentTransition, AssignmentStatus.Submitted, staff, parties)),
      reasonOf(
        decideAssignmentAction('submit' as AssignmentTransition, AssignmentStatus.InProgress, township, parties),
      ),
      reasonOf(decideExtensionRequest(township, { unitId: 'finance', status: 'in-progress', dueAt: null }, now)),
      reasonOf(decideExtensionRequest(staff, { unitId: 'finance', status: 'approved', dueAt: null }, now)),
      reasonOf(
        decideExtensionRequest(staff, { unitId: 'finance', status: 'in-progress', dueAt: '2027-02-01T00:00:00Z' }, now),
      ),
      reasonOf(
        decideExtensionRequest(
          staff,
          { unitId: 'finance', status: 'in-progress', dueAt: null, extensionPending: true },
          now,
        ),
      ),
      reasonOf(checkRequestedDueAt(new Date('2027-01-01T00:00:00Z'), null, now)),
      reasonOf(decideReassign(staff, { role: 'responsible', status: 'in-progress' }, { status: 'in-progress' })),
      reasonOf(decideReassign(supervisor, { role: 'lead', status: 'in-progress' }, { status: 'in-progress' })),
      reasonOf(decideReassign(supervisor, { role: 'responsible', status: 'reassigned' }, { status: 'in-progress' })),
      reasonOf(decideReassign(supervisor, { role: 'responsible', status: 'in-progress' }, { status: 'closed' })),
      reasonOf(decideDeadlineExtension(staff, { status: 'in-progress' })),
      reasonOf(decideDeadlineExtension(supervisor, { status: 'cancelled' })),
    ];
    reasons.forEach(expectChinese);
    expect(reasons[3]).toBe('该单位的任务当前为“已审核通过”，不能申请延期。');
    expect(reasons[10]).toBe('任务当前为“已销号”，只有推进中的任务可以增加单位。');
  });

  it('a task action refused in a status names the status by its label', () => {
    for (const action of TASK_ACTIONS) {
      for (const status of [TaskStatus.Closed, TaskStatus.Cancelled]) {
        const decision = decideTaskAction(action, status, supervisor, { leadUnitIds: ['approval'] });
        if (decision.allowed) continue;
        expectChinese(decision.reason);
      }
    }
    const refused = decideTaskAction('close' as never, TaskStatus.InProgress, supervisor, {
      leadUnitIds: ['approval'],
    });
    expect(reasonOf(refused)).toBe(`任务当前为“${TASK_STATUS_LABELS['in-progress']}”，不能销号。`);
    expectChinese(
      reasonOf(decideTaskAction('close' as never, TaskStatus.AwaitingVerification, staff, { leadUnitIds: [] })),
    );
  });

  it('calls: raising, each step, and the supervision office’s handling', () => {
    const steps = Object.keys(CALL_TRANSITIONS) as Array<keyof typeof CALL_TRANSITIONS>;
    for (const action of steps) {
      const who = action === CallAction.Evaluate ? township : actor('water', 'staff');
      for (const status of Object.values(CallStatus)) {
        if (CALL_TRANSITIONS[action].from.includes(status)) continue;
        const reason = reasonOf(decideCallAction(action, status, who, callParties));
        expectChinese(reason);
        expect(reason).toContain(`“${CALL_STATUS_LABELS[status]}”`);
      }
    }
    const reasons = [
      reasonOf(decideCallRaise(staff, UnitKind.CountyDepartment, UnitKind.CountyDepartment)),
      reasonOf(decideCallRaise(township, UnitKind.Township, UnitKind.Township)),
      reasonOf(decideCallAction(CallAction.Supervise, CallStatus.Raised, staff, callParties)),
      reasonOf(decideCallAction(CallAction.Supervise, CallStatus.Closed, supervisor, callParties)),
      reasonOf(decideCallAction(CallAction.Respond, CallStatus.Raised, township, callParties)),
      reasonOf(decideCallAction(CallAction.Evaluate, CallStatus.Resolved, actor('water', 'staff'), callParties)),
      reasonOf(decideCallSupervisionState(CallSupervision.Extend, CallStatus.Resolved, supervisor, callParties)),
      reasonOf(decideCallSupervision(CallSupervision.Reassign, CallStatus.Raised, supervisor, callParties)),
      reasonOf(
        decideCallSupervision(CallSupervision.Reassign, CallStatus.Raised, supervisor, callParties, {
          id: 'taole',
          kind: UnitKind.Township,
        }),
      ),
      reasonOf(
        decideCallSupervision(CallSupervision.Reassign, CallStatus.Raised, supervisor, callParties, {
          id: 'water',
          kind: UnitKind.CountyDepartment,
        }),
      ),
    ];
    reasons.forEach(expectChinese);
    expect(reasons[6]).toBe('该呼叫当前为“已办结待评价”，不能延期。');
  });

  it('escalations and extension decisions', () => {
    const facts = {
      handledAt: null,
      subjectType: 'assignment',
      subjectStatus: 'in-progress',
      assignmentRole: 'responsible',
      taskStatus: 'in-progress',
    } as unknown as Parameters<typeof decideEscalationHandling>[2];
    const reasons = [
      reasonOf(decideEscalationHandling(EscalationAction.Remind, staff, facts)),
      reasonOf(decideEscalationHandling(EscalationAction.Remind, supervisor, { ...facts, handledAt: '2027-01-01' })),
      reasonOf(decideEscalationHandling(EscalationAction.Extend, supervisor, { ...facts, subjectStatus: null })),
      reasonOf(decideExtensionDecision(staff, { status: 'pending' })),
      reasonOf(decideExtensionDecision(supervisor, { status: 'approved' })),
      reasonOf(decideExtensionDecision(supervisor, { status: 'pending' }, { status: 'approved' })),
    ];
    reasons.forEach(expectChinese);
    expect(reasons[4]).toBe('该延期申请已批准，不能再作决定。');
    expect(reasons[5]).toBe('该单位的任务当前为“已审核通过”，不能再决定延期申请。');
  });

  it('the default message of every error code, and the calendar’s uncovered year', () => {
    Object.values(ERROR_MESSAGES).forEach(expectChinese);
    expect(new CalendarYearNotCoveredError(2030).message).toBe(
      '工作日历尚未包含 2030 年：该年的节假日安排通知还未录入',
    );
  });
});
