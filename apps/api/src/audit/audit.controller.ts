import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '@county/domain';
import { AuditRepository } from '@county/persistence';
import { Roles } from '../auth/roles.decorator';
import { AuditPage, AuditQuery, AuditVerificationResponse } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles(Role.Supervisor, Role.Admin)
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @ApiOkResponse({ type: AuditPage })
  @ApiOperation({ summary: 'Audit events in order, optionally for one subject.' })
  async list(@Query() query: AuditQuery): Promise<AuditPage> {
    const limit = query.limit ?? 100;
    const items = await this.audit.list({ ...query, limit });
    return { items, nextAfterSeq: items.length === limit ? items[items.length - 1].seq : null };
  }

  @Get('verify')
  @ApiOkResponse({ type: AuditVerificationResponse })
  @ApiOperation({ summary: 'Recompute the hash chain: {ok, length, headHash} and the first broken link if any.' })
  verify(): Promise<AuditVerificationResponse> {
    return this.audit.verify();
  }
}
