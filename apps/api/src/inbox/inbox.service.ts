import { Injectable } from '@nestjs/common';
import {
  AssignmentAction,
  assignmentActions,
  CallItemAction,
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
  TaskRepository,
} from '@county/persistence';
import { actorOf } from '../assignments/assignments.service';
import { callItem } from '../calls/calls.service';

const INBOX_LIMIT = 500;

/**
 * An inbox row with what the user may do now: `allowedActions` for the row's assignment (empty for a task
 * row), `taskActions` for its task (consolidate, close, return ... — what a task row asks for).
 */
export type InboxItemWithActions = InboxItem & { allowedActions: AssignmentAction[]; taskActions: TaskAction[] };
export type CallInboxItemWithActions = CallInboxItem & { allowedActions: CallItemAction[] };

@Injectable()
export class InboxService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly calls: CallRepository,
    private readonly extensionRequests: ExtensionRequestRepository,
  ) {}

  async inbox(user: User): Promise<{ items: InboxItemWithActions[]; calls: CallInboxItemWithActions[] }> {
    const actor = actorOf(user);
    const [items, calls] = await Promise.all([
      this.tasks.inbox(unitsActedFor(user), user.roles, INBOX_LIMIT),
      this.calls.inbox(unitsActedFor(user), user.roles, INBOX_LIMIT),
    ]);
    const pending = await this.extensionRequests.pendingFor(items.flatMap((item) => item.assignmentId ?? []));
    return {
      items: items.map((item) => {
        const task = { status: item.taskStatus, leadUnitIds: item.leadUnitIds };
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
                },
                task,
              )
            : [];
        return { ...item, allowedActions, taskActions: taskActions(actor, task) };
      }),
      calls: calls.map((call) => callItem(user, call)),
    };
  }
}
