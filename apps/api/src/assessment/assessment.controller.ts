import { PassThrough } from 'node:stream';
import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { User } from '@county/domain';
import { writeAssessmentSheet } from '@county/reports';
import { CurrentUser } from '../auth/current-user.decorator';
import { AssessmentQuery, AssessmentResponse } from './assessment.dto';
import { AssessmentService } from './assessment.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('assessment')
export class AssessmentController {
  constructor(private readonly assessment: AssessmentService) {}

  @Get()
  @ApiOkResponse({ type: AssessmentResponse })
  @ApiOperation({
    summary:
      '考核: each unit’s score for a month, quarter or year (formula and weights in the README), best first, with the components and figures behind it. Supervisor, leader, admin: every unit; a unit: its own row.',
  })
  get(@Query() query: AssessmentQuery, @CurrentUser() user: User): Promise<AssessmentResponse> {
    return this.assessment.scores(user, query);
  }
}

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('exports')
export class AssessmentExportController {
  constructor(private readonly assessment: AssessmentService) {}

  @Get('assessment.xlsx')
  @ApiOkResponse({
    description: 'the same rows as GET /assessment, as .xlsx (sheet 考核)',
    content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({ summary: '考核 as .xlsx: the rows GET /assessment gives the same user, streamed.' })
  async export(
    @Query() query: AssessmentQuery,
    @CurrentUser() user: User,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    // Scores first: a bad period is a 400 before any byte of the file goes out.
    const result = await this.assessment.scores(user, query);
    const body = new PassThrough();
    writeAssessmentSheet(body, result.period, result.units).catch((error: unknown) => body.destroy(error as Error));
    void reply.header('cache-control', 'private, no-store');
    const name = `考核-${result.period}.xlsx`;
    return new StreamableFile(body, {
      type: XLSX,
      disposition: `attachment; filename="assessment-${result.period}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  }
}
