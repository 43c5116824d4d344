import {
  assignmentActions,
  callActions,
  decideEscalationRead,
  escalationActions,
  EscalationCause,
  escalationLeaderActions,
  EscalationFacts,
  extensionActions,
  taskActions,
} from './allowed-actions';
import { AssignmentStatus, ENDED_ASSIGNMENT_STATUSES } from './assignment-state';
import { CallStatus } from './call-state';
import { ErrorCode } from './errors';
import { AssignmentRole } from './plan';
import { TaskStatus } from './task-state';
import { Actor } from './user';

const actor = (unitId: string, ...roles: string[]): Actor => ({ userId: `${unitId}-user`, unitId, roles });
const now = new Date('2027-03-01T00:00:00Z');
const task = { status: TaskStatus.InProgress, leadUnitIds: ['development'] };
const work = (status: AssignmentStatus, dueAt: string | null = '2027-06-30T15:59:59Z') => ({
  unitId: 'housing',
  role: AssignmentRole.Responsible,
  status,
  dueAt,
});

describe('allowedActions of an assignment', () => {
  it("offers the assigned unit's staff and head the work, and only the lead unit's head the sign-off", () => {
    expect(assignmentActions(actor('housing', 'staff'), work(AssignmentStatus.Assigned), task, now)).toEqual([
      'acknowledge',
      'requestExtension',
      'setHandler',
    ]);
    expect(assignmentActions(actor('housing', 'head'), work(AssignmentStatus.InProgress), task, now)).toEqual([
      'progress',
      'submit',
      'requestExtension',
      'setHandler',
    ]);
    expect(assignmentActions(actor('development', 'head'), work(AssignmentStatus.Submitted), task, now)).toEqual([
      'approve',
      'return',
      'urge',
    ]);
    expect(assignmentActions(actor('development', 'staff'), work(AssignmentStatus.Submitted), task, now)).toEqual([]);
  });

  it('offers the assigned unit 撤回 of its report while it waits for review', () => {
    expect(assignmentActions(actor('housing', 'staff'), work(AssignmentStatus.Submitted), task, now)).toEqual([
      'withdraw',
      'requestExtension',
      'setHandler',
    ]);
    expect(assignmentActions(actor('housing', 'staff'), work(AssignmentStatus.Approved), task, now)).toEqual([]);
  });

  it('gives an ended assignment (approved, cancelled, reassigned, removed) nothing to its old unit', () => {
    for (const status of ENDED_ASSIGNMENT_STATUSES) {
      for (const who of [actor('housing', 'staff'), actor('housing', 'head'), actor('development', 'head')]) {
        expect(assignmentActions(who, work(status), task, now)).toEqual([]);
      }
      expect(assignmentActions(actor('supervision', 'supervisor'), work(status), task, now)).toEqual([]);
    }
  });

  it('offers no extension request once the deadline has passed', () => {
    expect(
      assignmentActions(
        actor('housing', 'staff'),
        work(AssignmentStatus.InProgress, '2027-02-01T00:00:00Z'),
        task,
        now,
      ),
    ).toEqual(['progress', 'submit', 'setHandler']);
  });

  it("offers the supervision office 转办 of a responsible unit's live work in a task in progress, never a lead unit's part", () => {
    const supervisor = actor('supervision', 'supervisor');
    expect(assignmentActions(supervisor, work(AssignmentStatus.Submitted), task, now)).toEqual(['reassign', 'urge']);
    expect(
      assignmentActions(supervisor, { ...work(AssignmentStatus.InProgress), role: AssignmentRole.Lead }, task, now),
    ).toEqual(['urge']); // 催办 reaches a lead unit too; only 转办 is for responsible units
    expect(
      assignmentActions(supervisor, work(AssignmentStatus.InProgress), { ...task, status: TaskStatus.Cancelled }, now),
    ).toEqual([]);
  });
});

describe("allowedActions of the lead unit's own row", () => {
  const lead = { ...work(AssignmentStatus.Assigned), unitId: 'development', role: AssignmentRole.Lead };
  it('offers 签收 and 申请延期 while the task is in progress, and no work at all once every unit is approved', () => {
    expect(assignmentActions(actor('development', 'staff'), lead, task, now)).toEqual([
      'acknowledge',
      'requestExtension',
      'setHandler',
    ]);
    for (const status of [TaskStatus.AwaitingConsolidation, TaskStatus.AwaitingVerification]) {
      expect(assignmentActions(actor('development', 'staff'), lead, { ...task, status }, now)).toEqual(['setHandler']);
      const reporting = { ...lead, status: AssignmentStatus.InProgress };
      expect(assignmentActions(actor('development', 'head'), reporting, { ...task, status }, now)).toEqual([
        'setHandler',
      ]);
    }
  });
});

describe('allowedActions of a task', () => {
  it('follows the task state table', () => {
    const awaiting = { status: TaskStatus.AwaitingConsolidation, leadUnitIds: ['development'] };
    expect(taskActions(actor('development', 'head'), awaiting)).toEqual(['consolidate']);
    expect(taskActions(actor('development', 'staff'), awaiting)).toEqual([]);
    expect(
      taskActions(actor('supervision', 'supervisor'), { ...awaiting, status: TaskStatus.AwaitingVerification }),
    ).toEqual(['close', 'return', 'changeDeadline', 'edit', 'cancel']);
    expect(taskActions(actor('supervision', 'supervisor'), task)).toEqual([
      'changeDeadline',
      'addUnit',
      'removeUnit',
      'edit',
      'cancel',
    ]);
    expect(taskActions(actor('development', 'head'), task)).toEqual(['addUnit']);
    expect(taskActions(actor('supervision', 'supervisor'), { ...task, status: TaskStatus.Closed })).toEqual([]);
  });

  it('offers a county leader 批示 on any task, and nobody else', () => {
    for (const status of [TaskStatus.InProgress, TaskStatus.AwaitingVerification, TaskStatus.Closed]) {
      expect(taskActions(actor('leadership', 'leader'), { ...task, status })).toEqual(['instruct']);
    }
    expect(taskActions(actor('supervision', 'supervisor'), task)).not.toContain('instruct');
    expect(taskActions(actor('development', 'head'), task)).not.toContain('instruct');
  });
});

describe('allowedActions of a call', () => {
  const call = (status: CallStatus) => ({ status, fromUnitId: 'chengguan', toUnitId: 'housing' });
  it('offers the called unit respond and resolve, and the calling township evaluate', () => {
    expect(callActions(actor('housing', 'staff'), call(CallStatus.Raised))).toEqual(['respond', 'setHandler']);
    expect(callActions(actor('housing', 'head'), call(CallStatus.Reopened))).toEqual(['resolve', 'setHandler']);
    expect(callActions(actor('chengguan', 'staff'), call(CallStatus.Resolved))).toEqual(['evaluate']);
    expect(callActions(actor('chengguan', 'staff'), call(CallStatus.Raised))).toEqual([]);
    expect(callActions(actor('housing', 'staff'), call(CallStatus.Closed))).toEqual([]);
  });
});

describe('allowedActions of an escalation and an extension request', () => {
  const supervisor = actor('supervision', 'supervisor');
  const escalation = (facts: Partial<EscalationFacts>): EscalationFacts => ({
    subjectType: 'assignment',
    handledAt: null,
    subjectStatus: AssignmentStatus.InProgress,
    assignmentRole: AssignmentRole.Responsible,
    taskStatus: TaskStatus.InProgress,
    ...facts,
  });

  it('offers the supervision office remind, reassign, extend and 挂牌督办 while the work is live', () => {
    expect(escalationActions(supervisor, escalation({}))).toEqual(['remind', 'reassign', 'extend', 'flag']);
    expect(escalationActions(supervisor, escalation({ assignmentRole: AssignmentRole.Lead }))).toEqual([
      'remind',
      'extend',
      'flag',
    ]);
    expect(escalationActions(supervisor, escalation({ subjectStatus: AssignmentStatus.Reassigned }))).toEqual([
      'remind',
      'flag',
    ]);
    expect(escalationActions(supervisor, escalation({ handledAt: '2027-03-01T00:00:00Z' }))).toEqual([]);
    expect(escalationActions(actor('leadership', 'leader'), escalation({}))).toEqual([]);
  });

  it('offers a county leader 已阅 (once) and 批示 on a level-3 item, and nobody else anything', () => {
    const leader = actor('leadership', 'leader');
    expect(escalationLeaderActions(leader, { level: 3, readAt: null })).toEqual(['read', 'instruct']);
    expect(escalationLeaderActions(leader, { level: 3, readAt: '2027-03-01T00:00:00Z' })).toEqual(['instruct']);
    expect(escalationLeaderActions(leader, { level: 2, readAt: null })).toEqual([]);
    expect(escalationLeaderActions(supervisor, { level: 3, readAt: null })).toEqual([]);
    expect(decideEscalationRead(supervisor, { level: 3 })).toMatchObject({ allowed: false, code: ErrorCode.Forbidden });
    expect(decideEscalationRead(leader, { level: 1 })).toMatchObject({ allowed: false, code: ErrorCode.Forbidden });
    expect(decideEscalationRead(leader, { level: 3 })).toEqual({ allowed: true });
  });

  it('offers only 催办 and 挂牌督办 for a late review, and no 延期 for a late 签收', () => {
    expect(escalationActions(supervisor, escalation({ cause: EscalationCause.Review }))).toEqual(['remind', 'flag']);
    expect(
      escalationActions(
        supervisor,
        escalation({ cause: EscalationCause.Acknowledge, subjectStatus: AssignmentStatus.Assigned }),
      ),
    ).toEqual(['remind', 'reassign', 'flag']);
    expect(escalationActions(supervisor, escalation({ cause: EscalationCause.Deadline }))).toEqual([
      'remind',
      'reassign',
      'extend',
      'flag',
    ]);
  });

  it("follows a call's supervision rules for a call's escalation", () => {
    const callEscalation = (status: CallStatus) =>
      escalation({ subjectType: 'call', subjectStatus: status, fromUnitId: 'chengguan', toUnitId: 'housing' });
    expect(escalationActions(supervisor, callEscalation(CallStatus.Responded))).toEqual([
      'remind',
      'reassign',
      'extend',
      'flag',
    ]);
    expect(escalationActions(supervisor, callEscalation(CallStatus.Resolved))).toEqual(['remind', 'flag']);
  });

  it('offers approve and reject of a pending request to the supervision office only', () => {
    expect(extensionActions(supervisor, { status: 'pending' })).toEqual(['approve', 'reject']);
    expect(extensionActions(supervisor, { status: 'pending' }, { status: AssignmentStatus.Reassigned })).toEqual([]);
    expect(extensionActions(supervisor, { status: 'closed' })).toEqual([]);
    expect(extensionActions(actor('housing', 'head'), { status: 'pending' })).toEqual([]);
  });
});
