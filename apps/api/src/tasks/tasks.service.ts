import { Injectable } from '@nestjs/common';
import {
  AuditEvent,
  decideTaskAction,
  DomainError,
  ErrorCode,
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
  TaskRepository,
} from '@county/persistence';
import {
  AddedAssignment,
  addUnitUpdate,
  cancelTaskUpdate,
  changeDeadlineUpdate,
  closeTaskUpdate,
  consolidateUpdate,
  returnTaskUpdate,
  TaskView,
} from '@county/workflows';
import {
  actorOf,
  AssignmentItem,
  assignmentItem,
  AssignmentsService,
  requireAllowed,
} from '../assignments/assignments.service';
import { EscalationItem, escalationItem } from '../escalations/escalations.service';
import { PeopleService } from '../people/people.service';
import { WorkflowGateway } from '../temporal/workflow-gateway';
import {
  AddUnitRequest,
  CancelTaskRequest,
  ChangeDeadlineRequest,
  CommentRequest,
  ConsolidateRequest,
  ReturnTaskRequest,
  TaskQuery,
} from './tasks.dto';

/** A task as the API returns it: with what the current user may do to it now. */
export type TaskItem = TaskRecord & { allowedActions: TaskAction[] };

export type TaskDetail = TaskItem & {
  assignments: AssignmentItem[];
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
    private readonly comments: CommentRepository,
  ) {}

  async list(user: User, query: TaskQuery): Promise<TaskItem[]> {
    const items = await this.tasks.list({ ...query, limit: query.limit ?? 200 });
    return items.map((task) => taskItem(user, task));
  }

  async get(id: string, user: User): Promise<TaskDetail> {
    const task = await this.find(id);
    const [timeline, escalations, pending, people, instructions] = await Promise.all([
      // The task's own events and its units' work (签收, 进展, 提交, 审核) form one timeline.
      this.audit.list({ subjectIds: [id, ...task.assignments.map((assignment) => assignment.id)], limit: 1000 }),
      this.escalations.list({ openOnly: false, minLevel: 1, limit: 200, taskId: id }),
      this.extensionRequests.pendingFor(task.assignments.map((assignment) => assignment.id)),
      this.people.facts(
        user,
        'assignments',
        task.assignments.map((assignment) => assignment.id),
      ),
      this.comments.instructionsOnTask(id),
    ]);
    const escalationInstructions = await this.comments.instructionsOnEscalations(
      escalations.map((escalation) => escalation.id),
    );
    return {
      ...taskItem(user, task),
      assignments: task.assignments.map((assignment) => assignmentItem(user, assignment, task, pending, people)),
      timeline,
      escalations: escalations.map((escalation) => escalationItem(user, escalation, escalationInstructions)),
      instructions,
    };
  }

  async consolidate(id: string, user: User, body: ConsolidateRequest): Promise<TaskView> {
    const task = await this.allowed(id, user, TaskAction.Consolidate);
    return this.workflows.updateTask(task.planId, task.no, consolidateUpdate, {
      actor: actorOf(user),
      summary: body.summary,
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
    if (!task) throw new DomainError(ErrorCode.NotFound, `No task ${id}.`);
    return task;
  }
}
