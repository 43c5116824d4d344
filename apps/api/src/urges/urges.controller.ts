import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { UrgeRequest, UrgeResponse } from './urges.dto';
import { UrgesService } from './urges.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('urges')
export class UrgesController {
  constructor(private readonly urges: UrgesService) {}

  @Post()
  // The role gate only; which assignments each may urge is decideUrge's (a lead head: its task's other units).
  @Roles(Role.Supervisor, Role.Head)
  @ApiCreatedResponse({ type: UrgeResponse })
  @ApiOperation({
    summary:
      '催办 one or many units’ work with a text: each unit gets a notification (delivered like any other) and each item an audit event; all or nothing.',
  })
  urge(@CurrentUser() user: User, @Body() body: UrgeRequest): Promise<UrgeResponse> {
    return this.urges.urge(user, body);
  }
}
