import { Injectable } from '@nestjs/common';
import {
  AssignmentAction,
  assignmentActions,
  callActions,
  CallItemAction,
  hasRole,
  isSupervisor,
  Role,
  TaskAction,
  taskActions,
  unitsActedFor,
  User,
} from '@county/domain';
import {
  CallInboxItem,
  CallRepository,
  ExtensionRequestRepository,
  InboxItem,
  Keyed,
  OpenUrges,
  PeopleRepository,
  ReportRepository,
  SentItem,
  TaskRepository,
  UrgeRepository,
} from '@county/persistence';
import { LatestReportResponse } from '../assignments/assignments.dto';
import { actorOf, reportView } from '../assignments/assignments.service';
import { HandlerResponse } from '../people/people.dto';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { DEFAULT_PAGE_SIZE, PageQuery } from '../common/pagination';
import { handlerView, PeopleService } from '../people/people.service';
import { EscalationItem, EscalationsService } from '../escalations/escalations.service';

/** How many 督办 items 待办 shows; the queue on the board pages through the rest. */
const INBOX_ESCALATIONS = 20;

/**
 * An inbox row with what the user may do now: `allowedActions` for the row's assignment (empty for a task
 * row), `taskActions` for its task (consolidate, close, return ... — what a task row asks for), and its 承办人.
 */
export type InboxItemWithActions = InboxItem & {
  allowedActions: AssignmentAction[];
  taskActions: TaskAction[];
  handler: HandlerResponse | null;
  urges: OpenUrges | null;
  /** What a review decides on, why a returned report came back (null for a task row). */
  report: LatestReportResponse | null;
};
export type CallInboxItemWithActions = CallInboxItem & {
  allowedActions: CallItemAction[];
  handler: HandlerResponse | null;
};

/** Where a list of the inbox stands in a cursor: after this key, or 'end' when it has no more rows. */
type ListPosition = readonly unknown[] | 'end';

/**
 * The inbox is two lists (task work and calls) paged together: the cursor holds the position of each, so
 * following nextCursor brings the next rows of both (an ended list answers no rows) until both are done.
 */
function positions(cursor: string | undefined): [ListPosition | undefined, ListPosition | undefined] {
  if (cursor === undefined) return [undefined, undefined];
  const [items, calls] = decodeCursor(cursor, 2);
  return [items as ListPosition, calls as ListPosition];
}

function after(position: ListPosition | undefined): readonly unknown[] | undefined {
  // Anything but an array or 'end' reaches keysetAfter, which refuses it (400).
  return position as readonly unknown[] | undefined;
}

function nextPosition(page: Keyed<unknown> | null, position: ListPosition | undefined): ListPosition {
  if (page === null) return position ?? 'end';
  return page.nextKey ?? 'end';
}

@Injectable()
export class InboxService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly calls: CallRepository,
    private readonly extensionRequests: ExtensionRequestRepository,
    private readonly people: PeopleService,
    private readonly handlers: PeopleRepository,
    private readonly urges: UrgeRepository,
    private readonly reports: ReportRepository,
    private readonly escalations: EscalationsService,
  ) {}

  /**
   * The 督办 in 待办: the supervision office's open items, a county leader's unread 挂牌督办 (what 已阅 answers).
   * Other roles have none; only the first page carries them.
   */
  private async escalationsFor(
    user: User,
    cursor: string | undefined,
  ): Promise<{ escalations: EscalationItem[]; moreEscalations: boolean }> {
    const reads = isSupervisor(user) || hasRole(user, Role.Leader);
    if (!reads || cursor !== undefined) return { escalations: [], moreEscalations: false };
    const leaderOnly = !isSupervisor(user);
    const page = await this.escalations.list(user, { limit: INBOX_ESCALATIONS }, leaderOnly);
    return { escalations: page.items, moreEscalations: page.nextCursor !== null };
  }

  async inbox(
    user: User,
    query: PageQuery = {},
    now = new Date(),
  ): Promise<{
    items: InboxItemWithActions[];
    calls: CallInboxItemWithActions[];
    sent: SentItem[];
    escalations: EscalationItem[];
    moreEscalations: boolean;
    nextCursor: string | null;
  }> {
    const actor = actorOf(user);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const [itemsAt, callsAt] = positions(query.cursor);
    // 委派: a deputy under a running delegation also finds the reports waiting for the head's sign-off.
    const signOff = await this.people.signOffActor(user, now);
    const reader = { userId: user.id, unitId: user.unitId, consolidate: hasRole(actor, Role.Head) };
    const [rowsPage, callsPage, sent, escalations] = await Promise.all([
      itemsAt === 'end'
        ? null
        : this.tasks.inbox(unitsActedFor(user), signOff.roles, reader, { limit, after: after(itemsAt) }),
      callsAt === 'end'
        ? null
        : this.calls.inbox(unitsActedFor(user), user.roles, reader, { limit, after: after(callsAt) }),
      // 已报送，待审核: a short list of its own, on the first page (the console merges pages by concatenation).
      query.cursor === undefined ? this.tasks.sent(unitsActedFor(user)) : Promise.resolve([]),
      this.escalationsFor(user, query.cursor),
    ]);
    const items = rowsPage?.items ?? [];
    const calls = callsPage?.items ?? [];
    const next = [nextPosition(rowsPage, itemsAt), nextPosition(callsPage, callsAt)];
    const assignmentIds = items.flatMap((item) => item.assignmentId ?? []);
    const workIds = items.flatMap((item) => (item.kind === 'work' && item.assignmentId ? [item.assignmentId] : []));
    const [pending, assignmentHandlers, callHandlers, openUrges, reports] = await Promise.all([
      this.extensionRequests.pendingFor(assignmentIds),
      this.handlers.handlersOf('assignments', assignmentIds),
      this.handlers.handlersOf(
        'calls',
        calls.map((call) => call.callId),
      ),
      this.urges.openFor(workIds),
      this.reports.latest(assignmentIds),
    ]);
    return {
      sent,
      ...escalations,
      nextCursor: next.every((position) => position === 'end') ? null : encodeCursor(next),
      items: items.map((item) => {
        const task = { status: item.taskStatus, leadUnitIds: item.leadUnitIds };
        const handler = item.assignmentId ? assignmentHandlers.get(item.assignmentId) : undefined;
        const allowedActions =
          item.assignmentId && item.unitId && item.role
            ? assignmentActions(
                actor,
                {
                  unitId: item.unitId,
                  role: item.role,
                  status: item.status,
                  dueAt: item.dueAt,
                  extensionPending: pending.has(item.assignmentId),
                  handlerUserId: handler?.userId ?? null,
                },
                task,
                now,
                signOff,
              )
            : [];
        return {
          ...item,
          allowedActions,
          taskActions: taskActions(actor, task),
          urges: (item.kind === 'work' && item.assignmentId && openUrges.get(item.assignmentId)) || null,
          report: item.assignmentId ? reportView(reports.get(item.assignmentId)) : null,
          handler: item.unitId
            ? handlerView(user, handler, { unitId: item.unitId, leadUnitIds: item.leadUnitIds })
            : null,
        };
      }),
      calls: calls.map((call) => {
        const handler = callHandlers.get(call.callId);
        return {
          ...call,
          allowedActions: callActions(actor, { ...call, handlerUserId: handler?.userId ?? null }),
          handler: handlerView(user, handler, { unitId: call.toUnitId, fromUnitId: call.fromUnitId }),
        };
      }),
    };
  }
}
