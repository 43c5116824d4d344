import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { CallInboxItem, CallRepository, InboxItem, TaskRepository } from '@county/persistence';
import { CurrentUser } from '../auth/current-user.decorator';

const INBOX_LIMIT = 500;

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly calls: CallRepository,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "What waits for the user's unit and role (待办), most urgent first: task work in items, 乡呼县应 calls in calls.",
  })
  async inbox(@CurrentUser() user: User): Promise<{ items: InboxItem[]; calls: CallInboxItem[] }> {
    const [items, calls] = await Promise.all([
      this.tasks.inbox(user.unitId, user.roles, INBOX_LIMIT),
      this.calls.inbox(user.unitId, user.roles, INBOX_LIMIT),
    ]);
    return { items, calls };
  }
}
