import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { UnitRepository } from '@county/persistence';
import { Req } from '@nestjs/common';
import { AuthenticatedRequest, CurrentUser } from '../auth/current-user.decorator';
import { AllowedWithOneTimePassword } from '../auth/public.decorator';
import { toUserResponse, UserResponse } from '../auth/auth.dto';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly units: UnitRepository) {}

  @Get()
  @AllowedWithOneTimePassword()
  @ApiOkResponse({ type: UserResponse })
  @ApiOperation({ summary: 'The signed-in user with their unit and roles.' })
  async me(@CurrentUser() user: User, @Req() request: AuthenticatedRequest): Promise<UserResponse> {
    const unit = await this.units.findById(user.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${user.unitId}`);
    return toUserResponse(user, unit, request.mustChangePassword ?? false);
  }
}
