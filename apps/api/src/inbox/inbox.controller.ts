import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { InboxItem, TaskRepository } from '@county/persistence';
import { CurrentUser } from '../auth/current-user.decorator';

const INBOX_LIMIT = 500;

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(private readonly tasks: TaskRepository) {}

  @Get()
  @ApiOperation({ summary: "What waits for the user's unit and role (待办), most urgent first." })
  async inbox(@CurrentUser() user: User): Promise<{ items: InboxItem[] }> {
    return { items: await this.tasks.inbox(user.unitId, user.roles, INBOX_LIMIT) };
  }
}
