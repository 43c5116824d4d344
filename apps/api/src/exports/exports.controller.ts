import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { attachmentDisposition, EXPORT_MAX_ROWS, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { PROBLEM_CONTENT_TYPE } from '../common/problem';
import { CallLedgerExportQuery, LedgerExportQuery, UnitRankingExportQuery } from './exports.dto';
import { ExportFile, ExportsService } from './exports.service';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const XLSX_FILE = {
  description: 'the .xlsx file, streamed, with its Chinese name in Content-Disposition (filename*)',
  content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
};
const PROBLEM = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
const TOO_LARGE = {
  status: 413,
  description: `EXPORT_TOO_LARGE: the filters select more rows than the limit (EXPORT_MAX_ROWS, ${EXPORT_MAX_ROWS} by default; \`limit\` and \`rows\` in the problem); narrow them.`,
  content: PROBLEM,
};
const OTHER_UNIT = {
  status: 403,
  description: "FORBIDDEN: a unit's staff or head asked for another unit's rows.",
  content: PROBLEM,
};

/** The supervision office's paper (issue 17): ledgers and figures as .xlsx, with the lists' filters. */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('ledger.xlsx')
  @ApiOkResponse(XLSX_FILE)
  @ApiResponse(TOO_LARGE)
  @ApiResponse(OTHER_UNIT)
  @ApiOperation({
    summary:
      "任务台账: one row per assignment (序号, 主要任务, 牵头单位, 责任单位, 时限, 状态, 灯色, 进展, 最近报告, 佐证数). The supervision office, leaders and admins export every unit's rows; a unit's staff or head its own unit's.",
  })
  async ledger(
    @CurrentUser() user: User,
    @Query() query: LedgerExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return send(reply, await this.exports.ledger(user, query));
  }

  @Get('unit-ranking.xlsx')
  @ApiOkResponse(XLSX_FILE)
  @ApiOperation({
    summary: "单位排名: GET /dashboard's per-unit assignment figures, in its order (any user, as the dashboard).",
  })
  async unitRanking(
    @Query() query: UnitRankingExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return send(reply, await this.exports.unitRanking(query));
  }

  @Get('calls.xlsx')
  @ApiOkResponse(XLSX_FILE)
  @ApiResponse(TOO_LARGE)
  @ApiOperation({
    summary:
      '乡呼县应台账: one row per call, newest first. A unit’s staff or head gets the calls its unit raised or received.',
  })
  async calls(
    @CurrentUser() user: User,
    @Query() query: CallLedgerExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return send(reply, await this.exports.calls(user, query));
  }

  @Get('call-units.xlsx')
  @ApiOkResponse(XLSX_FILE)
  @ApiOperation({
    summary:
      "乡呼县应 figures: GET /dashboard's per-unit call metrics (first sheet) and the calls each township raised (second sheet).",
  })
  async callUnits(@Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    return send(reply, await this.exports.callUnits());
  }
}

function send(reply: FastifyReply, file: ExportFile): StreamableFile {
  void reply.header('x-content-type-options', 'nosniff');
  return new StreamableFile(file.body, {
    type: XLSX_CONTENT_TYPE,
    disposition: attachmentDisposition(file.fileName, file.asciiName),
  });
}
