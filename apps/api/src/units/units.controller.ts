import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UnitRepository } from '@county/persistence';
import { toUnitResponse, UnitListResponse } from './units.dto';

@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitRepository) {}

  @Get()
  @ApiOkResponse({ type: UnitListResponse })
  @ApiOperation({ summary: 'The unit registry: departments, townships, the supervision office, leadership.' })
  async list(): Promise<UnitListResponse> {
    const units = await this.units.list();
    return { items: units.map(toUnitResponse), total: units.length };
  }
}
