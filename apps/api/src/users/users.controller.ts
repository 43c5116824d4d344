import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  CreateUserRequest,
  UpdateUserRequest,
  UserAccountResponse,
  UserListResponse,
  UserQuery,
  UserWithPasswordResponse,
} from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
@Roles(Role.Admin)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserListResponse })
  @ApiOperation({ summary: '用户管理: users by username, filtered by unit, role or text; paged (limit, offset).' })
  list(@Query() query: UserQuery, @CurrentUser() actor: User): Promise<UserListResponse> {
    return this.users.list(query, actor);
  }

  @Get(':id')
  @ApiOkResponse({ type: UserAccountResponse })
  @ApiOperation({ summary: 'One user.' })
  get(@Param('id') id: string, @CurrentUser() actor: User): Promise<UserAccountResponse> {
    return this.users.get(id, actor);
  }

  @Post()
  @ApiCreatedResponse({ type: UserWithPasswordResponse })
  @ApiOperation({
    summary:
      'Create a user; answers a one-time password, shown once, which must be changed at the first login. Duplicate username → 409; unknown unit or role → 400 naming it.',
  })
  create(@Body() body: CreateUserRequest, @CurrentUser() actor: User): Promise<UserWithPasswordResponse> {
    return this.users.create(body, actor);
  }

  @Patch(':id')
  @ApiOkResponse({ type: UserAccountResponse })
  @ApiOperation({
    summary:
      'Change display name, unit, roles, phone, e-mail or disabled. Disabling, a new unit or new roles revoke every token of the user at once. Disabling yourself or removing the last admin → 409.',
  })
  update(
    @Param('id') id: string,
    @Body() body: UpdateUserRequest,
    @CurrentUser() actor: User,
  ): Promise<UserAccountResponse> {
    return this.users.update(id, body, actor);
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOkResponse({ type: UserWithPasswordResponse })
  @ApiOperation({ summary: 'A new one-time password (shown once); every token of the user stops working.' })
  resetPassword(@Param('id') id: string, @CurrentUser() actor: User): Promise<UserWithPasswordResponse> {
    return this.users.resetPassword(id, actor);
  }
}
