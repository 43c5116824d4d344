import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { AuditEvent } from '@county/domain';
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
