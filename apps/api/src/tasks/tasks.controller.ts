import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  AddUnitRequest,
  CancelTaskRequest,
  ChangeDeadlineRequest,
  CommentRequest,
  ConsolidateRequest,
  EditTaskRequest,
  RemovedAssignmentResponse,
  RemoveUnitRequest,
  ReturnTaskRequest,
  TaskDetailResponse,
  TaskListResponse,
  TaskQuery,
  TaskViewResponse,
} from './tasks.dto';
import { TasksService } from './tasks.service';
import { AddedAssignmentResponse } from '../assignments/assignments.dto';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOkResponse({ type: TaskListResponse })
  @ApiOperation({ summary: 'Tasks, filtered by plan, status, light or a unit taking part.' })
  list(@CurrentUser() user: User, @Query() query: TaskQuery): Promise<TaskListResponse> {
    return this.tasks.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskDetailResponse })
  @ApiOperation({
    summary: "A task with its assignments, its timeline (its own and its assignments' audit events) and escalations.",
  })
  get(@Param('id') id: string, @CurrentUser() user: User): Promise<TaskDetailResponse> {
    return this.tasks.get(id, user);
  }

  @Patch(':id')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: TaskDetailResponse })
  @ApiOperation({
    summary:
      'Correct the title, measures, goals or lead units (supervision office) while the task is not closed or cancelled; the timeline keeps the old values.',
  })
  edit(@Param('id') id: string, @CurrentUser() user: User, @Body() body: EditTaskRequest): Promise<TaskDetailResponse> {
    return this.tasks.edit(id, user, body);
  }

  @Post(':id/consolidate')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskViewResponse })
  @ApiOperation({
    summary: 'The lead unit head submits the consolidated report once every responsible unit is approved.',
  })
  consolidate(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ConsolidateRequest,
  ): Promise<TaskViewResponse> {
    return this.tasks.consolidate(id, user, body);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: TaskViewResponse })
  @ApiOperation({ summary: '销号: the supervision office verifies and closes the task.' })
  close(@Param('id') id: string, @CurrentUser() user: User, @Body() body: CommentRequest): Promise<TaskViewResponse> {
    return this.tasks.close(id, user, body);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: TaskViewResponse })
  @ApiOperation({ summary: 'The supervision office returns the consolidated report to the lead unit.' })
  sendBack(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ReturnTaskRequest,
  ): Promise<TaskViewResponse> {
    return this.tasks.sendBack(id, user, body);
  }

  @Post(':id/deadline')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: TaskViewResponse })
  @ApiOperation({ summary: 'Change the deadline, with a reason; the original stays on record and reminders re-arm.' })
  changeDeadline(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ChangeDeadlineRequest,
  ): Promise<TaskViewResponse> {
    return this.tasks.changeDeadline(id, user, body);
  }

  @Post(':id/units')
  @HttpCode(200)
  @ApiOkResponse({ type: AddedAssignmentResponse })
  @ApiOperation({ summary: '加签: a head of a lead unit or the supervision office adds a responsible unit.' })
  addUnit(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: AddUnitRequest,
  ): Promise<AddedAssignmentResponse> {
    return this.tasks.addUnit(id, user, body);
  }

  @Post(':id/units/:unitId/remove')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: RemovedAssignmentResponse })
  @ApiOperation({
    summary:
      "减签: the supervision office takes a responsible unit off a task in progress, with a reason (not a lead unit's part, not the last responsible unit).",
  })
  removeUnit(
    @Param('id') id: string,
    @Param('unitId') unitId: string,
    @CurrentUser() user: User,
    @Body() body: RemoveUnitRequest,
  ): Promise<RemovedAssignmentResponse> {
    return this.tasks.removeUnit(id, user, unitId, body);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: TaskViewResponse })
  @ApiOperation({ summary: 'Cancel the task and all its assignments.' })
  cancel(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: CancelTaskRequest,
  ): Promise<TaskViewResponse> {
    return this.tasks.cancel(id, user, body);
  }
}
