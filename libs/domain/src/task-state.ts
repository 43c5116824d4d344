import { decideInstruction } from './comments';
import { ErrorCode } from './errors';
import { taskStatusLabel } from './exports';
import { Actor, isLeadUnitHead, isSupervisor } from './user';

/** Where a task stands (DESIGN §4); its workflow owns it, the read model mirrors it. */
export enum TaskStatus {
  InProgress = 'in-progress',
  /** Every responsible unit is approved: the lead unit writes the consolidated report. */
  AwaitingConsolidation = 'awaiting-consolidation',
  /** Consolidated report in: the supervision office verifies it. */
  AwaitingVerification = 'awaiting-verification',
  /** 销号. */
  Closed = 'closed',
  Cancelled = 'cancelled',
}

/** A stored task's status before its workflow has started (the column's default); then the workflow's. */
export const TASK_NOT_STARTED = 'open';
/** Every status a stored task can have (a filter on the task list accepts these). */
export const STORED_TASK_STATUSES: readonly string[] = [TASK_NOT_STARTED, ...Object.values(TaskStatus)];

/** Not closed or cancelled: the task can still be cancelled and its deadline changed. */
export const ACTIVE_TASK_STATUSES: readonly TaskStatus[] = [
  TaskStatus.InProgress,
  TaskStatus.AwaitingConsolidation,
  TaskStatus.AwaitingVerification,
];

/** What can be done to a task (the route verbs), in the order the console shows them. */
export enum TaskAction {
  Consolidate = 'consolidate',
  Close = 'close',
  Return = 'return',
  ChangeDeadline = 'changeDeadline',
  /** 加签. */
  AddUnit = 'addUnit',
  /** 减签: take a responsible unit off the task (its own rules: decideUnitRemoval). */
  RemoveUnit = 'removeUnit',
  /** Correct the title, measures, goals or lead units after import. */
  Edit = 'edit',
  Cancel = 'cancel',
  /** 领导批示: a county leader's instruction, pinned on the task (decideInstruction; not a workflow step). */
  Instruct = 'instruct',
}

export const TASK_ACTIONS: readonly TaskAction[] = Object.values(TaskAction);

/** Who may take each action on a task. */
export enum TaskActorKind {
  LeadHead = 'lead-head',
  Supervisor = 'supervisor',
  LeadHeadOrSupervisor = 'lead-head-or-supervisor',
  Leader = 'leader',
}

/** The whole state machine: who may act, the states each action may start from, and where it leads. */
export const TASK_TRANSITIONS: Record<
  TaskAction,
  { who: TaskActorKind; from: readonly TaskStatus[]; to: TaskStatus | 'same' }
> = {
  [TaskAction.Consolidate]: {
    who: TaskActorKind.LeadHead,
    from: [TaskStatus.AwaitingConsolidation],
    to: TaskStatus.AwaitingVerification,
  },
  [TaskAction.Close]: { who: TaskActorKind.Supervisor, from: [TaskStatus.AwaitingVerification], to: TaskStatus.Closed },
  [TaskAction.Return]: {
    who: TaskActorKind.Supervisor,
    from: [TaskStatus.AwaitingVerification],
    to: TaskStatus.AwaitingConsolidation,
  },
  [TaskAction.ChangeDeadline]: { who: TaskActorKind.Supervisor, from: ACTIVE_TASK_STATUSES, to: 'same' },
  [TaskAction.AddUnit]: { who: TaskActorKind.LeadHeadOrSupervisor, from: [TaskStatus.InProgress], to: 'same' },
  [TaskAction.RemoveUnit]: { who: TaskActorKind.Supervisor, from: [TaskStatus.InProgress], to: 'same' },
  [TaskAction.Edit]: { who: TaskActorKind.Supervisor, from: ACTIVE_TASK_STATUSES, to: 'same' },
  [TaskAction.Cancel]: { who: TaskActorKind.Supervisor, from: ACTIVE_TASK_STATUSES, to: TaskStatus.Cancelled },
  // A leader may write a 批示 on a task whatever its state (a closed task's lessons, a cancelled one's reasons).
  [TaskAction.Instruct]: { who: TaskActorKind.Leader, from: Object.values(TaskStatus), to: 'same' },
};

export type TaskDecision = { allowed: true; to: TaskStatus } | { allowed: false; code: ErrorCode; reason: string };

/** How a refusal names each action (a person reads it). */
const TASK_ACTION_VERBS: Record<TaskAction, string> = {
  [TaskAction.Consolidate]: '提交汇总',
  [TaskAction.Close]: '销号',
  [TaskAction.Return]: '退回汇总',
  [TaskAction.ChangeDeadline]: '调整完成时限',
  [TaskAction.AddUnit]: '加签单位',
  [TaskAction.RemoveUnit]: '减签单位',
  [TaskAction.Edit]: '更正任务',
  [TaskAction.Cancel]: '撤销任务',
  [TaskAction.Instruct]: '作出批示',
};

const WHO_REFUSAL: Record<TaskActorKind, string> = {
  [TaskActorKind.LeadHead]: '只有本任务牵头单位的负责人可以办理。',
  [TaskActorKind.Supervisor]: '只有督查室可以办理。',
  [TaskActorKind.LeadHeadOrSupervisor]: '只有本任务牵头单位的负责人或督查室可以办理。',
  [TaskActorKind.Leader]: '只有县领导可以作出批示。',
};

/** Is `actor` one of those who may take actions of `who` on a task led by `leadUnitIds`? */
export function isTaskActor(who: TaskActorKind, actor: Actor, leadUnitIds: readonly string[]): boolean {
  switch (who) {
    case TaskActorKind.LeadHead:
      return isLeadUnitHead(actor, leadUnitIds);
    case TaskActorKind.Supervisor:
      return isSupervisor(actor);
    case TaskActorKind.LeadHeadOrSupervisor:
      return isSupervisor(actor) || isLeadUnitHead(actor, leadUnitIds);
    case TaskActorKind.Leader:
      return decideInstruction(actor).allowed;
  }
}

/**
 * Decides whether `actor` may take `action` on a task in `status`. Pure: the API checks it against the stored
 * task before sending, and the task workflow's update validators check it again against their own state.
 * (A task not started yet — `open` — takes no action.)
 */
export function decideTaskAction(
  action: TaskAction,
  status: string,
  actor: Actor,
  task: { leadUnitIds: readonly string[] },
): TaskDecision {
  const transition = TASK_TRANSITIONS[action];
  if (!isTaskActor(transition.who, actor, task.leadUnitIds)) {
    return { allowed: false, code: ErrorCode.Forbidden, reason: WHO_REFUSAL[transition.who] };
  }
  if (!transition.from.includes(status as TaskStatus)) {
    return {
      allowed: false,
      code: ErrorCode.Conflict,
      reason: `任务当前为“${taskStatusLabel(status)}”，不能${TASK_ACTION_VERBS[action]}。`,
    };
  }
  return { allowed: true, to: transition.to === 'same' ? (status as TaskStatus) : transition.to };
}
