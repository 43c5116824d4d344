import { Injectable } from '@nestjs/common';
import {
  decideEscalationHandling,
  DomainError,
  ErrorCode,
  EscalationAction,
  EscalationItemAction,
  escalationActions,
  EscalationFacts,
  instructionLine,
  isSupervisor,
  NotificationKind,
  Role,
  User,
} from '@county/domain';
import type { NotificationInput } from '@county/domain';
import {
  CommentRecord,
  CommentRepository,
  ESCALATION_KEY,
  EscalationRecord,
  EscalationRepository,
} from '@county/persistence';
import { pageOf, pageRequest } from '../common/pagination';
import { actorOf, AssignmentsService, requireAllowed } from '../assignments/assignments.service';
import { CallsService } from '../calls/calls.service';
import { EscalationQuery, HandleEscalationRequest } from './escalations.dto';

/** How 这条预警已经处理过（…） names the earlier handling. */
const ESCALATION_ACTION_WORDS: Readonly<Record<string, string>> = {
  [EscalationAction.Remind]: '已催办',
  [EscalationAction.Reassign]: '已转办',
  [EscalationAction.Extend]: '已延期',
  [EscalationAction.Flag]: '已挂牌督办',
};

/** An escalation as the API returns it: with what the current user may do with it now, and its 批示. */
export type EscalationItem = EscalationRecord & {
  allowedActions: EscalationItemAction[];
  instructions: CommentRecord[];
};

function factsOf(escalation: EscalationRecord): EscalationFacts {
  return { ...escalation, toUnitId: escalation.subjectType === 'call' ? escalation.unitId : null };
}

/** `instructions`: the 批示 of each escalation (CommentRepository.instructionsOnEscalations). */
export function escalationItem(
  user: User,
  escalation: EscalationRecord,
  instructions: ReadonlyMap<string, CommentRecord[]>,
): EscalationItem {
  return {
    ...escalation,
    allowedActions: escalationActions(actorOf(user), factsOf(escalation)),
    instructions: instructions.get(escalation.id) ?? [],
  };
}

/** The escalation queue and the supervision office's handling of it (DESIGN §4). */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly assignments: AssignmentsService,
    private readonly calls: CallsService,
    private readonly comments: CommentRepository,
  ) {}

  /** Highest level first. Leaders see level 3 (挂牌督办) only. */
  async list(user: User, query: EscalationQuery): Promise<{ items: EscalationItem[]; nextCursor: string | null }> {
    const minLevel = isSupervisor(user) ? 1 : 3;
    const page = await this.escalations.page(
      { openOnly: query.open ?? true, minLevel },
      pageRequest(query, ESCALATION_KEY.length),
    );
    const instructions = await this.comments.instructionsOnEscalations(page.items.map((escalation) => escalation.id));
    return pageOf(page, (escalation) => escalationItem(user, escalation, instructions));
  }

  async handle(id: string, user: User, body: HandleEscalationRequest): Promise<EscalationItem> {
    const escalation = await this.escalations.find(id);
    if (!escalation) throw new DomainError(ErrorCode.NotFound, `没有这条预警（${id}）。`);
    if (escalation.handledAt)
      throw new DomainError(
        ErrorCode.Conflict,
        `这条预警已经处理过（${ESCALATION_ACTION_WORDS[escalation.action ?? ''] ?? escalation.action}）。`,
      );
    // 挂牌督办 carries the newest 批示 on the escalation to the late unit.
    const instructions = await this.comments.instructionsOnEscalations([id]);
    const instruction = instructions.get(id)?.[0]?.body;
    if (escalation.subjectType === 'call') {
      await this.calls.superviseFromEscalation(escalation, user, { ...body, instruction });
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
          ...(instruction && body.action === EscalationAction.Flag ? { instruction } : {}),
        },
      },
      this.handlingNotice(escalation, body, instruction),
      // Reassigning ends the work and moving the deadline removes the cause: either may already have marked
      // this escalation `resolved` by the time it is recorded as handled.
      body.action === EscalationAction.Reassign || body.action === EscalationAction.Extend,
    );
    if (!handled) throw new DomainError(ErrorCode.Conflict, '这条预警刚刚已由他人处理。');
    return escalationItem(user, (await this.escalations.find(id))!, instructions);
  }

  /**
   * What the late unit is told of the handling: a 催办 to the unit; an assignment's 挂牌督办 to its head, with the
   * newest 批示 on the escalation (a call's flag is told by its workflow, which is given the 批示).
   */
  private handlingNotice(
    escalation: EscalationRecord,
    body: HandleEscalationRequest,
    instruction: string | undefined,
  ): NotificationInput | undefined {
    const unitId = escalation.unitId ?? escalation.targetUnitId;
    const about = { subjectType: escalation.subjectType, subjectId: escalation.subjectId };
    if (body.action === EscalationAction.Remind) {
      return {
        ...about,
        recipientUnitId: unitId,
        recipientRole: null,
        kind: NotificationKind.SupervisionReminder,
        title: '督查室催办',
        body: body.note,
      };
    }
    if (body.action === EscalationAction.Flag && escalation.subjectType !== 'call') {
      return {
        ...about,
        recipientUnitId: unitId,
        recipientRole: Role.Head,
        kind: NotificationKind.EscalationFlagged,
        title: `已被挂牌督办：${body.note}`,
        body: instruction ? `${body.note}\n${instructionLine(instruction)}` : body.note,
      };
    }
    return undefined;
  }
}
