import { AssignmentStatus } from './assignment-state';
import {
  assignmentThread,
  callThread,
  decideInstruction,
  decideMentions,
  decideThreadAccess,
  taskThread,
} from './comments';
import { ErrorCode } from './errors';
import { Actor } from './user';

const actor = (unitId: string, ...roles: string[]): Actor => ({ userId: `${unitId}-user`, unitId, roles });
const NAMES: Record<string, string> = { housing: '县住建局', approval: '县审批局' };
const nameOf = (unitId: string) => NAMES[unitId] ?? unitId;

describe('who takes part in a thread', () => {
  const task = { leadUnitIds: ['approval'] };

  it('a task: its lead units and the units still doing their part, not one that handed its work on', () => {
    const thread = taskThread(task, [
      { unitId: 'approval', status: AssignmentStatus.InProgress },
      { unitId: 'finance', status: AssignmentStatus.Submitted },
      { unitId: 'civil-affairs', status: AssignmentStatus.Reassigned },
      { unitId: 'housing', status: AssignmentStatus.Assigned },
    ]);
    expect(thread.unitIds).toEqual(['approval', 'finance', 'housing']);
  });

  it('an assignment: its unit and the task’s lead units; a call: its two units', () => {
    expect(assignmentThread({ unitId: 'finance' }, task).unitIds).toEqual(['finance', 'approval']);
    expect(assignmentThread({ unitId: 'approval' }, task).unitIds).toEqual(['approval']);
    expect(callThread({ fromUnitId: 'chengguan', toUnitId: 'housing' }).unitIds).toEqual(['chengguan', 'housing']);
  });

  it('lets in the thread’s staff and heads, the supervision office and the leaders; not outsiders or an admin', () => {
    const thread = assignmentThread({ unitId: 'finance' }, task);
    for (const insider of [
      actor('finance', 'staff'),
      actor('approval', 'head'),
      actor('supervision', 'supervisor'),
      actor('leadership', 'leader'),
    ]) {
      expect(decideThreadAccess(insider, thread)).toEqual({ allowed: true });
    }
    for (const outsider of [
      actor('civil-affairs', 'staff'),
      actor('civil-affairs', 'head'),
      actor('finance', 'admin'),
    ]) {
      expect(decideThreadAccess(outsider, thread)).toMatchObject({ allowed: false, code: ErrorCode.Forbidden });
    }
  });

  it('counts a unit merged into the actor’s unit as the actor’s own', () => {
    const merged: Actor = { ...actor('finance-new', 'staff'), mergedUnitIds: ['finance'] };
    expect(decideThreadAccess(merged, assignmentThread({ unitId: 'finance' }, task))).toEqual({ allowed: true });
  });
});

describe('mentions', () => {
  const thread = assignmentThread({ unitId: 'finance' }, { leadUnitIds: ['approval'] });
  const offices = ['supervision', 'leadership'];

  it('may name the thread’s units and the offices that take part in every thread', () => {
    expect(decideMentions(['approval', 'supervision', 'leadership'], thread, offices, nameOf)).toEqual({
      allowed: true,
    });
    expect(decideMentions([], thread, offices, nameOf)).toEqual({ allowed: true });
  });

  it('refuses a unit that takes no part, by its name', () => {
    expect(decideMentions(['approval', 'housing'], thread, offices, nameOf)).toEqual({
      allowed: false,
      code: ErrorCode.MentionNotParticipant,
      reason: '县住建局不是这项工作的参与单位，不能被提及。',
    });
  });
});

describe('批示', () => {
  it('is written by a county leader only', () => {
    expect(decideInstruction(actor('leadership', 'leader'))).toEqual({ allowed: true });
    for (const other of [actor('supervision', 'supervisor'), actor('approval', 'head'), actor('x', 'admin')]) {
      expect(decideInstruction(other)).toMatchObject({ allowed: false, code: ErrorCode.Forbidden });
    }
  });
});
