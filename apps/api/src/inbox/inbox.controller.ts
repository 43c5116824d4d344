import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { InboxService } from './inbox.service';
import { InboxQuery, InboxResponse } from './inbox.dto';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOkResponse({ type: InboxResponse })
  @ApiOperation({
    summary:
      "What waits for the user's unit and role (待办), most urgent first: task work in items, 乡呼县应 calls in calls; both page together (nextCursor).",
  })
  get(@CurrentUser() user: User, @Query() query: InboxQuery): Promise<InboxResponse> {
    return this.inbox.inbox(user, query);
  }
}
