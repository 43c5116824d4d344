import { AttachmentResponse } from '../attachments/attachments.dto';
import { AttachmentsService } from '../attachments/attachments.service';
import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  Actor,
  actsForUnit,
  AuditEvent,
  CallAction,
  callActions,
  CallItemAction,
  CallStatus,
  CALL_SUPERVISION_OF,
  CallSupervision,
  chinaDayRange,
  decideCallAction,
  decideCallRaise,
  decideCallSupervision,
  DomainError,
  ErrorCode,
  EscalationAction,
  Policy,
  PolicyError,
  resolvePolicy,
  User,
} from '@county/domain';
import { pageOf, pageRequest } from '../common/pagination';
import {
  AuditRepository,
  CALL_KEY,
  CallRecord,
  CallRepository,
  EscalationRecord,
  HandlerRecord,
  PeopleRepository,
  TaskRepository,
  UnitRepository,
} from '@county/persistence';
import { evaluateCallUpdate, resolveCallUpdate, respondCallUpdate, superviseCallUpdate } from '@county/workflows';
import { actorOf, requireAllowed } from '../assignments/assignments.service';
import { ApiConfig } from '../config';
import { loadDefaultPolicy } from '../database/seeds';
import { idempotencyScope } from '../common/request-scope';
import { API_CONFIG } from '../infrastructure/tokens';
import { WorkflowGateway } from '../temporal/workflow-gateway';
import { HandlerResponse } from '../people/people.dto';
import { handlerView, PeopleService } from '../people/people.service';
import {
  CallQuery,
  EvaluateCallRequest,
  MAX_CALL_PAGE,
  RaiseCallRequest,
  ResolveCallRequest,
  RespondCallRequest,
} from './calls.dto';

/** A call as the API returns it: with its 承办人 and what the current user may do to it now. */
export type CallItem = CallRecord & { allowedActions: CallItemAction[]; handler: HandlerResponse | null };
export type CallDetail = CallItem & { timeline: AuditEvent[]; attachments: AttachmentResponse[] };

export function callItem<T extends { id: string; status: string; fromUnitId: string; toUnitId: string }>(
  user: User,
  call: T,
  handlers: ReadonlyMap<string, HandlerRecord>,
): T & { allowedActions: CallItemAction[]; handler: HandlerResponse | null } {
  const handler = handlers.get(call.id);
  return {
    ...call,
    allowedActions: callActions(actorOf(user), { ...call, handlerUserId: handler?.userId ?? null }),
    handler: handlerView(user, handler, { unitId: call.toUnitId, fromUnitId: call.fromUnitId }),
  };
}

/** What the supervision office asked for when handling one of a call's escalations. */
export interface CallEscalationHandling {
  action: EscalationAction;
  note: string;
  dueAt?: string;
  toUnitId?: string;
  /** 挂牌督办: the newest 批示 on the escalation, which the flag's notice carries to the called unit. */
  instruction?: string;
}

/**
 * 乡呼县应 calls. Every check runs first against stored state, so a refused request never reaches the
 * workflow (nothing is written to its history); the workflow's update validator then checks again against
 * its own state.
 */
@Injectable()
export class CallsService implements OnModuleInit {
  private policy?: Policy['call'];

  constructor(
    private readonly calls: CallRepository,
    private readonly units: UnitRepository,
    private readonly tasks: TaskRepository,
    private readonly audit: AuditRepository,
    private readonly workflows: WorkflowGateway,
    private readonly people: PeopleService,
    private readonly handlers: PeopleRepository,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly files: AttachmentsService,
  ) {}

  /** A bad CALL_POLICY stops the API at start-up, naming the field, instead of failing the first call. */
  async onModuleInit(): Promise<void> {
    try {
      const overrides = this.config.callPolicy ? { call: this.config.callPolicy } : undefined;
      this.policy = resolvePolicy(await loadDefaultPolicy(), overrides).call;
    } catch (error) {
      if (error instanceof PolicyError) throw new Error(`CALL_POLICY: ${error.problems.join('; ')}`);
      throw error;
    }
  }

  async raise(user: User, { attachmentIds, ...body }: RaiseCallRequest): Promise<CallItem> {
    const [from, to] = await Promise.all([this.units.findById(user.unitId), this.units.findById(body.toUnitId)]);
    if (!to) throw new DomainError(ErrorCode.ValidationFailed, `单位名录中没有单位 ${body.toUnitId}。`);
    if (to.retired) throw new DomainError(ErrorCode.ValidationFailed, `toUnitId: ${to.name}已撤销，不能接收新的呼叫。`);
    const actor = actorOf(user);
    requireAllowed(decideCallRaise(actor, from!.kind, to.kind));
    if (body.relatedAssignmentId) {
      // A township cites its own work, never another township's (that would put its call on their record).
      const related = await this.tasks.findAssignment(body.relatedAssignmentId);
      if (!related || !actsForUnit(actor, related.assignment.unitId)) {
        throw new DomainError(
          ErrorCode.ValidationFailed,
          `relatedAssignmentId: 所关联的任务不是本单位承办的任务（${body.relatedAssignmentId}）。`,
        );
      }
    }
    // With an Idempotency-Key the call's id comes from the key, so a retry after a 503 (no worker answered
    // in time) attaches to the call the first attempt started instead of raising a second one.
    const attached = await this.files.attached(actor, attachmentIds);
    const scope = idempotencyScope.getStore();
    const callId = scope ? uuidFrom(`call:${scope.userId}:${scope.key}`) : randomUUID();
    await this.workflows.raiseCall({
      callId,
      fromUnitId: from!.id,
      fromUnitKind: from!.kind,
      toUnitId: to.id,
      toUnitKind: to.kind,
      subject: body.subject,
      description: body.description,
      urgency: body.urgency,
      relatedAssignmentId: body.relatedAssignmentId ?? null,
      raisedBy: actor,
      ...attached,
      policy: this.policy!,
    });
    // The update answered after the projection committed, so the row is there.
    return this.item(user, (await this.calls.find(callId))!);
  }

  async list(user: User, query: CallQuery): Promise<{ items: CallItem[]; nextCursor: string | null; total: number }> {
    const { status, fromUnitId, toUnitId, unitId, light, raisedFrom, raisedTo } = query;
    const raised = chinaDayRange(raisedFrom, raisedTo);
    const page = await this.calls.list(
      { status, fromUnitId, toUnitId, unitId, light, raisedFrom: raised.from, raisedTo: raised.to },
      pageRequest(query, CALL_KEY.length),
    );
    const handlers = await this.handlers.handlersOf(
      'calls',
      page.items.map((call) => call.id),
    );
    return { ...pageOf(page, (call) => callItem(user, call, handlers)), total: page.total };
  }

  async get(id: string, user: User): Promise<CallDetail> {
    const call = await this.find(id);
    const timeline = await this.audit.list({ subjectType: 'call', subjectId: id, limit: MAX_CALL_PAGE * 2 });
    return { ...(await this.item(user, call)), timeline, attachments: await this.files.of('call', id) };
  }

  /** 承办人: a colleague of the called unit handles the call (decideHandler); answers the call. */
  async setHandler(id: string, user: User, userId: string): Promise<CallItem> {
    const call = await this.find(id);
    await this.people.setCallHandler(user, call, userId);
    return this.item(user, await this.find(id));
  }

  private async item(user: User, call: CallRecord): Promise<CallItem> {
    return callItem(user, call, await this.handlers.handlersOf('calls', [call.id]));
  }

  respond(id: string, user: User, body: RespondCallRequest): Promise<CallItem> {
    return this.act(id, user, CallAction.Respond, (actor) =>
      this.workflows.updateCall(id, respondCallUpdate, { actor, ...body }),
    );
  }

  resolve(id: string, user: User, { attachmentIds, ...body }: ResolveCallRequest): Promise<CallItem> {
    return this.act(id, user, CallAction.Resolve, async (actor) =>
      this.workflows.updateCall(id, resolveCallUpdate, {
        actor,
        ...body,
        ...(await this.files.attached(actor, attachmentIds)),
      }),
    );
  }

  evaluate(id: string, user: User, { attachmentIds, ...body }: EvaluateCallRequest): Promise<CallItem> {
    return this.act(id, user, CallAction.Evaluate, async (actor) =>
      this.workflows.updateCall(id, evaluateCallUpdate, {
        actor,
        ...body,
        ...(await this.files.attached(actor, attachmentIds)),
      }),
    );
  }

  /**
   * The workflow side of handling a call escalation (extend the running limit, 转办 to another county unit,
   * 挂牌督办). A reminder changes nothing in the process: the escalation handler sends it.
   */
  async superviseFromEscalation(
    escalation: EscalationRecord,
    user: User,
    handling: CallEscalationHandling,
  ): Promise<void> {
    if (handling.action === EscalationAction.Remind) return;
    const call = await this.calls.find(escalation.subjectId);
    if (!call) throw new DomainError(ErrorCode.Conflict, `未找到这条预警所涉及的呼叫（预警 ${escalation.id}）。`);
    const action = CALL_SUPERVISION_OF[handling.action] as Exclude<CallSupervision, CallSupervision.Remind>;
    const newUnit = handling.toUnitId ? await this.units.findById(handling.toUnitId) : null;
    if (handling.toUnitId && !newUnit)
      throw new DomainError(ErrorCode.ValidationFailed, `单位名录中没有单位 ${handling.toUnitId}。`);
    if (newUnit?.retired)
      throw new DomainError(ErrorCode.ValidationFailed, `toUnitId: ${newUnit.name}已撤销，不能接收新的呼叫。`);
    const actor = actorOf(user);
    const decision = decideCallSupervision(
      action,
      call.status as CallStatus,
      actor,
      { fromUnitId: call.fromUnitId, toUnitId: call.toUnitId },
      newUnit ? { id: newUnit.id, kind: newUnit.kind } : undefined,
    );
    requireAllowed(decision);
    await this.workflows.updateCall(call.id, superviseCallUpdate, {
      actor,
      action,
      note: handling.note,
      dueAt: handling.dueAt ? new Date(handling.dueAt).toISOString() : undefined,
      toUnitId: newUnit?.id,
      toUnitKind: newUnit?.kind,
      ...(handling.action === EscalationAction.Flag && handling.instruction
        ? { instruction: handling.instruction }
        : {}),
    });
  }

  private async find(id: string): Promise<CallRecord> {
    const call = await this.calls.find(id);
    if (!call) throw new DomainError(ErrorCode.NotFound, `没有这条呼叫（${id}）。`);
    return call;
  }

  private async act(
    id: string,
    user: User,
    action: CallAction.Respond | CallAction.Resolve | CallAction.Evaluate,
    send: (actor: Actor) => Promise<unknown>,
  ): Promise<CallItem> {
    const call = await this.find(id);
    const actor = actorOf(user);
    requireAllowed(decideCallAction(action, call.status as CallStatus, actor, call));
    await send(actor);
    return this.item(user, await this.find(id));
  }
}

/** A stable UUID (version 4 layout) derived from `seed`. */
function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
