import { AssignmentStatus, Permission } from './assignment-state';
import { ErrorCode } from './errors';
import { Actor, hasRole, isSupervisor, isUnitWorker, Role } from './user';

/** What a thread hangs on. A 批示 may also hang on an escalation (pinned on its task when it has one). */
export enum CommentSubjectType {
  Task = 'task',
  Assignment = 'assignment',
  Call = 'call',
  Escalation = 'escalation',
}

export enum CommentKind {
  /** A participant's message in a thread (append-only: never edited or removed). */
  Comment = 'comment',
  /** 领导批示: a county leader's instruction on a task or an escalation. */
  Instruction = 'instruction',
}

/** The most units one comment may name (every unit of a task list's widest task, with room). */
export const MAX_MENTIONED_UNITS = 50;

/** The units whose people take part in a thread (besides the supervision office and the leaders, who always do). */
export interface Thread {
  unitIds: readonly string[];
}

/** A task's thread: its lead units and every unit still doing its part (a unit that handed its work on by 转办 left). */
export function taskThread(
  task: { leadUnitIds: readonly string[] },
  assignments: ReadonlyArray<{ unitId: string; status: string }>,
): Thread {
  const working = assignments
    .filter((assignment) => assignment.status !== AssignmentStatus.Reassigned)
    .map((assignment) => assignment.unitId);
  return { unitIds: [...new Set([...task.leadUnitIds, ...working])] };
}

/** An assignment's thread: its unit and the task's lead units, which review its work. */
export function assignmentThread(assignment: { unitId: string }, task: { leadUnitIds: readonly string[] }): Thread {
  return { unitIds: [...new Set([assignment.unitId, ...task.leadUnitIds])] };
}

/** A 乡呼县应 call's thread: the calling township and the county unit the call is with now. */
export function callThread(call: { fromUnitId: string; toUnitId: string }): Thread {
  return { unitIds: [...new Set([call.fromUnitId, call.toUnitId])] };
}

const refuse = (code: ErrorCode, reason: string) => ({ allowed: false as const, code, reason });

/**
 * May `actor` read and write `thread`? The supervision office and the county leaders take part in every thread;
 * otherwise only the staff and heads of the thread's units. An admin runs the system, not the work: not a
 * participant (unless the account also holds a participant's role).
 */
export function decideThreadAccess(actor: Actor, thread: Thread): Permission {
  if (isSupervisor(actor) || hasRole(actor, Role.Leader)) return { allowed: true };
  if (thread.unitIds.some((unitId) => isUnitWorker(actor, unitId))) return { allowed: true };
  return refuse(ErrorCode.Forbidden, '只有参与这项工作的单位、督查室和县领导可以查看和发表意见。');
}

/**
 * The units a comment may name: the thread's units, plus the supervision office's and the leadership's units
 * (`officeUnitIds`), which take part in every thread. Refuses the first one that does not take part, by name.
 */
export function decideMentions(
  mentionedUnitIds: readonly string[],
  thread: Thread,
  officeUnitIds: readonly string[],
  nameOf: (unitId: string) => string,
): Permission {
  const participants = new Set([...thread.unitIds, ...officeUnitIds]);
  const outsider = mentionedUnitIds.find((unitId) => !participants.has(unitId));
  if (outsider === undefined) return { allowed: true };
  return refuse(ErrorCode.MentionNotParticipant, `${nameOf(outsider)}不是这项工作的参与单位，不能被提及。`);
}

/** 批示: only a county leader writes one (on a task or an escalation). */
export function decideInstruction(actor: Actor): Permission {
  if (hasRole(actor, Role.Leader)) return { allowed: true };
  return refuse(ErrorCode.Forbidden, '只有县领导可以作出批示。');
}

/** How a 批示 reads where it travels with other news (the 挂牌督办 notice of its escalation). */
export function instructionLine(body: string): string {
  return `县领导批示：${body}`;
}
