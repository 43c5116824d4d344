import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { UnitRepository, UserRepository } from '@county/persistence';
import { Req } from '@nestjs/common';
import { AuthenticatedRequest, CurrentUser } from '../auth/current-user.decorator';
import { AllowedWithOneTimePassword } from '../auth/public.decorator';
import { toUserResponse } from '../auth/auth.dto';
import { MeResponse } from '../people/people.dto';
import { PeopleService } from '../people/people.service';
import { NotificationSettingsRequest, NotificationSettingsResponse, toNotificationSettings } from '../users/users.dto';
import { UsersService } from '../users/users.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly units: UnitRepository,
    private readonly people: PeopleService,
    private readonly users: UserRepository,
    private readonly accounts: UsersService,
  ) {}

  @Get()
  @AllowedWithOneTimePassword()
  @ApiOkResponse({ type: MeResponse })
  @ApiOperation({ summary: 'The signed-in user with their unit, roles and running or coming delegations (委派).' })
  async me(@CurrentUser() user: User, @Req() request: AuthenticatedRequest): Promise<MeResponse> {
    const unit = await this.units.findById(user.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${user.unitId}`);
    return {
      ...toUserResponse(user, unit, request.mustChangePassword ?? false),
      delegations: await this.people.delegationsOf(user),
    };
  }

  @Get('notification-settings')
  @ApiOkResponse({ type: NotificationSettingsResponse })
  @ApiOperation({ summary: 'Where you are reached outside the app (e-mail, phone) and which categories are pushed.' })
  async notificationSettings(@CurrentUser() user: User): Promise<NotificationSettingsResponse> {
    const account = await this.users.findAccount(user.id);
    if (!account) throw new Error(`user ${user.id} has no account`);
    return toNotificationSettings(account);
  }

  @Put('notification-settings')
  @ApiOkResponse({ type: NotificationSettingsResponse })
  @ApiOperation({
    summary: 'Change your e-mail, phone and the categories pushed to you (omitted fields stay; categories null: all).',
  })
  async updateNotificationSettings(
    @CurrentUser() user: User,
    @Body() body: NotificationSettingsRequest,
  ): Promise<NotificationSettingsResponse> {
    return toNotificationSettings(await this.accounts.updateNotificationSettings(user, body));
  }
}
