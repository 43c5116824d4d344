import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { DomainError, ErrorCode, Policy } from '@county/domain';
import { PlanWithTasks } from '@county/persistence';
import {
  assignmentWorkflowId,
  callWorkflowId,
  CallView,
  CallWorkflowInput,
  raisedUpdate,
  TaskWorkflowInput,
  taskWorkflowId,
} from '@county/workflows';
import { ApiConfig } from '../config';
import { idempotencyScope } from '../common/request-scope';
import { API_CONFIG, TEMPORAL_CLIENT } from '../infrastructure/tokens';

/**
 * The API's only way to change process state: start task workflows and send them updates. Temporal's
 * failures come back as domain errors (a validator's ApplicationFailure type is our error code).
 */
@Injectable()
export class WorkflowGateway {
  private readonly logger = new Logger('WorkflowGateway');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Starts one task workflow per task; idempotent (an already running workflow is left as it is). */
  async startPlan(plan: PlanWithTasks): Promise<void> {
    for (const task of plan.tasks) {
      const input: TaskWorkflowInput = {
        planId: plan.id,
        taskId: task.id,
        no: task.no,
        title: task.title,
        leadUnitIds: task.leadUnitIds,
        dueAt: task.deadline.dueAt,
        ongoing: task.deadline.kind === 'ongoing',
        // Stored resolved and validated at import (defaults laid under the plan's own policy).
        policy: (plan.policy as unknown as Policy).assignment,
        assignments: task.assignments.map((assignment) => ({
          id: assignment.id,
          unitId: assignment.unitId,
          role: assignment.role,
        })),
      };
      await this.call(() =>
        this.client.workflow.start('taskWorkflow', {
          taskQueue: this.config.temporalTaskQueue,
          workflowId: taskWorkflowId(plan.id, task.no),
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [input],
        }),
      );
    }
  }

  updateAssignment<Result, Request>(
    assignmentId: string,
    update: UpdateDefinition<Result, [Request]>,
    request: Request,
  ): Promise<Result> {
    return this.update(assignmentWorkflowId(assignmentId), update, request);
  }

  signalAssignment<Message>(
    assignmentId: string,
    signal: SignalDefinition<[Message]>,
    message: Message,
  ): Promise<void> {
    return this.call(() => this.client.workflow.getHandle(assignmentWorkflowId(assignmentId)).signal(signal, message));
  }

  updateTask<Result, Request>(
    planId: string,
    no: number,
    update: UpdateDefinition<Result, [Request]>,
    request: Request,
  ): Promise<Result> {
    return this.update(taskWorkflowId(planId, no), update, request);
  }

  /**
   * Sends a human action and waits, at most `workflowUpdateTimeoutMs`, for the workflow to accept and
   * apply it. A request with an Idempotency-Key uses it as the update id: Temporal then runs a retried
   * request's update once, and the retry gets the first attempt's result.
   */
  private update<Result, Request>(
    workflowId: string,
    update: UpdateDefinition<Result, [Request]>,
    request: Request,
  ): Promise<Result> {
    const scope = idempotencyScope.getStore();
    const updateId = scope ? `${update.name}:${scope.userId}:${scope.key}` : undefined;
    return this.call(() =>
      this.client.withDeadline(Date.now() + this.config.workflowUpdateTimeoutMs, () =>
        this.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [request], updateId }),
      ),
    );
  }

  /**
   * Starts a call's workflow and waits for it to answer that the call is raised and projected (update-with-
   * start, one round trip). Repeating it for the same call id attaches to the running workflow.
   */
  raiseCall(input: CallWorkflowInput): Promise<CallView> {
    return this.call(() =>
      this.client.workflow.executeUpdateWithStart(raisedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation('callWorkflow', {
          taskQueue: this.config.temporalTaskQueue,
          workflowId: callWorkflowId(input.callId),
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [input],
        }),
      }),
    );
  }

  updateCall<Result, Request>(
    callId: string,
    update: UpdateDefinition<Result, [Request]>,
    request: Request,
  ): Promise<Result> {
    return this.call(() =>
      this.client.workflow.getHandle(callWorkflowId(callId)).executeUpdate(update, { args: [request] }),
    );
  }

  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.toDomainError(error);
    }
  }

  private toDomainError(error: unknown): Error {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const code = error.cause.type as ErrorCode;
      if (KNOWN_CODES.has(code)) return new DomainError(code, error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      return new DomainError(
        ErrorCode.Conflict,
        'This item has no running process (it has finished, or its workflows were not started).',
      );
    }
    this.logger.warn(`Temporal call failed: ${error instanceof Error ? error.message : String(error)}`);
    return new DomainError(ErrorCode.DependencyUnavailable, 'The workflow service did not answer; try again shortly.');
  }
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
