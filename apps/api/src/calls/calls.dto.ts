import { AttachmentIds, AttachmentResponse } from '../attachments/attachments.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { TextField } from '../common/text-field';
import {
  CALL_ITEM_ACTIONS,
  CALL_RATINGS,
  CALL_STATUSES,
  CALL_URGENCIES,
  CallItemAction,
  CallRating,
  CallStatus,
  CallUrgency,
} from '@county/domain';
import { AuditEventResponse } from '../audit/audit.dto';
import { NullableString } from '../common/api-schema';
import { DateQuery, EnumQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';
import { HandlerResponse } from '../people/people.dto';

export const MAX_CALL_PAGE = 500;

export class RaiseCallRequest {
  @TextField('unitId', {
    example: 'housing',
    description: 'the county unit called: a county department, a city branch, the court or the procuratorate',
  })
  toUnitId!: string;

  @TextField('subject', { example: '农村危房改造鉴定需住建部门现场认定' }) subject!: string;
  @TextField('report', { example: '某村两户危房需鉴定，乡镇无鉴定资质' }) description!: string;
  @ApiProperty({ enum: CALL_URGENCIES }) @IsIn(CALL_URGENCIES) urgency!: CallUrgency;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "one of the calling township's own assignments that this call is about",
  })
  @IsOptional()
  @IsUUID()
  relatedAssignmentId?: string;

  @AttachmentIds() attachmentIds?: string[];
}

export class RespondCallRequest {
  @TextField('note', { optional: true, example: '已签收，安排专人对接' }) note?: string;
}

export class ResolveCallRequest {
  @TextField('report', { example: '已派员现场鉴定并出具意见' }) resolution!: string;
  @AttachmentIds() attachmentIds?: string[];
}

export class EvaluateCallRequest {
  @ApiProperty({ enum: CALL_RATINGS, description: '满意 / 基本满意 / 不满意 (不满意 reopens the call)' })
  @IsIn(CALL_RATINGS)
  rating!: CallRating;

  @TextField('note', { optional: true }) comment?: string;
  @AttachmentIds() attachmentIds?: string[];
}

export class CallQuery extends PageQuery {
  @EnumQuery(CALL_STATUSES) status?: CallStatus;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) fromUnitId?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) toUnitId?: string;
  @ApiPropertyOptional({ maxLength: 40, description: 'calls raised by or with this unit (either side)' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  unitId?: string;
  @EnumQuery(['green', 'yellow', 'red']) light?: string;
  @DateQuery({ description: 'raised on or after this day (China time)', example: '2026-01-01' }) raisedFrom?: string;
  @DateQuery({ description: 'raised on or before this day (China time)', example: '2026-12-31' }) raisedTo?: string;
}

export class CallResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() fromUnitId!: string;
  @ApiProperty() toUnitId!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: CALL_URGENCIES, enumName: 'CallUrgency' }) urgency!: string;
  @NullableString() relatedAssignmentId!: string | null;
  @ApiProperty({ enum: CALL_STATUSES, enumName: 'CallStatus' }) status!: string;
  @ApiProperty() raisedBy!: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'when the unit it is with now got it' }) assignedAt!: string;
  @NullableString({ format: 'date-time' }) respondBy!: string | null;
  @NullableString({ format: 'date-time' }) respondedAt!: string | null;
  @NullableString() responseNote!: string | null;
  @NullableString({ format: 'date-time' }) resolveBy!: string | null;
  @NullableString({ format: 'date-time' }) resolvedAt!: string | null;
  @NullableString() resolution!: string | null;
  @NullableString({ format: 'date-time' }) evaluatedAt!: string | null;
  @NullableString({ format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ enum: CALL_RATINGS, enumName: 'CallRating', nullable: true }) rating!: string | null;
  @ApiProperty() autoClosed!: boolean;
  @ApiProperty() reworkCount!: number;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @ApiProperty() flagged!: boolean;
  @ApiProperty({
    enum: CALL_ITEM_ACTIONS,
    enumName: 'CallAction',
    isArray: true,
    description: 'what the current user may do to it now, in the order the console shows buttons',
  })
  allowedActions!: CallItemAction[];
  @ApiProperty({ type: HandlerResponse, nullable: true, description: '承办人 (null: nobody named)' })
  handler!: HandlerResponse | null;
}

export class CallListResponse extends PageResponse {
  @ApiProperty({ type: [CallResponse] }) items!: CallResponse[];
  @ApiProperty({ description: 'calls matching the filters in all pages' }) total!: number;
}

export class CallDetailResponse extends CallResponse {
  @ApiProperty({ type: [AuditEventResponse] }) timeline!: AuditEventResponse[];
  @ApiProperty({
    type: [AttachmentResponse],
    description: '佐证材料 of the call: sent with it, its resolutions and evaluations (the timeline says which)',
  })
  attachments!: AttachmentResponse[];
}
