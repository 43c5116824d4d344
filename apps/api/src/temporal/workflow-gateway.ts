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
import { ApiMetrics, TemporalOperation, TemporalOutcome } from '../metrics/api-metrics';
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
    private readonly metrics: ApiMetrics,
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
      const workflowId = taskWorkflowId(plan.id, task.no);
      await this.call(workflowId, 'start', 'start taskWorkflow', () =>
        this.client.workflow.start('taskWorkflow', {
          taskQueue: this.config.temporalTaskQueue,
          workflowId,
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
    const workflowId = assignmentWorkflowId(assignmentId);
    return this.call(workflowId, 'signal', `signal ${signal.name}`, () =>
      this.client.workflow.getHandle(workflowId).signal(signal, message),
    );
  }

  updateTask<Result, Request>(
    planId: string,
    no: number,
    update: UpdateDefinition<Result, [Request]>,
    request: Request,
  ): Promise<Result> {
    return this.update(taskWorkflowId(planId, no), update, request);
  }

  updateCall<Result, Request>(
    callId: string,
    update: UpdateDefinition<Result, [Request]>,
    request: Request,
  ): Promise<Result> {
    return this.update(callWorkflowId(callId), update, request);
  }

  /**
   * Sends a human action and waits for the workflow to accept and apply it. Every update goes this way
   * (updateAssignment, updateTask, updateCall, raiseCall): under the update deadline (see `call`), and with
   * the request's Idempotency-Key as the update id (see `updateIdFor`).
   */
  private update<Result, Request>(
    workflowId: string,
    update: UpdateDefinition<Result, [Request]>,
    request: Request,
  ): Promise<Result> {
    const updateId = updateIdFor(update);
    return this.call(workflowId, 'update', `update ${update.name}`, () =>
      this.client.workflow.getHandle(workflowId).executeUpdate(update, { args: [request], updateId }),
    );
  }

  /**
   * Starts a call's workflow and waits for it to answer that the call is raised and projected (update-with-
   * start, one round trip). Repeating it for the same call id attaches to the running workflow; with an
   * Idempotency-Key the update id is the key's, so a retry gets the first attempt's answer.
   */
  raiseCall(input: CallWorkflowInput): Promise<CallView> {
    const workflowId = callWorkflowId(input.callId);
    return this.call(workflowId, 'update_with_start', `start callWorkflow, update ${raisedUpdate.name}`, () =>
      this.client.workflow.executeUpdateWithStart(raisedUpdate, {
        updateId: updateIdFor(raisedUpdate),
        startWorkflowOperation: new WithStartWorkflowOperation('callWorkflow', {
          taskQueue: this.config.temporalTaskQueue,
          workflowId,
          workflowIdConflictPolicy: 'USE_EXISTING',
          args: [input],
        }),
      }),
    );
  }

  /**
   * Every Temporal call has a deadline (`workflowUpdateTimeoutMs`): with no worker running, Temporal holds
   * an update or an update-with-start indefinitely, and the caller is better told to retry (503 with
   * Retry-After; with the same Idempotency-Key the retry joins the first attempt).
   * Each call is one log line with its workflow id (and, from the log context, the request, user and unit): the
   * thread from an HTTP request to the workflow history and the worker's lines about it. Each is also timed here,
   * the one place the API talks to Temporal, for county_api_temporal_call_duration_seconds.
   */
  private async call<T>(
    workflowId: string,
    kind: TemporalOperation,
    what: string,
    operation: () => Promise<T>,
  ): Promise<T> {
    const started = Date.now();
    try {
      const result = await this.timed(kind, () =>
        this.client.withDeadline(started + this.config.workflowUpdateTimeoutMs, operation),
      );
      this.logger.log({ msg: `Temporal ${what}`, workflowId, durationMs: Date.now() - started });
      return result;
    } catch (error) {
      throw await this.toDomainError(workflowId, what, error);
    }
  }

  private async timed<T>(kind: TemporalOperation, operation: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let outcome: TemporalOutcome = 'error';
    try {
      const result = await operation();
      outcome = 'ok';
      return result;
    } catch (error) {
      // The workflow answered, with a refusal (its validator's 403/409): Temporal itself worked.
      if (error instanceof WorkflowUpdateFailedError) outcome = 'rejected';
      throw error;
    } finally {
      this.metrics.observeTemporalCall(kind, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async toDomainError(workflowId: string, what: string, error: unknown): Promise<Error> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const code = error.cause.type as ErrorCode;
      if (KNOWN_CODES.has(code)) return new DomainError(code, error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError) {
      // Either the process has ended (the item is finished: a conflict), or it has not started yet — an
      // item just imported whose task workflow is still starting its units' workflows. The read model
      // already shows such an item as actionable, so the caller is told to retry, never that it is over.
      if (await this.hasEnded(workflowId)) {
        return new DomainError(ErrorCode.Conflict, '该事项的流程已经结束，不能再办理。');
      }
      return unavailable('该事项的流程正在启动，请稍后再试。');
    }
    this.logger.warn({
      msg: `Temporal call failed: ${error instanceof Error ? error.message : String(error)}`,
      workflowId,
      operation: what,
    });
    return unavailable('流程服务暂时没有响应，请稍后再试。');
  }

  /** Whether the workflow exists and has closed (false when it does not exist yet, or cannot be asked). */
  private async hasEnded(workflowId: string): Promise<boolean> {
    try {
      const description = await this.timed('describe', () =>
        this.client.withDeadline(Date.now() + this.config.workflowUpdateTimeoutMs, () =>
          this.client.workflow.getHandle(workflowId).describe(),
        ),
      );
      return description.status.name !== 'RUNNING';
    } catch {
      return false;
    }
  }
}

/**
 * A request with an Idempotency-Key uses it as the update id: Temporal then runs a retried request's update
 * once, and the retry gets the first attempt's result. Without a key Temporal picks a fresh id.
 */
function updateIdFor(update: { name: string }): string | undefined {
  const scope = idempotencyScope.getStore();
  return scope ? `${update.name}:${scope.userId}:${scope.key}` : undefined;
}

/** How long a caller should wait before retrying an action the workflow service could not take yet. */
const RETRY_AFTER_SECONDS = 2;

function unavailable(detail: string): DomainError {
  return new DomainError(ErrorCode.DependencyUnavailable, detail, { retryAfterSeconds: RETRY_AFTER_SECONDS });
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));
