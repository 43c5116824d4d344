import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, unitsActedFor, User } from '@county/domain';
import { NotificationRepository } from '@county/persistence';
import { CurrentUser } from '../auth/current-user.decorator';
import { NotificationListResponse, NotificationQuery } from './notifications.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiOkResponse({ type: NotificationListResponse })
  @ApiOperation({
    summary: "The user's unit's notifications (those for the unit, and those for the user's roles in it).",
  })
  async list(@CurrentUser() user: User, @Query() query: NotificationQuery): Promise<NotificationListResponse> {
    return {
      items: await this.notifications.listFor(unitsActedFor(user), user.roles, {
        unreadOnly: query.unread ?? false,
        limit: query.limit ?? 50,
      }),
    };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one of your unit’s notifications read.' })
  async markRead(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    // Another unit's notification answers exactly like a missing one: its existence is not disclosed.
    if (!(await this.notifications.markRead(id, unitsActedFor(user), user.roles)))
      throw new DomainError(ErrorCode.NotFound, `No notification ${id}.`);
  }
}
