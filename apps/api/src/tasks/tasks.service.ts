import { AttachmentsService } from '../attachments/attachments.service';
import { Injectable } from '@nestjs/common';
import {
  AuditEvent,
  AssignmentRole,
  AssignmentStatus,
  chinaDayRange,
  decideTaskAction,
  decideUnitRemoval,
  DomainError,
  ErrorCode,
  isAssignmentLive,
  TaskAction,
  taskActions,
  TaskRecord,
  User,
} from '@county/domain';
import {
  AuditRepository,
  CommentRecord,
  CommentRepository,
  EscalationRepository,
  ExtensionRequestRepository,
  ReportRepository,
  TaskRepository,
  TASK_KEY,
} from '@county/persistence';
import {
  AddedAssignment,
  addUnitUpdate,
  cancelTaskUpdate,
  changeDeadlineUpdate,
  closeTaskUpdate,
  consolidateUpdate,
  editTaskUpdate,
  RemovedAssignment,
  removeUnitUpdate,
  returnTaskUpdate,
  TaskView,
} from '@county/workflows';
import {
  actorOf,
  AssignmentItem,
  reportView,
  assignmentItem,
  AssignmentsService,
  requireAllowed,
} from '../assignments/assignments.service';
import { EscalationItem, escalationItem } from '../escalations/escalations.service';
import { LatestReportResponse } from '../assignments/assignments.dto';
import { PeopleService } from '../people/people.service';
import { pageOf, pageRequest } from '../common/pagination';
import { WorkflowGateway } from '../temporal/workflow-gateway';
import {
  AddUnitRequest,
  CancelTaskRequest,
  ChangeDeadlineRequest,
  CommentRequest,
  ConsolidateRequest,
  EditTaskRequest,
  RemoveUnitRequest,
  ReturnTaskRequest,
  TaskQuery,
} from './tasks.dto';

/** A task as the API returns it: with what the current user may do to it now. */
export type TaskItem = TaskRecord & { allowedActions: TaskAction[] };

export type TaskDetail = TaskItem & {
  assignments: Array<AssignmentItem & { report: LatestReportResponse }>;
  timeline: AuditEvent[];
  /** Every escalation of the task's assignments, handled or not, highest level first. */
  escalations: EscalationItem[];
  /** The leaders' 批示 pinned on the task (on it or on its assignments' escalations), newest first. */
  instructions: CommentRecord[];
};

export function taskItem(user: User, task: TaskRecord): TaskItem {
  return { ...task, allowedActions: taskActions(actorOf(user), task) };
}

/**
 * Tasks: the read side with allowedActions, and the write side — each action is checked against the stored
 * task with the task state table's decision (the same one the task workflow's validators apply again), then
 * sent to the task workflow.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly audit: AuditRepository,
    private readonly escalations: EscalationRepository,
    private readonly extensionRequests: ExtensionRequestRepository,
    private readonly workflows: WorkflowGateway,
    private readonly assignments: AssignmentsService,
    private readonly people: PeopleService,
    private readonly files: AttachmentsService,
    private readonly reports: ReportRepository,
    private readonly comments: CommentRepository,
  ) {}

  async list(user: User, query: TaskQuery): Promise<{ items: TaskItem[]; nextCursor: string | null; total: number }> {
    const { planId, status, light, unitId, dueFrom, dueTo } = query;
    const due = chinaDayRange(dueFrom, dueTo);
    const page = await this.tasks.list(
      { planId, status, light, unitId, dueFrom: due.from, dueTo: due.to },
      pageRequest(query, TASK_KEY.length),
    );
    return { ...pageOf(page, (task) => taskItem(user, task)), total: page.total };
  }

  async get(id: string, user: User): Promise<TaskDetail> {
    const task = await this.find(id);
    const ids = task.assignments.map((assignment) => assignment.id);
    const [timeline, escalations, pending, people, reports, instructions] = await Promise.all([
      // The task's own events and its units' work (签收, 进展, 提交, 审核) form one timeline.
      this.audit.list({ subjectIds: [id, ...task.assignments.map((assignment) => assignment.id)], limit: 1000 }),
      this.escalations.list({ openOnly: false, minLevel: 1, limit: 200, taskId: id }),
      this.extensionRequests.pendingFor(task.assignments.map((assignment) => assignment.id)),
      this.people.facts(
        user,
        'assignments',
        task.assignments.map((assignment) => assignment.id),
      ),
      // The consolidation dialog lists every unit's approved report with its files.
      this.reports.latest(ids),
      this.comments.instructionsOnTask(id),
    ]);
    const escalationInstructions = await this.comments.instructionsOnEscalations(
      escalations.map((escalation) => escalation.id),
    );
    return {
      ...taskItem(user, task),
      assignments: task.assignments.map((assignment) => ({
        ...assignmentItem(user, assignment, task, pending, people),
        report: reportView(reports.get(assignment.id)),
      })),
      timeline,
      escalations: escalations.map((escalation) => escalationItem(user, escalation, escalationInstructions)),
      instructions,
    };
  }

  async consolidate(id: string, user: User, body: ConsolidateRequest): Promise<TaskView> {
    const task = await this.allowed(id, user, TaskAction.Consolidate);
    const actor = actorOf(user);
    return this.workflows.updateTask(task.planId, task.no, consolidateUpdate, {
      actor,
      summary: body.summary,
      ...(await this.files.attached(actor, body.attachmentIds)),
    });
  }

  async close(id: string, user: User, body: CommentRequest): Promise<TaskView> {
    const task = await this.allowed(id, user, TaskAction.Close);
    return this.workflows.updateTask(task.planId, task.no, closeTaskUpdate, {
      actor: actorOf(user),
      comment: body.comment,
    });
  }

  async sendBack(id: string, user: User, body: ReturnTaskRequest): Promise<TaskView> {
    const task = await this.allowed(id, user, TaskAction.Return);
    return this.workflows.updateTask(task.planId, task.no, returnTaskUpdate, {
      actor: actorOf(user),
      comment: body.comment,
    });
  }

  async changeDeadline(id: string, user: User, body: ChangeDeadlineRequest): Promise<TaskView> {
    const task = await this.allowed(id, user, TaskAction.ChangeDeadline);
    return this.workflows.updateTask(task.planId, task.no, changeDeadlineUpdate, {
      actor: actorOf(user),
      dueAt: new Date(body.dueAt).toISOString(),
      reason: body.reason,
    });
  }

  async addUnit(id: string, user: User, body: AddUnitRequest): Promise<AddedAssignment> {
    const task = await this.allowed(id, user, TaskAction.AddUnit);
    await this.assignments.requireNewParticipant(task, body.unitId);
    return this.workflows.updateTask(task.planId, task.no, addUnitUpdate, {
      actor: actorOf(user),
      unitId: body.unitId,
      reason: body.reason,
    });
  }

  /**
   * A correction by the supervision office. New lead units are checked against the registry here (the
   * workflow does not know it); the workflow decides the rest against its own state and records the old values.
   */
  async edit(id: string, user: User, body: EditTaskRequest): Promise<TaskDetail> {
    const task = await this.allowed(id, user, TaskAction.Edit);
    const { reason, ...correction } = body;
    if (Object.keys(correction).length === 0) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        '请至少给出一项要修改的内容：title、measures、goals 或 leadUnitIds。',
      );
    }
    for (const unitId of (body.leadUnitIds ?? []).filter((unitId) => !task.leadUnitIds.includes(unitId))) {
      await this.assignments.requireWorkingUnit(unitId);
    }
    await this.workflows.updateTask(task.planId, task.no, editTaskUpdate, {
      actor: actorOf(user),
      ...correction,
      reason,
      previous: { measures: task.measures, goals: task.goals },
    });
    return this.get(id, user);
  }

  /** 减签: the unit's assignment on the task ends as removed, once decideUnitRemoval allows it on stored state. */
  async removeUnit(id: string, user: User, unitId: string, body: RemoveUnitRequest): Promise<RemovedAssignment> {
    const task = await this.find(id);
    const onTask = (status: string) => status !== AssignmentStatus.Reassigned && status !== AssignmentStatus.Removed;
    const assignment = task.assignments.find((candidate) => candidate.unitId === unitId && onTask(candidate.status));
    const others = task.assignments.filter(
      (other) => other !== assignment && other.role === AssignmentRole.Responsible && onTask(other.status),
    ).length;
    const decision = decideUnitRemoval(
      actorOf(user),
      task,
      assignment && { role: assignment.role, live: isAssignmentLive(assignment.status) },
      others,
    );
    // Who may act is decided here; the state again by the workflow against its own (the read model may lag).
    if (!decision.allowed && decision.code !== ErrorCode.Conflict) requireAllowed(decision);
    return this.workflows.updateTask(task.planId, task.no, removeUnitUpdate, {
      actor: actorOf(user),
      unitId,
      reason: body.reason,
    });
  }

  async cancel(id: string, user: User, body: CancelTaskRequest): Promise<TaskView> {
    const task = await this.allowed(id, user, TaskAction.Cancel);
    return this.workflows.updateTask(task.planId, task.no, cancelTaskUpdate, {
      actor: actorOf(user),
      reason: body.reason,
    });
  }

  /**
   * The stored task, once the task state table allows `user` to take `action` on it. Who may act is decided
   * here; the task's state is decided by the workflow's validator (the same table) against its own state —
   * the read model may lag behind it (a task just imported is still `open`; a retried request whose first
   * attempt was applied finds it moved on, and the workflow answers with the first result).
   */
  private async allowed(id: string, user: User, action: TaskAction) {
    const task = await this.find(id);
    const decision = decideTaskAction(action, task.status, actorOf(user), task);
    if (!decision.allowed && decision.code === ErrorCode.Forbidden) requireAllowed(decision);
    return task;
  }

  private async find(id: string) {
    const task = await this.tasks.findWithAssignments(id);
    if (!task) throw new DomainError(ErrorCode.NotFound, `没有这项任务（${id}）。`);
    return task;
  }
}
