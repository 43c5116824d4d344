import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { UnitRepository } from '@county/persistence';
import { CurrentUser } from '../auth/current-user.decorator';
import { toUserResponse, UserResponse } from '../auth/auth.dto';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly units: UnitRepository) {}

  @Get()
  @ApiOkResponse({ type: UserResponse })
  @ApiOperation({ summary: 'The signed-in user with their unit and roles.' })
  async me(@CurrentUser() user: User): Promise<UserResponse> {
    const unit = await this.units.findById(user.unitId);
    if (!unit) throw new Error(`user ${user.id} belongs to unknown unit ${user.unitId}`);
    return toUserResponse(user, unit);
  }
}
