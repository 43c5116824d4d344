import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AssignmentStatus, DeadlineChangeSource, DomainError, ErrorCode, Role, User } from '@county/domain';
import { ExtensionRequestRecord, ExtensionRequestRepository, ExtensionRequestView } from '@county/persistence';
import { deadlineChangedSignal } from '@county/workflows';
import { AssignmentsService } from '../assignments/assignments.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { DeadlineField, TextField } from '../common/text-field';
import { EnumQuery } from '../common/query-params';
import { WorkflowGateway } from '../workflows/workflow-gateway';

export class ExtensionRequestBody {
  @DeadlineField({ example: '2027-07-31T23:59:59+08:00' }) requestedDueAt!: string;
  @TextField('reason', { example: '需等待上级文件下发' }) reason!: string;
}

export class DecisionBody {
  @TextField('note', { optional: true }) comment?: string;
}

const EXTENSION_REQUEST_STATUSES: ReadonlyArray<ExtensionRequestRecord['status']> = [
  'pending',
  'approved',
  'rejected',
  'closed',
];

export class ExtensionRequestQuery {
  @EnumQuery(EXTENSION_REQUEST_STATUSES, { default: 'pending' }) status?: ExtensionRequestRecord['status'];
}

/** Nothing more is expected of a unit whose work is approved, cancelled or moved to another unit (转办). */
const ENDED = [AssignmentStatus.Approved, AssignmentStatus.Cancelled, AssignmentStatus.Reassigned] as string[];

/**
 * Extensions (DESIGN §4.5): the assigned unit asks before its deadline, the supervision office decides.
 * Only an approved request moves the unit's deadline; until then it is measured against the original.
 */
@ApiTags('assignments')
@ApiBearerAuth()
@Controller()
export class ExtensionsController {
  constructor(
    private readonly requests: ExtensionRequestRepository,
    private readonly assignments: AssignmentsService,
    private readonly workflows: WorkflowGateway,
  ) {}

  @Post('assignments/:id/extension-requests')
  @ApiOperation({
    summary: 'Ask for a later deadline, before the current one passes: staff or head of the assigned unit.',
  })
  async request(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ExtensionRequestBody,
  ): Promise<ExtensionRequestRecord> {
    const { assignment, task } = await this.assignments.get(id);
    if (assignment.unitId !== user.unitId || !(user.roles.includes(Role.Staff) || user.roles.includes(Role.Head))) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'Only staff or the head of the assigned unit may ask for an extension.',
      );
    }
    if (ENDED.includes(assignment.status))
      throw new DomainError(ErrorCode.Conflict, `The assignment is ${assignment.status}.`);
    const requestedDueAt = new Date(body.requestedDueAt);
    if (assignment.dueAt && Date.parse(assignment.dueAt) < Date.now()) {
      throw new DomainError(ErrorCode.Conflict, 'The deadline has passed: an extension must be asked for before it.');
    }
    if (
      (assignment.dueAt && requestedDueAt.getTime() <= Date.parse(assignment.dueAt)) ||
      requestedDueAt.getTime() <= Date.now()
    ) {
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'requestedDueAt must be later than the current deadline and in the future.',
      );
    }
    const created = await this.requests.create(
      { assignmentId: id, requestedDueAt, reason: body.reason, requestedBy: user.id },
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
        recipientRole: 'supervisor',
        kind: 'extension-requested',
        subjectType: 'assignment',
        subjectId: id,
        title: '有单位申请延期，待审批',
        body: `任务「${task.title}」：${body.reason}`,
      },
    );
    if (!created)
      throw new DomainError(
        ErrorCode.Conflict,
        'This assignment already has an extension request waiting for a decision.',
      );
    return created;
  }

  @Get('extension-requests')
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: 'Extension requests in one status (default pending), oldest first, with unit and task.' })
  async list(@Query() query: ExtensionRequestQuery): Promise<{ items: ExtensionRequestView[] }> {
    return { items: await this.requests.list(query.status ?? 'pending', 500) };
  }

  @Post('extension-requests/:id/approve')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: "Approve: the unit's deadline moves to the requested date (its clock re-arms)." })
  approve(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: DecisionBody,
  ): Promise<ExtensionRequestRecord> {
    return this.decide(id, user, 'approved', body.comment ?? null);
  }

  @Post('extension-requests/:id/reject')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: 'Reject: the unit stays measured against its current deadline.' })
  reject(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: DecisionBody,
  ): Promise<ExtensionRequestRecord> {
    return this.decide(id, user, 'rejected', body.comment ?? null);
  }

  private async decide(
    id: string,
    user: User,
    status: 'approved' | 'rejected',
    comment: string | null,
  ): Promise<ExtensionRequestRecord> {
    const request = await this.requests.find(id);
    if (!request) throw new DomainError(ErrorCode.NotFound, `No extension request ${id}.`);
    if (request.status !== 'pending')
      throw new DomainError(ErrorCode.Conflict, `The request was already ${request.status}.`);
    const { assignment } = await this.assignments.get(request.assignmentId);
    if (status === 'approved') {
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
        title: status === 'approved' ? '延期申请已批准' : '延期申请未获批准',
        body: comment ?? '',
      },
    );
    if (!decided) throw new DomainError(ErrorCode.Conflict, 'The request was decided meanwhile.');
    return (await this.requests.find(id))!;
  }
}
