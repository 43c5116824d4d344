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
  decideUnitRemoval,
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
  taskEditedSignal,
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
  EditTaskRequest,
  editTaskUpdate,
  reassignUpdate,
  RemovedAssignment,
  removeUnitUpdate,
  returnTaskUpdate,
  TASK_REQUESTS,
  TaskCorrection,
  TaskEdited,
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
 * Patch id: a new task starts its assignments' workflows together, in one workflow task, instead of one start
 * (one round trip through the worker) after another — the seed list's 299 assignments waited on ~19 sequential
 * starts per task.
 */
const ASSIGNMENTS_STARTED_TOGETHER = 'assignments-started-together';

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
  /**
   * What the supervision office may correct (editTask): until it does, the imported values. Measures and goals
   * are known to the workflow only once corrected here (see editTaskUpdate).
   */
  let title = input.title;
  let leadUnitIds = [...input.leadUnitIds];
  let corrected: { measures?: string[]; goals?: string[] } = {};

  const { audit, notify } = subjectRecords({
    type: 'task',
    id: input.taskId,
    payload: () => ({}),
    body: () => `任务「${title}」`,
  });
  const notifyLeads = (kind: string, message: string) =>
    leadUnitIds.map((unitId) => notify(unitId, Role.Head, kind, message));
  const notifySupervision = (kind: string, title: string) => [notify('supervision', Role.Supervisor, kind, title)];

  const reject = (code: ErrorCode, reason: string): never => {
    throw ApplicationFailure.nonRetryable(reason, code);
  };
  /** The task state table's decision (libs/domain), the same one the API checks before sending. */
  const requireAllowed = (action: TaskAction, actor: Actor) => {
    const decision = decideTaskAction(action, view.status, actor, { leadUnitIds });
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
  /** Assignments taken off the task (减签, or a lead unit no longer leading). */
  const removed = new Set<string>();
  /** 转办 or 减签 waiting for the assignment's answer: the assignment → the unit the work would move to (null: 减签). */
  const reassigning = new Map<string, string | null>();
  /** The assignments' answers to 转办, by request id. */
  const reassignAnswers = new Map<string, { accepted: boolean; status: AssignmentStatus }>();
  setHandler(reassignAnsweredSignal, ({ requestId, accepted, status }) => {
    reassignAnswers.set(requestId, { accepted, status });
  });
  const requireUnitNotOnTask = (unitId: string) => {
    // The read model keeps one record per unit and task: a unit taken off (减签) stays on record and cannot rejoin.
    if (assignments.some((assignment) => assignment.unitId === unitId && removed.has(assignment.id)))
      reject(ErrorCode.Conflict, `${unitId} 已从本任务减签，其记录留档，不能再次加入。`);
    const active = assignments.find((assignment) => assignment.unitId === unitId && onTask(assignment));
    if (active || leadUnitIds.includes(unitId) || [...reassigning.values()].includes(unitId))
      reject(ErrorCode.Conflict, `Unit ${unitId} already takes part in this task.`);
  };
  /** Not moved away (转办) nor taken off (减签): the unit still takes part with this assignment. */
  const onTask = (assignment: { id: string }) => !reassignedAway.has(assignment.id) && !removed.has(assignment.id);
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
   * Asks the assignment to end as reassigned (转办) or removed (减签) and waits for its answer: the assignment
   * decides against its own state, so an approval it accepted first refuses the change (409) and nothing follows.
   * `recheck` runs the update's rule again: another update may have changed things since validation.
   */
  async function askAssignmentToEnd(
    assignmentId: string,
    end: { status: 'reassigned' | 'removed'; reason: string; toUnitId: string | null; recheck: () => void },
  ): Promise<void> {
    end.recheck();
    reassigning.set(assignmentId, end.toUnitId);
    const requestId = uuid4();
    let answer: { accepted: boolean; status: AssignmentStatus };
    try {
      await getExternalWorkflowHandle(assignmentWorkflowId(assignmentId)).signal(endAssignmentSignal, {
        status: end.status,
        reason: end.reason,
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
        `该单位的任务已${answer.status === AssignmentStatus.Approved ? '审核通过' : '结束'}，不能${end.status === 'reassigned' ? '转办' : '减签'}。`,
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
        await askAssignmentToEnd(assignmentId, {
          status: 'reassigned',
          reason,
          toUnitId,
          recheck: () => requireReassignable(assignmentId, toUnitId),
        });
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

  /** The unit's assignment on the task (lead or responsible), once the 减签 rule allows taking it off. */
  const requireRemovable = (actor: Actor, unitId: string) => {
    const assignment = assignments.find((candidate) => candidate.unitId === unitId && onTask(candidate));
    const others = assignments.filter(
      (other) => other !== assignment && other.role === AssignmentRole.Responsible && onTask(other),
    ).length;
    const live = assignment !== undefined && awaitingApproval.has(assignment.id) && !reassigning.has(assignment.id);
    const decision = decideUnitRemoval(actor, view, assignment && { role: assignment.role, live }, others);
    if (!decision.allowed) reject(decision.code, decision.reason);
    return assignment!;
  };
  // 减签: a new update (no earlier history holds it). Once the unit is off, the task waits for it no more: taking
  // off the last unapproved unit moves the task on to consolidation.
  setHandler(
    removeUnitUpdate,
    async ({ actor, unitId, reason }): Promise<RemovedAssignment> => {
      const assignment = requireRemovable(actor, unitId);
      await askAssignmentToEnd(assignment.id, {
        status: 'removed',
        reason,
        toUnitId: null,
        recheck: () => requireRemovable(actor, unitId),
      });
      removed.add(assignment.id);
      awaitingApproval.delete(assignment.id);
      await projector.write('unit-removed', {
        audit: audit('unit-removed', actor, { unitId, assignmentId: assignment.id, reason }),
        notifications: notifyLeads('unit-removed', `督查室减签了一个责任单位：${reason}`),
      });
      return { assignmentId: assignment.id, unitId };
    },
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.removeUnit);
        requireRemovable(request.actor, request.unitId);
      },
    },
  );

  /** The fields a correction changes, with their old values; refuses one that changes nothing or cannot hold. */
  const correctionOf = (request: EditTaskRequest): { before: TaskCorrection; after: TaskCorrection } => {
    const previous = request.previous as { measures?: unknown; goals?: unknown };
    const texts = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
    if (!texts(previous.measures) || !texts(previous.goals)) {
      reject(ErrorCode.ValidationFailed, 'previous: must carry the stored measures and goals.');
    }
    const current: Required<TaskCorrection> = {
      title,
      measures: corrected.measures ?? (previous.measures as string[]),
      goals: corrected.goals ?? (previous.goals as string[]),
      leadUnitIds,
    };
    const before: TaskCorrection = {};
    const after: TaskCorrection = {};
    for (const key of ['title', 'measures', 'goals', 'leadUnitIds'] as const) {
      const value = request[key];
      // A field left out (or null: the shape lets an optional field be null) stays as it is.
      if (value === undefined || value === null || JSON.stringify(value) === JSON.stringify(current[key])) continue;
      Object.assign(before, { [key]: current[key] });
      Object.assign(after, { [key]: value });
    }
    if (after.title !== undefined && after.title.trim() === '')
      reject(ErrorCode.ValidationFailed, '任务名称不能为空。');
    if (Object.keys(after).length === 0) {
      reject(ErrorCode.ValidationFailed, '没有需要修改的内容：所给的值与任务现有的相同。');
    }
    if (after.leadUnitIds) {
      if (after.leadUnitIds.length === 0) reject(ErrorCode.ValidationFailed, '任务至少要有一个牵头单位。');
      if (new Set(after.leadUnitIds).size !== after.leadUnitIds.length) {
        reject(ErrorCode.ValidationFailed, '牵头单位不能重复。');
      }
      for (const unitId of after.leadUnitIds.filter((id) => !leadUnitIds.includes(id))) {
        const responsible = assignments.some((assignment) => assignment.unitId === unitId && onTask(assignment));
        if (responsible || [...reassigning.values()].includes(unitId)) {
          reject(ErrorCode.Conflict, `${unitId} 已是本任务的责任单位，不能同时牵头。`);
        }
        // A new lead unit gets a lead assignment, and the read model keeps one record per unit and task.
        if (assignments.some((assignment) => assignment.unitId === unitId)) {
          reject(ErrorCode.Conflict, `${unitId} 在本任务中已有办理记录（已转办或已减签），不能再作为牵头单位。`);
        }
      }
    }
    return { before, after };
  };
  // A correction after import: a new update (no earlier history holds it). The running assignments hear of new
  // lead units at once (taskEditedSignal, also new); a lead unit that joins gets its lead assignment, as imported
  // ones have, and one that leaves has its lead assignment ended as removed.
  setHandler(
    editTaskUpdate,
    async (request): Promise<TaskEdited> => {
      const { before, after } = correctionOf(request);
      const { actor, reason } = request;
      const formerLeads = leadUnitIds;
      if (after.title !== undefined) title = after.title;
      if (after.leadUnitIds) leadUnitIds = [...after.leadUnitIds];
      corrected = {
        measures: after.measures ?? corrected.measures,
        goals: after.goals ?? corrected.goals,
      };
      const concerned = new Set([
        ...formerLeads,
        ...leadUnitIds,
        ...assignments.filter(onTask).map((assignment) => assignment.unitId),
      ]);
      await projector.write('edited', {
        task: { id: input.taskId, ...after },
        audit: audit('edited', actor, { before, after, reason }),
        notifications: [...concerned].map((unitId) =>
          notify(unitId, null, 'task-edited', `督查室修改了任务：${reason}`),
        ),
      });
      for (const assignment of assignments.filter(onTask)) {
        await getExternalWorkflowHandle(assignmentWorkflowId(assignment.id))
          .signal(taskEditedSignal, { title, leadUnitIds })
          .catch(() => undefined); // an approved assignment has already completed
      }
      const leaving = assignments.filter(
        (assignment) =>
          assignment.role === AssignmentRole.Lead && onTask(assignment) && !leadUnitIds.includes(assignment.unitId),
      );
      for (const assignment of leaving) {
        removed.add(assignment.id);
        await getExternalWorkflowHandle(assignmentWorkflowId(assignment.id))
          .signal(endAssignmentSignal, { status: 'removed', reason: `不再牵头：${reason}` })
          .catch(() => undefined);
      }
      const addedLeadAssignments: TaskEdited['addedLeadAssignments'] = [];
      for (const unitId of leadUnitIds.filter((id) => !formerLeads.includes(id))) {
        const assignmentId = uuid4();
        await projector.write('lead-unit-added', {
          newAssignment: {
            id: assignmentId,
            taskId: input.taskId,
            unitId,
            role: AssignmentRole.Lead,
            dueAt: view.dueAt,
            reassignedFromId: null,
          },
          audit: audit('lead-unit-added', actor, { unitId, assignmentId, reason }),
        });
        await startAssignment({ id: assignmentId, unitId, role: AssignmentRole.Lead });
        addedLeadAssignments.push({ assignmentId, unitId, reassignedFromId: null });
      }
      return { taskId: input.taskId, before, after, addedLeadAssignments };
    },
    {
      validator: (request) => {
        refuseInvalidRequest(request, TASK_REQUESTS.editTask);
        requireAllowed(TaskAction.Edit, request.actor);
        correctionOf(request);
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
          taskTitle: title,
          unitId: assignment.unitId,
          role: assignment.role,
          leadUnitIds: [...leadUnitIds],
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
  if (patched(ASSIGNMENTS_STARTED_TOGETHER)) {
    // The start commands go out in input order either way; only the waiting between them is gone.
    await Promise.all(input.assignments.map((assignment) => startAssignment(assignment)));
  } else {
    for (const assignment of input.assignments) await startAssignment(assignment);
  }

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
