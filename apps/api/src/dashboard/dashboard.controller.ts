import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Dashboard, DashboardRepository } from '@county/persistence';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardRepository) {}

  @Get()
  @ApiOperation({
    summary:
      'Tasks, assignments and calls by status and light; per county unit call metrics (from stored timestamps) with a ranking; calls raised per township.',
  })
  get(): Promise<Dashboard> {
    return this.dashboard.dashboard();
  }
}
