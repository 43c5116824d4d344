import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthReportResponse } from './health.dto';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: really queries PostgreSQL and the Temporal namespace.' })
  @ApiOkResponse({ type: HealthReportResponse, description: 'both dependencies answer' })
  @ApiResponse({ status: 503, type: HealthReportResponse, description: 'a dependency is down; the body says which' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReportResponse> {
    const report = await this.health.check();
    void reply.status(report.status === 'ok' ? 200 : 503).header('cache-control', 'no-store');
    return report;
  }
}
