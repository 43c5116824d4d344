import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { AuditEvent } from '@county/domain';
import { FreeObject, NullableNumber, NullableString } from '../common/api-schema';
import { IntegerQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'plan', maxLength: 40 })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  subjectType?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200) subjectId?: string;
  // seq is a bigint column, but it is read into a JavaScript number: a larger value could not be exact.
  @IntegerQuery({
    description: 'return events after this sequence number (older paging; cursor is the same for every list)',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
  })
  afterSeq?: number;
}

export class AuditPage extends PageResponse {
  @ApiProperty({ type: () => [AuditEventResponse] }) items!: AuditEvent[];
  @NullableNumber({ description: 'pass as afterSeq for the next page (the same page as nextCursor)' })
  nextAfterSeq!: number | null;
}

export class AuditEventResponse {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @NullableString() actorUserId!: string | null;
  @NullableString() actorUnitId!: string | null;
  @ApiProperty({ example: 'assignment.acknowledged' }) action!: string;
  @ApiProperty({ example: 'assignment' }) subjectType!: string;
  @ApiProperty() subjectId!: string;
  @NullableString() workflowId!: string | null;
  @FreeObject() payload!: Record<string, unknown>;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

export class BrokenFileResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'the sha256 the audit chain recorded at upload' }) sha256!: string;
  @ApiProperty({ enum: ['changed', 'missing'] }) problem!: 'changed' | 'missing';
}

export class FileVerificationResponse {
  @ApiProperty({ description: 'stored files re-hashed' }) checked!: number;
  @ApiProperty({ type: [BrokenFileResponse], description: 'files whose bytes no longer match the chain' })
  broken!: BrokenFileResponse[];
}

export class AuditVerificationResponse {
  @ApiProperty() ok!: boolean;
  @ApiProperty() length!: number;
  @ApiProperty() headHash!: string;
  @ApiPropertyOptional({ description: 'the first event whose hash or link does not match, when ok is false' })
  firstBrokenSeq?: number;
  @ApiProperty({ type: FileVerificationResponse }) files!: FileVerificationResponse;
}
