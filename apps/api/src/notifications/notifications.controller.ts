import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, unitsActedFor, User } from '@county/domain';
import { NOTIFICATION_KEY, NotificationReader, NotificationRepository } from '@county/persistence';
import { pageOf, pageRequest } from '../common/pagination';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  MarkAllReadResponse,
  NotificationListResponse,
  NotificationQuery,
  UnreadCountResponse,
} from './notifications.dto';

/** The reader is always the token's user: read state is per user, visibility per unit and role. */
function readerOf(user: User): NotificationReader {
  return { userId: user.id, unitIds: unitsActedFor(user), roles: user.roles };
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiOkResponse({ type: NotificationListResponse })
  @ApiOperation({
    summary:
      "The user's notifications (those for their unit, and those for their roles in it), newest first, with the user's own read state.",
  })
  async list(@CurrentUser() user: User, @Query() query: NotificationQuery): Promise<NotificationListResponse> {
    const reader = readerOf(user);
    const [page, unreadCount] = await Promise.all([
      this.notifications.listFor(
        reader,
        { unreadOnly: query.unread ?? false, kind: query.kind },
        pageRequest(query, NOTIFICATION_KEY.length),
      ),
      this.notifications.unreadCount(reader),
    ]);
    return { ...pageOf(page), unreadCount };
  }

  @Get('unread-count')
  @ApiOkResponse({ type: UnreadCountResponse })
  @ApiOperation({ summary: 'How many of your notifications you have not read (the console’s badge).' })
  async unreadCount(@CurrentUser() user: User): Promise<UnreadCountResponse> {
    return { unreadCount: await this.notifications.unreadCount(readerOf(user)) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkAllReadResponse })
  @ApiOperation({ summary: 'Mark all your notifications read for you only (colleagues keep their own state).' })
  async markAllRead(@CurrentUser() user: User): Promise<MarkAllReadResponse> {
    return { marked: await this.notifications.markAllRead(readerOf(user)) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one of your notifications read, for you only (colleagues keep their own state).' })
  async markRead(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    // A notification the user cannot see answers exactly like a missing one: its existence is not disclosed.
    if (!(await this.notifications.markRead(id, readerOf(user))))
      throw new DomainError(ErrorCode.NotFound, `没有编号为 ${id} 的通知。`);
  }
}
