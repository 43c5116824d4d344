import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { PageQuery } from '../common/pagination';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  CreateUnitRequest,
  MergeUnitRequest,
  MergeUnitResponse,
  RenameUnitRequest,
  UnitListResponse,
  UnitResponse,
} from './units.dto';
import { UnitsService } from './units.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOkResponse({ type: UnitListResponse })
  @ApiOperation({
    summary: 'The unit registry: departments, townships, the supervision office, leadership (retired ones marked).',
  })
  list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<UnitListResponse> {
    return this.units.list(user, query);
  }

  @Post()
  @Roles(Role.Admin)
  @ApiCreatedResponse({ type: UnitResponse })
  @ApiOperation({ summary: 'Add a unit (admin).' })
  add(@Body() body: CreateUnitRequest, @CurrentUser() user: User): Promise<UnitResponse> {
    return this.units.add(user, body);
  }

  @Patch(':id')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: UnitResponse })
  @ApiOperation({ summary: 'Rename a unit (admin): the old name and full name stay as aliases.' })
  rename(@Param('id') id: string, @Body() body: RenameUnitRequest, @CurrentUser() user: User): Promise<UnitResponse> {
    return this.units.rename(user, id, body);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiOkResponse({ type: MergeUnitResponse })
  @ApiOperation({
    summary: 'Merge a unit into another (admin): it is retired, its users and open work move to the surviving unit.',
  })
  merge(
    @Param('id') id: string,
    @Body() body: MergeUnitRequest,
    @CurrentUser() user: User,
  ): Promise<MergeUnitResponse> {
    return this.units.merge(user, id, body.intoUnitId);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles(Role.Admin)
  @ApiOkResponse({ type: UnitResponse })
  @ApiOperation({ summary: 'Retire a unit with no open work and no active users (admin).' })
  retire(@Param('id') id: string, @CurrentUser() user: User): Promise<UnitResponse> {
    return this.units.retire(user, id);
  }
}
