import { Injectable } from '@nestjs/common';
import {
  Actor,
  AuditEventInput,
  callHandled,
  decideDelegation,
  decideHandler,
  decideRevokeDelegation,
  Delegation,
  DomainError,
  ErrorCode,
  isAssignmentLive,
  isDelegationActive,
  maySeeHandlerContact,
  signOffActor,
  User,
} from '@county/domain';
import {
  COLLEAGUE_KEY,
  DELEGATION_KEY,
  HandledTable,
  HandlerRecord,
  PeopleRepository,
  UserRepository,
} from '@county/persistence';
import { pageOf, PageQuery, pageRequest } from '../common/pagination';
import {
  ColleagueListResponse,
  DelegationListResponse,
  DelegationRequest,
  DelegationResponse,
  HandlerResponse,
} from './people.dto';

// Not imported from assignments.service: that module depends on this one.
const actorOf = (user: User): Actor => ({ userId: user.id, unitId: user.unitId, roles: user.roles });
function requireAllowed(decision: { allowed: true } | { allowed: false; code: ErrorCode; reason: string }): void {
  if (!decision.allowed) throw new DomainError(decision.code, decision.reason);
}

/** What an item's response needs of 承办人 and 委派: the handlers of the items, and the sign-off actor. */
export interface PeopleFacts {
  handlers: ReadonlyMap<string, HandlerRecord>;
  signOff: Actor;
}

/** The handler as `user` may see it: the phone only for those who chase the work (maySeeHandlerContact). */
export function handlerView(
  user: User,
  handler: HandlerRecord | undefined,
  item: { unitId: string; leadUnitIds?: readonly string[]; fromUnitId?: string },
): HandlerResponse | null {
  if (!handler) return null;
  return { ...handler, phone: maySeeHandlerContact(user, item) ? handler.phone : null };
}

/**
 * 承办人 (named handler) and 委派 (delegated sign-off), issue 14. The handler is written to the read model here,
 * with its audit event; the workflows do not know of it (naming a handler moves nothing in the process).
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly users: UserRepository,
  ) {}

  /** The facts for a page of items of one kind. */
  async facts(user: User, table: HandledTable, ids: readonly string[]): Promise<PeopleFacts> {
    const [handlers, signOff] = await Promise.all([this.people.handlersOf(table, ids), this.signOffActor(user)]);
    return { handlers, signOff };
  }

  /** The actor approve and 退回 are decided and recorded with (a running delegation makes a deputy a head). */
  async signOffActor(user: User, now = new Date()): Promise<Actor> {
    const actor = actorOf(user);
    if (actor.roles.includes('head')) return actor;
    return signOffActor(actor, await this.people.delegationsOf(user.id, now), now);
  }

  async setAssignmentHandler(
    user: User,
    assignment: { id: string; taskId: string; unitId: string; status: string },
    userId: string,
  ): Promise<void> {
    await this.setHandler(
      user,
      'assignments',
      assignment.id,
      assignment.unitId,
      isAssignmentLive(assignment.status),
      userId,
      {
        taskId: assignment.taskId,
        unitId: assignment.unitId,
      },
    );
  }

  async setCallHandler(user: User, call: { id: string; status: string; toUnitId: string }, userId: string) {
    const { unitId, open } = callHandled(call);
    await this.setHandler(user, 'calls', call.id, unitId, open, userId, { unitId });
  }

  private async setHandler(
    user: User,
    table: HandledTable,
    id: string,
    unitId: string,
    open: boolean,
    userId: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const { stored, effective: current } = await this.people.handlerState(table, id);
    const candidate = await this.users.findById(userId);
    requireAllowed(decideHandler(actorOf(user), { unitId, open, handlerUserId: current }, candidate));
    if (current === userId) return; // already named: nothing changes, nothing is recorded
    const subjectType = table === 'assignments' ? 'assignment' : 'call';
    const audit: AuditEventInput = {
      actorUserId: user.id,
      actorUnitId: user.unitId,
      action: `${subjectType}.handler-set`,
      subjectType,
      subjectId: id,
      workflowId: null,
      payload: {
        ...payload,
        handlerUserId: userId,
        handlerName: candidate!.displayName,
        previousHandlerUserId: current,
        byName: user.displayName,
      },
    };
    const written = await this.people.setHandler(table, id, userId, stored, audit);
    if (!written) throw new DomainError(ErrorCode.Conflict, '承办人刚被其他人更改，请刷新后再试。');
  }

  async colleagues(user: User, query: PageQuery): Promise<ColleagueListResponse> {
    return pageOf(await this.people.colleagues(user.unitId, pageRequest(query, COLLEAGUE_KEY.length)));
  }

  async delegate(user: User, body: DelegationRequest, now = new Date()): Promise<DelegationResponse> {
    const deputy = await this.users.findById(body.deputyUserId);
    const window = { startsAt: new Date(body.startsAt).toISOString(), endsAt: new Date(body.endsAt).toISOString() };
    requireAllowed(decideDelegation(actorOf(user), deputy, window, now));
    const delegation = await this.people.createDelegation(
      { unitId: user.unitId, headUserId: user.id, deputyUserId: deputy!.id, ...window },
      (created) => ({
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: 'delegation.created',
        subjectType: 'delegation',
        subjectId: created.id,
        workflowId: null,
        payload: {
          ...window,
          unitId: user.unitId,
          headName: created.headName,
          deputyUserId: created.deputyUserId,
          deputyName: created.deputyName,
        },
      }),
    );
    return this.view(user, delegation, now);
  }

  async revoke(user: User, id: string, now = new Date()): Promise<DelegationResponse> {
    const delegation = await this.people.findDelegation(id);
    // Someone else's delegation is not found, rather than forbidden: its id tells nothing.
    if (!delegation || (delegation.headUserId !== user.id && delegation.deputyUserId !== user.id)) {
      throw new DomainError(ErrorCode.NotFound, `没有委派 ${id}。`);
    }
    requireAllowed(decideRevokeDelegation(actorOf(user), delegation, now));
    const revoked = await this.people.revokeDelegation(id, {
      actorUserId: user.id,
      actorUnitId: user.unitId,
      action: 'delegation.revoked',
      subjectType: 'delegation',
      subjectId: id,
      workflowId: null,
      payload: { headName: delegation.headName, deputyName: delegation.deputyName },
    });
    return this.view(user, revoked, now);
  }

  /** The delegations `user` gave or received that have not ended. */
  /** GET /delegations: one page of what delegationsOf lists. */
  async delegationPage(user: User, query: PageQuery, now = new Date()): Promise<DelegationListResponse> {
    const page = await this.people.delegationPage(user.id, now, pageRequest(query, DELEGATION_KEY.length));
    return pageOf(page, (delegation) => this.view(user, delegation, now));
  }

  async delegationsOf(user: User, now = new Date()): Promise<DelegationResponse[]> {
    return (await this.people.delegationsOf(user.id, now)).map((delegation) => this.view(user, delegation, now));
  }

  private view(user: User, delegation: Delegation, now: Date): DelegationResponse {
    return {
      ...delegation,
      headInOffice: delegation.headInOffice !== false,
      active: isDelegationActive(delegation, now),
      allowedActions: decideRevokeDelegation(actorOf(user), delegation, now).allowed ? ['revoke'] : [],
    };
  }
}
