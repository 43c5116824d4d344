import { Injectable } from '@nestjs/common';
import {
  AssignmentAction,
  assignmentActions,
  callActions,
  CallItemAction,
  hasRole,
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
  OpenUrges,
  PeopleRepository,
  ReportRepository,
  TaskRepository,
  UrgeRepository,
} from '@county/persistence';
import { LatestReportResponse } from '../assignments/assignments.dto';
import { actorOf, reportView } from '../assignments/assignments.service';
import { HandlerResponse } from '../people/people.dto';
import { handlerView, PeopleService } from '../people/people.service';

const INBOX_LIMIT = 500;

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

/** Rows handed to the reader (承办人) come first; otherwise the repository's order (most urgent first) stands. */
function mineFirst<T extends { handler: HandlerResponse | null }>(rows: T[], userId: string): T[] {
  const mine = (row: T) => (row.handler?.userId === userId ? 0 : 1);
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => mine(a.row) - mine(b.row) || a.index - b.index)
    .map(({ row }) => row);
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
  ) {}

  async inbox(
    user: User,
    now = new Date(),
  ): Promise<{ items: InboxItemWithActions[]; calls: CallInboxItemWithActions[] }> {
    const actor = actorOf(user);
    // 委派: a deputy under a running delegation also finds the reports waiting for the head's sign-off.
    const signOff = await this.people.signOffActor(user, now);
    const [rows, calls] = await Promise.all([
      this.tasks.inbox(unitsActedFor(user), signOff.roles, INBOX_LIMIT),
      this.calls.inbox(unitsActedFor(user), user.roles, INBOX_LIMIT),
    ]);
    const items = hasRole(actor, Role.Head) ? rows : rows.filter((row) => row.kind !== 'consolidate');
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
      items: mineFirst(
        items.map((item) => {
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
        user.id,
      ),
      calls: mineFirst(
        calls.map((call) => {
          const handler = callHandlers.get(call.callId);
          return {
            ...call,
            allowedActions: callActions(actor, { ...call, handlerUserId: handler?.userId ?? null }),
            handler: handlerView(user, handler, { unitId: call.toUnitId, fromUnitId: call.fromUnitId }),
          };
        }),
        user.id,
      ),
    };
  }
}
