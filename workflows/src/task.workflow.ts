import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  Actor,
  AssignmentRole,
  AssignmentStatus,
  DeadlineChangeSource,
  decideTaskAction,
  ErrorCode,
  isSupervisor,
  Role,
  TaskAction,
  TaskStatus,
} from '@county/domain';
import {
  assignmentWorkflowId,
  deadlineChangedSignal,
  endAssignmentSignal,
  reassignAnsweredSignal,
} from './assignment.contracts';
import { assignmentWorkflow } from './assignment.workflow';
import { Projector } from './projection';
import { subjectRecords } from './records';
import { refuseInvalidRequest } from './request-validation';
import {
  AddedAssignment,
  addUnitUpdate,
  cancelTaskUpdate,
  changeDeadlineUpdate,
  closeTaskUpdate,
  consolidateUpdate,
  reassignUpdate,
  returnTaskUpdate,
  TASK_REQUESTS,
  TaskView,
  taskViewQuery,
  TaskWorkflowInput,
} from './task.contracts';

/** The latest deadline changes a task's view keeps (the first entry's `from` is the original deadline until then). */
const MAX_DEADLINE_CHANGES_KEPT = 20;
/**
 * Patch id: a 转办 is decided by the assignment itself (it answers accepted or refused), so an approval landing
 * while the 转办 is under way can no longer leave both the old and the new unit on the task.
 */
const REASSIGN_DECIDED_BY_ASSIGNMENT = 'reassign-decided-by-assignment';

/**
 * One task of a plan (DESIGN §4): starts an assignment workflow per unit, waits until every responsible
 * unit is approved, takes the lead unit's consolidated report, and lets the supervision office close
 * (销号) or return it. The supervision office may cancel at any time.
 */
export async function taskWorkflow(input: TaskWorkflowInput): Promise<TaskView> {
  const view: TaskView = {
    taskId: input.taskId,
    status: TaskStatus.InProgress,
    summary: null,
    dueAt: input.dueAt,
    deadlineChanges: [],
  };
  const projector = new Projector();
  /** Every assignment the task has had: the imported ones, then units added (加签) and reassigned (转办). */
  const assignments: TaskWorkflowInput['assignments'] = [...input.assignments];
  /** Responsible assignments not yet approved: the task waits for these. */
  const awaitingApproval = new Set<string>();

  const { audit, notify } = subjectRecords({
    type: 'task',
    id: input.taskId,
    payload: () => ({}),
    body: `任务「${input.title}」`,
  });
  const notifyLeads = (kind: string, title: string) =>
    input.leadUnitIds.map((unitId) => notify(unitId, Role.Head, kind, title));
  const notifySupervision = (kind: string, title: string) => [notify('supervision', Role.Supervisor, kind, title)];

  const reject = (code: ErrorCode, reason: string): never => {
    throw ApplicationFailure.nonRetryable(reason, code);
  };
  /** The task state table's decision (libs/domain), the same one the API checks before sending. */
  const requireAllowed = (action: TaskAction, actor: Actor) => {
    const decision = decideTaskAction(action, view.status, actor, input);
    if (!decision.allowed) reject(decision.code, decision.reason);
  };
  const requireSupervisor = (actor: Actor) => {
    if (!isSupervisor(actor)) reject(ErrorCode.Forbidden, 'Only the supervision office may do this.');
  };
  const requireStatus = (...allowed: TaskStatus[]) => {
    if (!allowed.includes(view.status)) reject(ErrorCode.Conflict, `The task is ${view.status}.`);
  };

  async function move(
    to: TaskStatus,
    action: string,
    actor: Actor | null,
    payload: Record<string, unknown>,
    notifications: ReturnType<typeof notifyLeads>,
  ) {
    const before = view.status;
    view.status = to;
    await projector.write(action, {
      task: { id: input.taskId, status: to },
      audit: audit(action, actor, { before, after: to, ...payload }),
      notifications,
    });
    return { ...view };
  }

  setHandler(
    consolidateUpdate,
    ({ actor, summary, attachments }) => {
      view.summary = summary;
      return move(
        TaskStatus.AwaitingVerification,
        'consolidated',
        actor,
        { summary, ...(attachments ? { attachments } : {}) },
        notifySupervision('task-consolidated', '牵头单位已报送汇总情况，待核验销号'),
      );
    },
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.consolidate);
        requireAllowed(TaskAction.Consolidate, request.actor);
      },
    },
  );
  setHandler(
    closeTaskUpdate,
    ({ actor, comment }) =>
      move(TaskStatus.Closed, 'closed', actor, { comment }, notifyLeads('task-closed', '任务已核验销号')),
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.closeTask);
        requireAllowed(TaskAction.Close, request.actor);
      },
    },
  );
  setHandler(
    returnTaskUpdate,
    ({ actor, comment }) =>
      move(
        TaskStatus.AwaitingConsolidation,
        'returned',
        actor,
        { comment },
        notifyLeads('task-returned', `汇总情况被督查室退回：${comment}`),
      ),
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.returnTask);
        requireAllowed(TaskAction.Return, request.actor);
      },
    },
  );
  setHandler(
    cancelTaskUpdate,
    ({ actor, reason }) =>
      move(
        TaskStatus.Cancelled,
        'cancelled',
        actor,
        { reason },
        notifyLeads('task-cancelled', `任务已撤销：${reason}`),
      ),
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.cancelTask);
        requireAllowed(TaskAction.Cancel, request.actor);
      },
    },
  );
  setHandler(
    changeDeadlineUpdate,
    async ({ actor, dueAt, reason }) => {
      const before = view.dueAt;
      view.dueAt = dueAt;
      view.deadlineChanges.push({
        from: before,
        to: dueAt,
        reason,
        byUserId: actor.userId,
        at: new Date().toISOString(),
      });
      // The view stays bounded however often the deadline moves; every change is in the audit log.
      if (view.deadlineChanges.length > MAX_DEADLINE_CHANGES_KEPT) view.deadlineChanges.shift();
      await projector.write('deadline-changed', {
        task: { id: input.taskId, dueAt },
        audit: audit('deadline-changed', actor, { before, after: dueAt, reason }),
        notifications: notifyLeads('deadline-changed', `完成时限已调整：${reason}`),
      });
      // Assignments started later read view.dueAt; running ones re-arm their clocks.
      for (const assignment of assignments) {
        await getExternalWorkflowHandle(assignmentWorkflowId(assignment.id))
          .signal(deadlineChangedSignal, { dueAt, reason, source: DeadlineChangeSource.Task })
          .catch(() => undefined); // an approved assignment has already completed
      }
      return { ...view, deadlineChanges: [...view.deadlineChanges] };
    },
    {
      validator: (request) => {
        // The deadline must lie ahead and within the horizon (a date in the past escalated to the leadership
        // within a second); refuseInvalidRequest checks it with the same rule the API uses.
        refuseInvalidRequest(request, TASK_REQUESTS.changeDeadline);
        requireAllowed(TaskAction.ChangeDeadline, request.actor);
      },
    },
  );
  /** Assignments whose work moved to another unit (转办). */
  const reassignedAway = new Set<string>();
  /** 转办 waiting for the assignment's answer: the assignment → the unit the work would move to. */
  const reassigning = new Map<string, string>();
  /** The assignments' answers to 转办, by request id. */
  const reassignAnswers = new Map<string, { accepted: boolean; status: AssignmentStatus }>();
  setHandler(reassignAnsweredSignal, ({ requestId, accepted, status }) => {
    reassignAnswers.set(requestId, { accepted, status });
  });
  const requireUnitNotOnTask = (unitId: string) => {
    const active = assignments.find((assignment) => assignment.unitId === unitId && !reassignedAway.has(assignment.id));
    if (active || input.leadUnitIds.includes(unitId) || [...reassigning.values()].includes(unitId))
      reject(ErrorCode.Conflict, `Unit ${unitId} already takes part in this task.`);
  };
  const requireReassignable = (assignmentId: string, toUnitId: string) => {
    requireStatus(TaskStatus.InProgress);
    const from = assignments.find((assignment) => assignment.id === assignmentId);
    if (!from) reject(ErrorCode.NotFound, `Assignment ${assignmentId} is not part of this task.`);
    if (from!.role !== AssignmentRole.Responsible)
      reject(ErrorCode.Conflict, "A lead unit's part cannot be reassigned; add the new unit instead.");
    if (!awaitingApproval.has(assignmentId) || reassigning.has(assignmentId))
      reject(ErrorCode.Conflict, 'This assignment is already approved or reassigned.');
    requireUnitNotOnTask(toUnitId);
  };
  /**
   * Asks the assignment to end as reassigned and waits for its answer: the assignment decides against its own
   * state, so an approval it accepted first refuses the 转办 (409) and no successor starts.
   */
  async function askAssignmentToMove(assignmentId: string, toUnitId: string, reason: string): Promise<void> {
    requireReassignable(assignmentId, toUnitId); // again: another update may have changed things since validation
    reassigning.set(assignmentId, toUnitId);
    const requestId = uuid4();
    let answer: { accepted: boolean; status: AssignmentStatus };
    try {
      await getExternalWorkflowHandle(assignmentWorkflowId(assignmentId)).signal(endAssignmentSignal, {
        status: 'reassigned',
        reason,
        replyTo: workflowInfo().workflowId,
        requestId,
      });
      await condition(() => reassignAnswers.has(requestId));
      answer = reassignAnswers.get(requestId)!;
      reassignAnswers.delete(requestId);
    } catch {
      // Its workflow has completed: a responsible unit's completes when it is approved.
      answer = { accepted: false, status: AssignmentStatus.Approved };
    } finally {
      reassigning.delete(assignmentId);
    }
    if (!answer.accepted) {
      reject(
        ErrorCode.Conflict,
        `该单位的任务已${answer.status === AssignmentStatus.Approved ? '审核通过' : '结束'}，不能转办。`,
      );
    }
  }

  setHandler(
    addUnitUpdate,
    async ({ actor, unitId, reason }): Promise<AddedAssignment> => {
      const assignmentId = uuid4();
      await projector.write('unit-added', {
        newAssignment: {
          id: assignmentId,
          taskId: input.taskId,
          unitId,
          role: AssignmentRole.Responsible,
          dueAt: view.dueAt,
          reassignedFromId: null,
        },
        audit: audit('unit-added', actor, { unitId, assignmentId, reason }),
      });
      await startAssignment({ id: assignmentId, unitId, role: AssignmentRole.Responsible });
      return { assignmentId, unitId, reassignedFromId: null };
    },
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.addUnit);
        const { actor, unitId } = request;
        requireAllowed(TaskAction.AddUnit, actor);
        requireUnitNotOnTask(unitId);
      },
    },
  );
  setHandler(
    reassignUpdate,
    async ({ actor, assignmentId, toUnitId, reason }): Promise<AddedAssignment> => {
      const from = assignments.find((assignment) => assignment.id === assignmentId)!;
      if (patched(REASSIGN_DECIDED_BY_ASSIGNMENT)) {
        await askAssignmentToMove(assignmentId, toUnitId, reason);
        reassignedAway.add(assignmentId);
        awaitingApproval.delete(assignmentId);
      } else {
        // Before REASSIGN_DECIDED_BY_ASSIGNMENT: an approval landing meanwhile left both units on the task.
        reassignedAway.add(assignmentId);
        awaitingApproval.delete(assignmentId);
        await getExternalWorkflowHandle(assignmentWorkflowId(assignmentId)).signal(endAssignmentSignal, {
          status: 'reassigned',
          reason,
        });
      }
      const successorId = uuid4();
      await projector.write('reassigned', {
        newAssignment: {
          id: successorId,
          taskId: input.taskId,
          unitId: toUnitId,
          role: AssignmentRole.Responsible,
          dueAt: view.dueAt,
          reassignedFromId: assignmentId,
        },
        audit: audit('reassigned', actor, {
          before: from.unitId,
          after: toUnitId,
          assignmentId,
          newAssignmentId: successorId,
          reason,
        }),
      });
      await startAssignment({ id: successorId, unitId: toUnitId, role: AssignmentRole.Responsible });
      return { assignmentId: successorId, unitId: toUnitId, reassignedFromId: assignmentId };
    },
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.reassign);
        const { actor, assignmentId, toUnitId } = request;
        requireSupervisor(actor);
        requireReassignable(assignmentId, toUnitId);
      },
    },
  );
  setHandler(taskViewQuery, () => ({ ...view, deadlineChanges: [...view.deadlineChanges] }));

  /** Starts one assignment's workflow; a responsible unit's approval is what the task waits for. */
  async function startAssignment(assignment: TaskWorkflowInput['assignments'][number]): Promise<void> {
    if (!assignments.includes(assignment)) assignments.push(assignment);
    const child = await startChild(assignmentWorkflow, {
      workflowId: assignmentWorkflowId(assignment.id),
      // A cancelled or closed task ends its assignments by signal, so they can record why.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          assignmentId: assignment.id,
          taskId: input.taskId,
          taskTitle: input.title,
          unitId: assignment.unitId,
          role: assignment.role,
          leadUnitIds: input.leadUnitIds,
          dueAt: view.dueAt,
          policy: input.policy,
          ...(input.ongoing ? { reportingCycle: input.policy.reportingCycle } : {}),
        },
      ],
    });
    if (assignment.role !== AssignmentRole.Responsible) return;
    awaitingApproval.add(assignment.id);
    void child.result().then(
      (result) => {
        if (result.status === AssignmentStatus.Approved) awaitingApproval.delete(assignment.id);
      },
      () => undefined,
    );
  }

  await projector.write('started', {
    task: { id: input.taskId, status: TaskStatus.InProgress },
    audit: audit('started', null, { assignments: input.assignments.length }),
  });
  for (const assignment of input.assignments) await startAssignment(assignment);

  await condition(() => awaitingApproval.size === 0 || view.status === TaskStatus.Cancelled);
  if (view.status === TaskStatus.InProgress) {
    await move(
      TaskStatus.AwaitingConsolidation,
      'all-approved',
      null,
      {},
      notifyLeads('task-ready-to-consolidate', '所有责任单位已审核通过，请报送汇总情况'),
    );
  }
  await condition(() => view.status === TaskStatus.Closed || view.status === TaskStatus.Cancelled);

  const ending = view.status === TaskStatus.Closed ? 'closed' : 'cancelled';
  for (const assignment of assignments) {
    await getExternalWorkflowHandle(assignmentWorkflowId(assignment.id))
      .signal(endAssignmentSignal, { status: ending, reason: ending === 'closed' ? '任务已销号' : '任务已撤销' })
      .catch(() => undefined); // an approved assignment has already completed
  }
  await condition(allHandlersFinished);
  await projector.drain();
  return { ...view };
}
