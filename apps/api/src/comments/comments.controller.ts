import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommentSubjectType, Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/pagination';
import { CommentListResponse, CommentResponse, NewCommentRequest, NewInstructionRequest } from './comments.dto';
import { CommentsService } from './comments.service';

const READ =
  'The thread: its latest comments, oldest first; nextCursor opens the earlier ones. Its units’ staff and heads, the supervision office and the leaders only.';
const WRITE =
  'Write in the thread (append-only). Each unit named in mentionedUnitIds must take part in it and is notified.';

/** Threads on tasks, assignments and calls, and the leaders' 批示 on tasks and escalations. */
@ApiTags('comments')
@ApiBearerAuth()
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get('tasks/:id/comments')
  @ApiOkResponse({ type: CommentListResponse })
  @ApiOperation({ summary: `${READ} A task’s thread: its lead units and the units doing their part.` })
  taskThread(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Query() query: PageQuery,
  ): Promise<CommentListResponse> {
    return this.comments.list(user, CommentSubjectType.Task, id, query);
  }

  @Post('tasks/:id/comments')
  @ApiCreatedResponse({ type: CommentResponse })
  @ApiOperation({ summary: WRITE })
  commentOnTask(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: NewCommentRequest,
  ): Promise<CommentResponse> {
    return this.comments.write(user, CommentSubjectType.Task, id, body);
  }

  @Get('assignments/:id/comments')
  @ApiOkResponse({ type: CommentListResponse })
  @ApiOperation({ summary: `${READ} An assignment’s thread: its unit and the task’s lead units.` })
  assignmentThread(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Query() query: PageQuery,
  ): Promise<CommentListResponse> {
    return this.comments.list(user, CommentSubjectType.Assignment, id, query);
  }

  @Post('assignments/:id/comments')
  @ApiCreatedResponse({ type: CommentResponse })
  @ApiOperation({ summary: WRITE })
  commentOnAssignment(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: NewCommentRequest,
  ): Promise<CommentResponse> {
    return this.comments.write(user, CommentSubjectType.Assignment, id, body);
  }

  @Get('calls/:id/comments')
  @ApiOkResponse({ type: CommentListResponse })
  @ApiOperation({ summary: `${READ} A call’s thread: the calling township and the county unit it is with.` })
  callThread(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Query() query: PageQuery,
  ): Promise<CommentListResponse> {
    return this.comments.list(user, CommentSubjectType.Call, id, query);
  }

  @Post('calls/:id/comments')
  @ApiCreatedResponse({ type: CommentResponse })
  @ApiOperation({ summary: WRITE })
  commentOnCall(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: NewCommentRequest,
  ): Promise<CommentResponse> {
    return this.comments.write(user, CommentSubjectType.Call, id, body);
  }

  @Post('tasks/:id/instructions')
  // The role gate only; decideInstruction is the rule.
  @Roles(Role.Leader)
  @ApiCreatedResponse({ type: CommentResponse })
  @ApiOperation({
    summary: '领导批示 on a task (leaders only): pinned on the task (GET /tasks/:id) and notified to every unit of it.',
  })
  instructOnTask(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: NewInstructionRequest,
  ): Promise<CommentResponse> {
    return this.comments.instructOnTask(user, id, body);
  }

  @Post('escalations/:id/instructions')
  @Roles(Role.Leader)
  @ApiCreatedResponse({ type: CommentResponse })
  @ApiOperation({
    summary:
      '领导批示 on an escalation (leaders only): pinned on it and on its task, notified to the task’s units (a call’s: its two units), and carried by its 挂牌督办.',
  })
  instructOnEscalation(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: NewInstructionRequest,
  ): Promise<CommentResponse> {
    return this.comments.instructOnEscalation(user, id, body);
  }
}
