import { Injectable } from '@nestjs/common';
import {
  decideEscalationHandling,
  decideEscalationRead,
  DomainError,
  ErrorCode,
  EscalationAction,
  EscalationItemAction,
  escalationActions,
  EscalationFacts,
  EscalationLeaderAction,
  escalationLeaderActions,
  instructionLine,
  isSupervisor,
  LEADER_ESCALATION_LEVEL,
  NotificationKind,
  Role,
  User,
} from '@county/domain';
import type { NotificationInput } from '@county/domain';
import {
  CommentRecord,
  CommentRepository,
  ESCALATION_QUEUE_KEY,
  EscalationRecord,
  EscalationRepository,
} from '@county/persistence';
import { pageOf, pageRequest } from '../common/pagination';
import { actorOf, AssignmentsService, requireAllowed } from '../assignments/assignments.service';
import { CallsService } from '../calls/calls.service';
import {
  BatchHandleEscalationRequest,
  BatchItemResult,
  EscalationQuery,
  HandleEscalationRequest,
} from './escalations.dto';

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
  leaderActions: EscalationLeaderAction[];
  instructions: CommentRecord[];
};

function factsOf(escalation: EscalationRecord): EscalationFacts {
  return { ...escalation, toUnitId: escalation.subjectType === 'call' ? escalation.unitId : null };
}

/**
 * `instructions`: the 批示 of each escalation (CommentRepository.instructionsOnEscalations). An item carries the
 * 批示 written on any of its levels (a 批示 on level 2 stays with the item when level 3 is raised).
 */
export function escalationItem(
  user: User,
  escalation: EscalationRecord,
  instructions: ReadonlyMap<string, CommentRecord[]>,
): EscalationItem {
  const actor = actorOf(user);
  return {
    ...escalation,
    allowedActions: escalationActions(actor, factsOf(escalation)),
    leaderActions: escalation.handledAt ? [] : escalationLeaderActions(actor, escalation),
    instructions: instructionsOf(escalation, instructions),
  };
}

function instructionsOf(escalation: EscalationRecord, instructions: ReadonlyMap<string, CommentRecord[]>) {
  const ids = new Set([escalation.id, ...escalation.escalationIds]);
  return [...ids]
    .flatMap((id) => instructions.get(id) ?? [])
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

/** The ids whose 批示 an item shows: its own and its levels'. */
const instructionIds = (items: readonly EscalationRecord[]) =>
  items.flatMap((escalation) => [escalation.id, ...escalation.escalationIds]);

/** The escalation queue and the supervision office's handling of it (DESIGN §4). */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly escalations: EscalationRepository,
    private readonly assignments: AssignmentsService,
    private readonly calls: CallsService,
    private readonly comments: CommentRepository,
  ) {}

  /**
   * One item per subject (an assignment or a call) at its current level, highest level first, then the longest
   * waiting. Leaders see level 3 (挂牌督办) only. `unreadOnly`: what this leader has not marked 已阅 (待办).
   */
  async list(
    user: User,
    query: EscalationQuery,
    unreadOnly = false,
  ): Promise<{ items: EscalationItem[]; nextCursor: string | null }> {
    const minLevel = isSupervisor(user) ? 1 : LEADER_ESCALATION_LEVEL;
    const page = await this.escalations.queue(
      {
        openOnly: query.open ?? true,
        minLevel,
        level: query.level,
        unitId: query.unitId,
        planId: query.planId,
        kind: query.kind,
        readerUserId: user.id,
        unreadOnly,
      },
      pageRequest(query, ESCALATION_QUEUE_KEY.length),
    );
    const instructions = await this.comments.instructionsOnEscalations(instructionIds(page.items));
    return pageOf(page, (escalation) => escalationItem(user, escalation, instructions));
  }

  /**
   * The same handling for several items (批量催办 …), each decided and recorded on its own: one refused item does
   * not undo the others, and the answer says per item what happened. An item already handled the same way is a
   * repeat (already-handled), so a retried batch does nothing twice.
   */
  async handleMany(user: User, body: BatchHandleEscalationRequest): Promise<{ results: BatchItemResult[] }> {
    const results: BatchItemResult[] = [];
    // One after another: two items of one subject must not race (the first clears the second).
    for (const id of body.ids) {
      try {
        await this.handle(id, user, { action: body.action, note: body.note, dueAt: body.dueAt });
        results.push({ id, outcome: 'handled', code: null, detail: null });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const escalation = error.code === ErrorCode.Conflict ? await this.escalations.find(id) : null;
        const repeat = escalation?.handledAt && escalation.action === body.action;
        results.push(
          repeat
            ? { id, outcome: 'already-handled', code: null, detail: null }
            : { id, outcome: 'failed', code: error.code, detail: error.message },
        );
      }
    }
    return { results };
  }

  /** A leader's 已阅 of a level-3 item: stored per leader and audited once. */
  async markRead(id: string, user: User): Promise<{ id: string; readAt: string }> {
    const escalation = await this.escalations.find(id);
    if (!escalation) throw new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的督办事项。`);
    requireAllowed(decideEscalationRead(actorOf(user), escalation));
    const readAt = await this.escalations.markRead(id, user.id, {
      actorUserId: user.id,
      actorUnitId: user.unitId,
      action: 'escalation.read',
      subjectType: escalation.subjectType,
      subjectId: escalation.subjectId,
      workflowId: null,
      payload: { escalationId: id, level: escalation.level },
    });
    return { id, readAt };
  }

  async handle(id: string, user: User, body: HandleEscalationRequest): Promise<EscalationItem> {
    const escalation = await this.escalations.find(id);
    if (!escalation) throw new DomainError(ErrorCode.NotFound, `没有这条预警（${id}）。`);
    if (escalation.handledAt)
      throw new DomainError(
        ErrorCode.Conflict,
        `这条预警已经处理过（${ESCALATION_ACTION_WORDS[escalation.action ?? ''] ?? escalation.action}）。`,
      );
    // 挂牌督办 carries the newest 批示 on the item (any of its levels) to the late unit.
    const instructions = await this.comments.instructionsOnEscalations(instructionIds([escalation]));
    const instruction = instructionsOf(escalation, instructions)[0]?.body;
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
