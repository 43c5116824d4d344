import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  AcknowledgeRequest,
  AddedAssignmentResponse,
  ApproveRequest,
  AssignmentDetailResponse,
  AssignmentViewResponse,
  ProgressRequest,
  ReassignRequest,
  ReturnRequest,
  SubmitRequest,
  WithdrawRequest,
} from './assignments.dto';
import { AssignmentsService } from './assignments.service';
import { SetHandlerRequest } from '../people/people.dto';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('assignments')
export class AssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Get(':id')
  @ApiOkResponse({ type: AssignmentDetailResponse })
  @ApiOperation({ summary: 'An assignment with its task.' })
  get(@Param('id') id: string, @CurrentUser() user: User): Promise<AssignmentDetailResponse> {
    return this.assignments.detail(id, user);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOkResponse({ type: AssignmentViewResponse })
  @ApiOperation({ summary: '签收: staff or head of the assigned unit.' })
  acknowledge(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: AcknowledgeRequest,
  ): Promise<AssignmentViewResponse> {
    return this.assignments.acknowledge(id, user, body);
  }

  @Post(':id/progress')
  @HttpCode(200)
  @ApiOkResponse({ type: AssignmentViewResponse })
  @ApiOperation({ summary: 'Progress report: staff or head of the assigned unit.' })
  progress(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ProgressRequest,
  ): Promise<AssignmentViewResponse> {
    return this.assignments.progress(id, user, body);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOkResponse({ type: AssignmentViewResponse })
  @ApiOperation({ summary: 'Submit the completion report: staff or head of the assigned unit.' })
  submit(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: SubmitRequest,
  ): Promise<AssignmentViewResponse> {
    return this.assignments.submit(id, user, body);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: AssignmentViewResponse })
  @ApiOperation({
    summary: '撤回: staff or head of the assigned unit take a submitted report back before review (→ in progress).',
  })
  withdraw(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: WithdrawRequest,
  ): Promise<AssignmentViewResponse> {
    return this.assignments.withdraw(id, user, body);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOkResponse({ type: AssignmentViewResponse })
  @ApiOperation({ summary: 'Approve a submitted report: head of a lead unit of the task.' })
  approve(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ApproveRequest,
  ): Promise<AssignmentViewResponse> {
    return this.assignments.approve(id, user, body);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOkResponse({ type: AssignmentViewResponse })
  @ApiOperation({ summary: '退回 a submitted report with a reason: head of a lead unit of the task.' })
  sendBack(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ReturnRequest,
  ): Promise<AssignmentViewResponse> {
    return this.assignments.sendBack(id, user, body);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: AddedAssignmentResponse })
  @ApiOperation({ summary: '转办: the supervision office moves a responsible unit’s work to another unit.' })
  reassign(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ReassignRequest,
  ): Promise<AddedAssignmentResponse> {
    return this.assignments.reassign(id, user, body.toUnitId, body.reason);
  }

  @Post(':id/handler')
  @HttpCode(200)
  @ApiOkResponse({ type: AssignmentDetailResponse })
  @ApiOperation({
    summary:
      "承办人: the assigned unit's head (any time) or staff (while none is named, or their own) names a colleague of the unit.",
  })
  setHandler(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: SetHandlerRequest,
  ): Promise<AssignmentDetailResponse> {
    return this.assignments.setHandler(id, user, body.userId);
  }
}
