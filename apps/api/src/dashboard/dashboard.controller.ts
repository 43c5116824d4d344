import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DashboardRepository } from '@county/persistence';
import { DashboardQuery, DashboardResponse } from './dashboard.dto';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardRepository) {}

  @Get()
  @ApiOkResponse({ type: DashboardResponse })
  @ApiOperation({
    summary:
      'Tasks, assignments and calls by status and light; per unit on-time and overdue assignments, and call metrics (from stored timestamps), each with a ranking; calls raised per township.',
  })
  get(@Query() query: DashboardQuery): Promise<DashboardResponse> {
    return this.dashboard.dashboard(query.planId);
  }
}
