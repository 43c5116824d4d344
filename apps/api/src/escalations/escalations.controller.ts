import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  BatchHandleEscalationRequest,
  BatchHandleEscalationResponse,
  EscalationListResponse,
  EscalationReadResponse,
  EscalationQuery,
  EscalationResponse,
  HandleEscalationRequest,
} from './escalations.dto';
import { EscalationsService } from './escalations.service';

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get()
  @Roles(Role.Supervisor, Role.Leader)
  @ApiOkResponse({ type: EscalationListResponse })
  @ApiOperation({
    summary:
      'The escalation queue: one item per assignment or call at its current level, highest level first, then the longest waiting. Leaders see level 3 (挂牌督办) only.',
  })
  list(@CurrentUser() user: User, @Query() query: EscalationQuery): Promise<EscalationListResponse> {
    return this.escalations.list(user, query);
  }

  @Post('handle')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: BatchHandleEscalationResponse })
  @ApiOperation({
    summary:
      'Handle several items alike (批量催办, 挂牌督办, or one new deadline): each is decided on its own and the answer gives a result per item.',
  })
  handleMany(
    @CurrentUser() user: User,
    @Body() body: BatchHandleEscalationRequest,
  ): Promise<BatchHandleEscalationResponse> {
    return this.escalations.handleMany(user, body);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles(Role.Leader)
  @ApiOkResponse({ type: EscalationReadResponse })
  @ApiOperation({ summary: "A county leader's 已阅 of a 挂牌督办 (level-3) item: stored per leader, audited once." })
  markRead(@Param('id') id: string, @CurrentUser() user: User): Promise<EscalationReadResponse> {
    return this.escalations.markRead(id, user);
  }

  @Post(':id/handle')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: EscalationResponse })
  @ApiOperation({
    summary:
      'Handle an escalation: remind the unit, extend the deadline, reassign the work (转办), or flag it (挂牌督办).',
  })
  handle(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: HandleEscalationRequest,
  ): Promise<EscalationResponse> {
    return this.escalations.handle(id, user, body);
  }
}
