import { AttachmentRefResponse } from '../attachments/attachments.dto';
import { AttachmentsService, refView } from '../attachments/attachments.service';
import { Injectable } from '@nestjs/common';
import {
  AssignmentAction,
  checkRequestedDueAt,
  DeadlineChangeSource,
  decideExtensionDecision,
  decideExtensionRequest,
  decideUnitWorkOnTask,
  DomainError,
  ErrorCode,
  ExtensionAction,
  extensionActions,
  ExtensionRequestStatus,
  Role,
  User,
} from '@county/domain';
import {
  EXTENSION_REQUEST_KEY,
  ExtensionRequestRecord,
  ExtensionRequestRepository,
  ExtensionRequestView,
} from '@county/persistence';
import { pageOf, pageRequest } from '../common/pagination';
import { deadlineChangedSignal } from '@county/workflows';
import { actorOf, AssignmentsService, requireAllowed } from '../assignments/assignments.service';
import { WorkflowGateway } from '../temporal/workflow-gateway';
import { DecisionBody, ExtensionRequestBody, ExtensionRequestQuery } from './extensions.dto';

/** A request as the API answers it: what the user may do to it, and its files as the console opens them. */
type Answered<T> = Omit<T, 'attachments'> & { allowedActions: ExtensionAction[]; attachments: AttachmentRefResponse[] };
export type ExtensionRequestItem = Answered<ExtensionRequestRecord>;
export type ExtensionRequestViewItem = Answered<ExtensionRequestView>;

function withActions<T extends ExtensionRequestRecord>(user: User, request: T): Answered<T> {
  return {
    ...request,
    attachments: request.attachments.map(refView),
    allowedActions: extensionActions(actorOf(user), request),
  };
}

/**
 * Extensions (DESIGN §4.5): the assigned unit asks before its deadline, the supervision office decides.
 * Only an approved request moves the unit's deadline; until then it is measured against the original.
 */
@Injectable()
export class ExtensionsService {
  constructor(
    private readonly requests: ExtensionRequestRepository,
    private readonly assignments: AssignmentsService,
    private readonly workflows: WorkflowGateway,
    private readonly files: AttachmentsService,
  ) {}

  async request(id: string, user: User, body: ExtensionRequestBody): Promise<ExtensionRequestItem> {
    const { assignment, task } = await this.assignments.get(id);
    const now = new Date();
    const extensionPending = (await this.requests.pendingFor([id])).has(id);
    requireAllowed(decideExtensionRequest(actorOf(user), { ...assignment, extensionPending }, now));
    // A lead unit's own row has no deadline left to extend once every responsible unit is approved.
    requireAllowed(decideUnitWorkOnTask(AssignmentAction.RequestExtension, task));
    requireAllowed(checkRequestedDueAt(new Date(body.requestedDueAt), assignment.dueAt, now));
    const attachments = await this.files.references(actorOf(user), body.attachmentIds);
    const created = await this.requests.create(
      {
        assignmentId: id,
        requestedDueAt: new Date(body.requestedDueAt),
        reason: body.reason,
        requestedBy: user.id,
        attachments,
      },
      {
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: 'assignment.extension-requested',
        subjectType: 'assignment',
        subjectId: id,
        workflowId: null,
      },
      {
        recipientUnitId: 'supervision',
        recipientRole: Role.Supervisor,
        kind: 'extension-requested',
        subjectType: 'assignment',
        subjectId: id,
        title: '有单位申请延期，待审批',
        body: `任务「${task.title}」：${body.reason}`,
      },
    );
    // Two requests at once: the partial unique index lets one in.
    if (!created) throw new DomainError(ErrorCode.Conflict, '该任务已有一项延期申请等待督查室决定。');
    return withActions(user, created);
  }

  async list(
    user: User,
    query: ExtensionRequestQuery,
  ): Promise<{ items: ExtensionRequestViewItem[]; nextCursor: string | null }> {
    const status = query.status ?? ExtensionRequestStatus.Pending;
    const page = await this.requests.list(status, pageRequest(query, EXTENSION_REQUEST_KEY.length));
    return pageOf(page, (item) => withActions(user, item));
  }

  approve(id: string, user: User, body: DecisionBody): Promise<ExtensionRequestItem> {
    return this.decide(id, user, ExtensionRequestStatus.Approved, body.comment ?? null);
  }

  reject(id: string, user: User, body: DecisionBody): Promise<ExtensionRequestItem> {
    return this.decide(id, user, ExtensionRequestStatus.Rejected, body.comment ?? null);
  }

  private async decide(
    id: string,
    user: User,
    status: ExtensionRequestStatus.Approved | ExtensionRequestStatus.Rejected,
    comment: string | null,
  ): Promise<ExtensionRequestItem> {
    const request = await this.requests.find(id);
    if (!request) throw new DomainError(ErrorCode.NotFound, `没有这项延期申请（${id}）。`);
    const { assignment } = await this.assignments.get(request.assignmentId);
    requireAllowed(decideExtensionDecision(actorOf(user), request, assignment));
    if (status === ExtensionRequestStatus.Approved) {
      // The workflow owns the deadline: it re-arms its reminders and escalations for the new date.
      await this.workflows.signalAssignment(request.assignmentId, deadlineChangedSignal, {
        dueAt: request.requestedDueAt,
        reason: `延期申请已批准：${request.reason}`,
        source: DeadlineChangeSource.ExtensionRequest,
      });
    }
    const decided = await this.requests.decide(
      id,
      { status, decidedBy: user.id, comment },
      {
        actorUserId: user.id,
        actorUnitId: user.unitId,
        action: `assignment.extension-${status}`,
        subjectType: 'assignment',
        subjectId: request.assignmentId,
        workflowId: null,
        payload: { extensionRequestId: id, requestedDueAt: request.requestedDueAt, comment },
      },
      {
        recipientUnitId: assignment.unitId,
        recipientRole: null,
        kind: `extension-${status}`,
        subjectType: 'assignment',
        subjectId: request.assignmentId,
        title: status === ExtensionRequestStatus.Approved ? '延期申请已批准' : '延期申请未获批准',
        body: comment ?? '',
      },
    );
    if (!decided) throw new DomainError(ErrorCode.Conflict, '这项延期申请刚刚已由他人作出决定。');
    return withActions(user, (await this.requests.find(id))!);
  }
}
