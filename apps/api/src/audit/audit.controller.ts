import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { AuditEvent, AuditVerification, Role } from '@county/domain';
import { AuditRepository } from '@county/persistence';
import { Roles } from '../auth/roles.decorator';
import { IntegerQuery } from '../common/query-params';

/** Page sizes are capped: an audit log grows without bound. */
const MAX_PAGE = 1000;

export class AuditQuery {
  @ApiPropertyOptional({ example: 'plan', maxLength: 40 })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  subjectType?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) subjectId?: string;
  @IntegerQuery({ description: `page size, at most ${MAX_PAGE}`, default: 100, minimum: 1, maximum: MAX_PAGE })
  limit?: number;

  // seq is a bigint column, but it is read into a JavaScript number: a larger value could not be exact.
  @IntegerQuery({
    description: 'return events after this sequence number (paging)',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
  })
  afterSeq?: number;
}

export class AuditPage {
  @ApiProperty() items!: AuditEvent[];
  @ApiProperty({ nullable: true, description: 'pass as afterSeq for the next page' }) nextAfterSeq!: number | null;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles(Role.Supervisor, Role.Admin)
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @ApiOperation({ summary: 'Audit events in order, optionally for one subject.' })
  async list(@Query() query: AuditQuery): Promise<AuditPage> {
    const limit = query.limit ?? 100;
    const items = await this.audit.list({ ...query, limit });
    return { items, nextAfterSeq: items.length === limit ? items[items.length - 1].seq : null };
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chain: {ok, length, headHash} and the first broken link if any.' })
  verify(): Promise<AuditVerification> {
    return this.audit.verify();
  }
}
