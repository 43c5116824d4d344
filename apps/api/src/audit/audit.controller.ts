import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@county/domain';
import { AUDIT_KEY, AuditRepository } from '@county/persistence';
import { pageOf, pageRequest } from '../common/pagination';
import { AttachmentsService } from '../attachments/attachments.service';
import { Roles } from '../auth/roles.decorator';
import { AuditPage, AuditQuery, AuditVerificationResponse } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles(Role.Supervisor, Role.Admin)
export class AuditController {
  constructor(
    private readonly audit: AuditRepository,
    private readonly attachments: AttachmentsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: AuditPage })
  @ApiOperation({ summary: 'Audit events in order, optionally for one subject.' })
  async list(@Query() query: AuditQuery): Promise<AuditPage> {
    const { subjectType, subjectId, afterSeq } = query;
    const page = await this.audit.page({ subjectType, subjectId, afterSeq }, pageRequest(query, AUDIT_KEY.length));
    return { ...pageOf(page), nextAfterSeq: page.nextKey ? (page.nextKey[0] as number) : null };
  }

  @Get('verify')
  @ApiOkResponse({ type: AuditVerificationResponse })
  @ApiOperation({
    summary:
      'Recompute the hash chain and re-hash every stored 佐证材料 file against the sha256 the chain recorded: {ok, length, headHash, files}; the first broken link and every changed or missing file if any.',
  })
  async verify(): Promise<AuditVerificationResponse> {
    const [chain, files] = await Promise.all([this.audit.verify(), this.attachments.verifyFiles()]);
    return { ...chain, ok: chain.ok && files.broken.length === 0, files };
  }
}
