import { Injectable } from '@nestjs/common';
import {
  Actor,
  AssignmentAction,
  assignmentActions,
  AssignmentRecord,
  AssignmentStatus,
  AssignmentTransition,
  CallDecision,
  DeadlineChangeSource,
  Decision,
  decideAssignmentAction,
  decideDeadlineExtension,
  decideReassign,
  decideUnitWorkOnTask,
  DomainError,
  ErrorCode,
  Permission,
  TaskDecision,
  TaskFacts,
  TaskRecord,
  TaskStatus,
  taskStatusLabel,
  UnitKind,
  User,
} from '@county/domain';
import {
  AssignmentContext,
  ExtensionRequestRepository,
  LatestReport,
  ReportEvent,
  ReportRepository,
  TaskRepository,
  UnitRepository,
} from '@county/persistence';
import {
  acknowledgeUpdate,
  AddedAssignment,
  approveUpdate,
  AssignmentView,
  deadlineChangedSignal,
  progressUpdate,
  reassignUpdate,
  returnUpdate,
  submitUpdate,
  withdrawUpdate,
} from '@county/workflows';
import { AttachmentsService, refView } from '../attachments/attachments.service';
import { idempotencyScope } from '../common/request-scope';
import { HandlerResponse } from '../people/people.dto';
import { handlerView, PeopleFacts, PeopleService } from '../people/people.service';
import { WorkflowGateway } from '../temporal/workflow-gateway';
import {
  AcknowledgeRequest,
  ApproveRequest,
  LatestReportResponse,
  ProgressRequest,
  ReturnRequest,
  SubmitRequest,
  WithdrawRequest,
} from './assignments.dto';

export function actorOf(user: User): Actor {
  // Only a unit that absorbed others sends mergedUnitIds: every other actor stays as workflows have always seen it.
  return {
    userId: user.id,
    unitId: user.unitId,
    roles: user.roles,
    ...(user.mergedUnitIds?.length ? { mergedUnitIds: user.mergedUnitIds } : {}),
  };
}

/** Throws the refusal of a rule's decision as the domain error it names (403, 409, 422). */
export function requireAllowed(decision: Permission | CallDecision | TaskDecision | Decision): void {
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
}

/** An assignment as the API returns it: with its 承办人 and what the current user may do to it now. */
export type AssignmentItem = AssignmentRecord & { allowedActions: AssignmentAction[]; handler: HandlerResponse | null };

export type AssignmentDetail = Omit<AssignmentContext, 'assignment'> & {
  assignment: AssignmentItem & { report: LatestReportResponse };
  reports: ReportEvent[];
};

/**
 * `extensionPending`: the ids of assignments with an extension request waiting for a decision; `people`: their
 * handlers and the actor sign-offs are decided for (PeopleService.facts).
 */
export function assignmentItem(
  user: User,
  assignment: AssignmentRecord,
  task: TaskFacts,
  extensionPending: ReadonlySet<string>,
  people: PeopleFacts,
): AssignmentItem {
  const handler = people.handlers.get(assignment.id);
  const facts = {
    ...assignment,
    extensionPending: extensionPending.has(assignment.id),
    handlerUserId: handler?.userId ?? null,
  };
  return {
    ...assignment,
    allowedActions: assignmentActions(actorOf(user), facts, task, new Date(), people.signOff),
    handler: handlerView(user, handler, { unitId: assignment.unitId, leadUnitIds: task.leadUnitIds }),
  };
}

/** The latest report of an assignment as the API shows it (files with whether they can be previewed). */
export function reportView(latest: LatestReport | undefined): LatestReportResponse {
  return {
    submitted: latest?.submitted
      ? { ...latest.submitted, attachments: latest.submitted.attachments.map(refView) }
      : null,
    progress: latest?.progress ? { ...latest.progress, attachments: latest.progress.attachments.map(refView) } : null,
    returned: latest?.returned ?? null,
  };
}

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly units: UnitRepository,
    private readonly extensionRequests: ExtensionRequestRepository,
    private readonly workflows: WorkflowGateway,
    private readonly people: PeopleService,
    private readonly files: AttachmentsService,
    private readonly reports: ReportRepository,
  ) {}

  /**
   * 转办 (supervision office only): the responsible unit's work moves to `toUnitId`. The old assignment
   * stays on record as `reassigned`; a new one starts for the new unit with the task's deadline.
   */
  async reassign(id: string, user: User, toUnitId: string, reason: string): Promise<AddedAssignment> {
    const { assignment } = await this.get(id);
    const task = (await this.tasks.findWithAssignments(assignment.taskId))!;
    requireAllowed(decideReassign(actorOf(user), assignment, task));
    await this.requireNewParticipant(task, toUnitId);
    return this.workflows.updateTask(task.planId, task.no, reassignUpdate, {
      actor: actorOf(user),
      assignmentId: id,
      toUnitId,
      reason,
    });
  }

  /** A unit of the registry that can take on work: not retired, not one that supervises (else 422). */
  async requireWorkingUnit(unitId: string) {
    const unit = await this.units.findById(unitId);
    if (!unit) throw new DomainError(ErrorCode.ValidationFailed, `单位名录中没有单位 ${unitId}。`);
    if (unit.retired) throw new DomainError(ErrorCode.ValidationFailed, `${unit.name}已撤销，不能承接新任务。`);
    if (unit.kind === UnitKind.Supervision || unit.kind === UnitKind.Leadership) {
      throw new DomainError(ErrorCode.ValidationFailed, `${unit.name}负责督查，不能承办任务。`);
    }
    return unit;
  }

  /** A unit that can take on work and does not already take part in the task (else 422 / 409). */
  async requireNewParticipant(task: TaskRecord & { assignments: AssignmentRecord[] }, unitId: string): Promise<void> {
    const unit = await this.requireWorkingUnit(unitId);
    if (task.status !== TaskStatus.InProgress) {
      throw new DomainError(
        ErrorCode.Conflict,
        `任务当前为“${taskStatusLabel(task.status)}”，只有推进中的任务可以增加单位。`,
      );
    }
    const taking = task.assignments.some(
      (assignment) => assignment.unitId === unitId && assignment.status !== AssignmentStatus.Reassigned,
    );
    // 减签 leaves the unit's record on the task (one per unit and task): it cannot rejoin.
    if (
      taking &&
      task.assignments.some(
        (assignment) => assignment.unitId === unitId && assignment.status === AssignmentStatus.Removed,
      )
    ) {
      throw new DomainError(ErrorCode.Conflict, `${unit.name}已从本任务减签，其记录留档，不能再次加入。`);
    }
    if (taking || task.leadUnitIds.includes(unitId)) {
      throw new DomainError(ErrorCode.Conflict, `${unit.name}已参与本任务。`);
    }
  }

  /**
   * 延期 decided by the supervision office for one unit (from its escalation): that assignment's deadline
   * moves and its clock re-arms; the task's deadline and the other units' stay as they are.
   */
  async extendDeadline(id: string, user: User, dueAt: string, reason: string): Promise<void> {
    const { assignment } = await this.get(id);
    requireAllowed(decideDeadlineExtension(actorOf(user), assignment));
    await this.workflows.signalAssignment(id, deadlineChangedSignal, {
      dueAt,
      reason: `督查室延期：${reason}`,
      source: DeadlineChangeSource.Office,
    });
  }

  async get(id: string): Promise<AssignmentContext> {
    const context = await this.tasks.findAssignment(id);
    if (!context) throw new DomainError(ErrorCode.NotFound, `没有这项单位任务（${id}）。`);
    return context;
  }

  /** The assignment with its task, and what `user` may do to it now (allowedActions). */
  async detail(id: string, user: User): Promise<AssignmentDetail> {
    const { assignment, task } = await this.get(id);
    const [pending, people, latest, reports] = await Promise.all([
      this.extensionRequests.pendingFor([id]),
      this.people.facts(user, 'assignments', [id]),
      this.reports.latest([id]),
      this.reports.history(id),
    ]);
    return {
      assignment: { ...assignmentItem(user, assignment, task, pending, people), report: reportView(latest.get(id)) },
      task,
      reports,
    };
  }

  /** 承办人: a colleague of the assigned unit handles its part (decideHandler); answers the assignment. */
  async setHandler(id: string, user: User, userId: string): Promise<AssignmentDetail> {
    const { assignment } = await this.get(id);
    await this.people.setAssignmentHandler(user, assignment, userId);
    return this.detail(id, user);
  }

  acknowledge(id: string, user: User, body: AcknowledgeRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Acknowledge, (actor) =>
      this.workflows.updateAssignment(id, acknowledgeUpdate, { actor, ...body }),
    );
  }

  progress(id: string, user: User, { attachmentIds, ...body }: ProgressRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Progress, async (actor) =>
      this.workflows.updateAssignment(id, progressUpdate, {
        actor,
        ...body,
        ...(await this.files.attached(actor, attachmentIds)),
      }),
    );
  }

  submit(id: string, user: User, { attachmentIds, evidence, ...body }: SubmitRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Submit, async (actor) =>
      this.workflows.updateAssignment(id, submitUpdate, {
        actor,
        ...body,
        evidence: evidence ?? [],
        ...(await this.files.attached(actor, attachmentIds)),
      }),
    );
  }

  withdraw(id: string, user: User, body: WithdrawRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Withdraw, (actor) =>
      this.workflows.updateAssignment(id, withdrawUpdate, { actor, ...body }),
    );
  }

  approve(id: string, user: User, body: ApproveRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Approve, (actor) =>
      this.workflows.updateAssignment(id, approveUpdate, { actor, ...body }),
    );
  }

  sendBack(id: string, user: User, body: ReturnRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Return, (actor) =>
      this.workflows.updateAssignment(id, returnUpdate, { actor, ...body }),
    );
  }

  /**
   * Checks first against stored state, so a request from the wrong unit never reaches the workflow
   * (nothing is written to its history); the workflow's validator then checks again against its own state.
   */
  private async act(
    id: string,
    user: User,
    action: AssignmentTransition,
    send: (actor: Actor) => Promise<AssignmentView>,
  ): Promise<AssignmentView> {
    const { assignment, task } = await this.get(id);
    // 委派: a deputy under a running delegation signs off as a head, and the workflow records for whom.
    const signsOff = action === AssignmentAction.Approve || action === AssignmentAction.Return;
    const actor = signsOff ? await this.people.signOffActor(user) : actorOf(user);
    const decision = decideAssignmentAction(action, assignment.status as AssignmentStatus, actor, {
      unitId: assignment.unitId,
      leadUnitIds: task.leadUnitIds,
    });
    // A retried request whose first attempt reached the workflow but whose answer was lost (a timeout, a
    // worker crash) finds the read model already moved on. With an Idempotency-Key the workflow knows the
    // update id and answers with the first attempt's result, so only a wrong state is left to it — its
    // validator checks the state again. Authorization is never deferred.
    if (!decision.allowed) {
      const retriedWithKey = decision.code === ErrorCode.Conflict && idempotencyScope.getStore() !== undefined;
      if (!retriedWithKey) throw new DomainError(decision.code, decision.reason);
    }
    // The workflow's validator does not know its task's state: a lead unit's own row stops here once every
    // responsible unit is approved (no 签收 or 报送 of work that has ended), a retry with a key included.
    requireAllowed(decideUnitWorkOnTask(action, task));
    return send(actor);
  }
}
