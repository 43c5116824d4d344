import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';

import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { AssignmentRecord, AuditEvent, DomainError, ErrorCode, Role, TaskRecord, User } from '@county/domain';
import { AuditRepository, EscalationRecord, EscalationRepository, TaskRepository } from '@county/persistence';
import {
  AddedAssignment,
  addUnitUpdate,
  cancelTaskUpdate,
  changeDeadlineUpdate,
  closeTaskUpdate,
  consolidateUpdate,
  returnTaskUpdate,
  TaskStatus,
  TaskView,
} from '@county/workflows';
import { actorOf, AssignmentsService } from '../assignments/assignments.service';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { DeadlineField, TextField } from '../common/text-field';
import { EnumQuery, IntegerQuery } from '../common/query-params';
import { WorkflowGateway } from '../workflows/workflow-gateway';

const MAX_PAGE = 500;

/** 'open' is a stored task's status until its workflow has started (the column's default); then the workflow's. */
const TASK_STATUSES: readonly string[] = ['open', ...Object.values(TaskStatus)];
const LIGHTS = ['green', 'yellow', 'red'] as const;

export class TaskQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
  @EnumQuery(TASK_STATUSES) status?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) unitId?: string;
  @EnumQuery(LIGHTS) light?: string;
  @IntegerQuery({ default: 200, minimum: 1, maximum: MAX_PAGE }) limit?: number;
}

export class ConsolidateRequest {
  @TextField('report') summary!: string;
}
export class CommentRequest {
  @TextField('note', { optional: true }) comment?: string;
}
export class ReturnTaskRequest {
  @TextField('reason') comment!: string;
}
export class ChangeDeadlineRequest {
  @DeadlineField() dueAt!: string;
  @TextField('reason', { example: '因工作调整延期' }) reason!: string;
}
export class AddUnitRequest {
  @TextField('unitId', { example: 'market' }) unitId!: string;
  @TextField('reason', { example: '涉及市场监管职能，增加责任单位' }) reason!: string;
}
export class CancelTaskRequest {
  @TextField('reason') reason!: string;
}

type TaskDetail = TaskRecord & {
  assignments: AssignmentRecord[];
  timeline: AuditEvent[];
  /** Every escalation of the task's assignments, handled or not, highest level first. */
  escalations: EscalationRecord[];
};

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly audit: AuditRepository,
    private readonly escalations: EscalationRepository,
    private readonly workflows: WorkflowGateway,
    private readonly assignments: AssignmentsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Tasks, filtered by plan, status, light or a unit taking part.' })
  async list(@Query() query: TaskQuery): Promise<{ items: TaskRecord[]; total: number }> {
    const items = await this.tasks.list({ ...query, limit: query.limit ?? 200 });
    return { items, total: items.length };
  }

  @Get(':id')
  @ApiOperation({
    summary: "A task with its assignments, its timeline (its own and its assignments' audit events) and escalations.",
  })
  async get(@Param('id') id: string): Promise<TaskDetail> {
    const task = await this.find(id);
    const [timeline, escalations] = await Promise.all([
      // The task's own events and its units' work (签收, 进展, 提交, 审核) form one timeline.
      this.audit.list({ subjectIds: [id, ...task.assignments.map((assignment) => assignment.id)], limit: 1000 }),
      this.escalations.list({ openOnly: false, minLevel: 1, limit: 200, taskId: id }),
    ]);
    return { ...task, timeline, escalations };
  }

  @Post(':id/consolidate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The lead unit head submits the consolidated report once every responsible unit is approved.',
  })
  async consolidate(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ConsolidateRequest,
  ): Promise<TaskView> {
    const task = await this.find(id);
    if (!user.roles.includes(Role.Head) || !task.leadUnitIds.includes(user.unitId)) {
      throw new DomainError(ErrorCode.Forbidden, 'Only a head of a lead unit of this task may consolidate it.');
    }
    return this.workflows.updateTask(task.planId, task.no, consolidateUpdate, {
      actor: actorOf(user),
      summary: body.summary,
    });
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: '销号: the supervision office verifies and closes the task.' })
  async close(@Param('id') id: string, @CurrentUser() user: User, @Body() body: CommentRequest): Promise<TaskView> {
    const task = await this.find(id);
    return this.workflows.updateTask(task.planId, task.no, closeTaskUpdate, {
      actor: actorOf(user),
      comment: body.comment,
    });
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: 'The supervision office returns the consolidated report to the lead unit.' })
  async sendBack(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ReturnTaskRequest,
  ): Promise<TaskView> {
    const task = await this.find(id);
    return this.workflows.updateTask(task.planId, task.no, returnTaskUpdate, {
      actor: actorOf(user),
      comment: body.comment,
    });
  }

  @Post(':id/deadline')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: 'Change the deadline, with a reason; the original stays on record and reminders re-arm.' })
  async changeDeadline(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ChangeDeadlineRequest,
  ): Promise<TaskView> {
    const task = await this.find(id);
    return this.workflows.updateTask(task.planId, task.no, changeDeadlineUpdate, {
      actor: actorOf(user),
      dueAt: new Date(body.dueAt).toISOString(),
      reason: body.reason,
    });
  }

  @Post(':id/units')
  @HttpCode(200)
  @ApiOperation({ summary: '加签: a head of a lead unit or the supervision office adds a responsible unit.' })
  async addUnit(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: AddUnitRequest,
  ): Promise<AddedAssignment> {
    const task = await this.find(id);
    const leadHead = user.roles.includes(Role.Head) && task.leadUnitIds.includes(user.unitId);
    if (!leadHead && !user.roles.includes(Role.Supervisor)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'Only a head of a lead unit or the supervision office may add a unit.',
      );
    }
    await this.assignments.requireNewParticipant(task, body.unitId);
    return this.workflows.updateTask(task.planId, task.no, addUnitUpdate, {
      actor: actorOf(user),
      unitId: body.unitId,
      reason: body.reason,
    });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOperation({ summary: 'Cancel the task and all its assignments.' })
  async cancel(@Param('id') id: string, @CurrentUser() user: User, @Body() body: CancelTaskRequest): Promise<TaskView> {
    const task = await this.find(id);
    return this.workflows.updateTask(task.planId, task.no, cancelTaskUpdate, {
      actor: actorOf(user),
      reason: body.reason,
    });
  }

  private async find(id: string) {
    const task = await this.tasks.findWithAssignments(id);
    if (!task) throw new DomainError(ErrorCode.NotFound, `No task ${id}.`);
    return task;
  }
}
