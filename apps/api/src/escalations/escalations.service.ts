import { Injectable } from '@nestjs/common';
import {
  decideEscalationHandling,
  DomainError,
  ErrorCode,
  EscalationAction,
  EscalationItemAction,
  escalationActions,
  EscalationFacts,
  isSupervisor,
  User,
} from '@county/domain';
import { EscalationRecord, EscalationRepository } from '@county/persistence';
import { actorOf, AssignmentsService, requireAllowed } from '../assignments/assignments.service';
import { CallsService } from '../calls/calls.service';
import { HandleEscalationRequest } from './escalations.dto';

/** An escalation as the API returns it: with what the current user may do with it now. */
export type EscalationItem = EscalationRecord & { allowedActions: EscalationItemAction[] };

function factsOf(escalation: EscalationRecord): EscalationFacts {
  return { ...escalation, toUnitId: escalation.subjectType === 'call' ? escalation.unitId : null };
}

export function escalationItem(user: User, escalation: EscalationRecord): EscalationItem {
  return { ...escalation, allowedActions: escalationActions(actorOf(user), factsOf(escalation)) };
}

/** The escalation queue and the supervision office's handling of it (DESIGN §4). */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly assignments: AssignmentsService,
    private readonly calls: CallsService,
  ) {}

  /** Highest level first. Leaders see level 3 (挂牌督办) only. */
  async list(user: User, openOnly: boolean, limit: number): Promise<EscalationItem[]> {
    const minLevel = isSupervisor(user) ? 1 : 3;
    const items = await this.escalations.list({ openOnly, minLevel, limit });
    return items.map((escalation) => escalationItem(user, escalation));
  }

  async handle(id: string, user: User, body: HandleEscalationRequest): Promise<EscalationItem> {
    const escalation = await this.escalations.find(id);
    if (!escalation) throw new DomainError(ErrorCode.NotFound, `No escalation ${id}.`);
    if (escalation.handledAt)
      throw new DomainError(ErrorCode.Conflict, `Escalation ${id} was already handled (${escalation.action}).`);
    if (escalation.subjectType === 'call') {
      await this.calls.superviseFromEscalation(escalation, user, body);
    } else {
      requireAllowed(decideEscalationHandling(body.action, actorOf(user), factsOf(escalation)));
      if (body.action === EscalationAction.Reassign) {
        await this.assignments.reassign(escalation.subjectId, user, body.toUnitId!, body.note);
      } else if (body.action === EscalationAction.Extend) {
        // 延期 from an escalation moves that unit's deadline, not the whole task's (issue 13).
        await this.assignments.extendDeadline(
          escalation.subjectId,
          user,
          new Date(body.dueAt!).toISOString(),
          body.note,
        );
      }
    }
    const remindUnit = body.action === EscalationAction.Remind ? (escalation.unitId ?? escalation.targetUnitId) : null;
    const handled = await this.escalations.markHandled(
      id,
      body.action,
      {
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: `escalation.${body.action}`,
        subjectType: escalation.subjectType,
        subjectId: escalation.subjectId,
        workflowId: null,
        payload: {
          escalationId: id,
          level: escalation.level,
          note: body.note,
          dueAt: body.dueAt ?? null,
          toUnitId: body.toUnitId ?? null,
        },
      },
      remindUnit
        ? {
            recipientUnitId: remindUnit,
            recipientRole: null,
            kind: 'supervision-reminder',
            subjectType: escalation.subjectType,
            subjectId: escalation.subjectId,
            title: '督查室催办',
            body: body.note,
          }
        : undefined,
      // Reassigning ends the work and moving the deadline removes the cause: either may already have marked
      // this escalation `resolved` by the time it is recorded as handled.
      body.action === EscalationAction.Reassign || body.action === EscalationAction.Extend,
    );
    if (!handled) throw new DomainError(ErrorCode.Conflict, `Escalation ${id} was already handled.`);
    return escalationItem(user, (await this.escalations.find(id))!);
  }
}
