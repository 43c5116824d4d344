import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  EscalationListResponse,
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
  @ApiOperation({ summary: 'The escalation queue, highest level first. Leaders see level 3 (挂牌督办) only.' })
  list(@CurrentUser() user: User, @Query() query: EscalationQuery): Promise<EscalationListResponse> {
    return this.escalations.list(user, query);
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
