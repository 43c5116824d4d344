import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { UnitRepository } from '@county/persistence';
import { Req } from '@nestjs/common';
import { AuthenticatedRequest, CurrentUser } from '../auth/current-user.decorator';
import { AllowedWithOneTimePassword } from '../auth/public.decorator';
import { toUserResponse } from '../auth/auth.dto';
import { MeResponse } from '../people/people.dto';
import { PeopleService } from '../people/people.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly units: UnitRepository,
    private readonly people: PeopleService,
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
}
