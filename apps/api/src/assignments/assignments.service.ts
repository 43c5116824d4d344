import { Injectable } from '@nestjs/common';
import {
  Actor,
  AssignmentAction,
  AssignmentStatus,
  decideAssignmentAction,
  DomainError,
  ErrorCode,
  User,
} from '@county/domain';
import { AssignmentContext, TaskRepository } from '@county/persistence';
import {
  acknowledgeUpdate,
  approveUpdate,
  AssignmentView,
  progressUpdate,
  returnUpdate,
  submitUpdate,
} from '@county/workflows';
import { WorkflowGateway } from '../workflows/workflow-gateway';
import {
  AcknowledgeRequest,
  ApproveRequest,
  ProgressRequest,
  ReturnRequest,
  SubmitRequest,
} from './assignment-actions.dto';

export function actorOf(user: User): Actor {
  return { userId: user.id, unitId: user.unitId, roles: user.roles };
}

@Injectable()
export class AssignmentsService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly workflows: WorkflowGateway,
  ) {}

  async get(id: string): Promise<AssignmentContext> {
    const context = await this.tasks.findAssignment(id);
    if (!context) throw new DomainError(ErrorCode.NotFound, `No assignment ${id}.`);
    return context;
  }

  acknowledge(id: string, user: User, body: AcknowledgeRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Acknowledge, (actor) =>
      this.workflows.updateAssignment(id, acknowledgeUpdate, { actor, ...body }),
    );
  }

  progress(id: string, user: User, body: ProgressRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Progress, (actor) =>
      this.workflows.updateAssignment(id, progressUpdate, { actor, ...body }),
    );
  }

  submit(id: string, user: User, body: SubmitRequest): Promise<AssignmentView> {
    return this.act(id, user, AssignmentAction.Submit, (actor) =>
      this.workflows.updateAssignment(id, submitUpdate, { actor, ...body }),
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
    action: AssignmentAction,
    send: (actor: Actor) => Promise<AssignmentView>,
  ): Promise<AssignmentView> {
    const { assignment, task } = await this.get(id);
    const actor = actorOf(user);
    const decision = decideAssignmentAction(action, assignment.status as AssignmentStatus, actor, {
      unitId: assignment.unitId,
      leadUnitIds: task.leadUnitIds,
    });
    if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
    return send(actor);
  }
}
