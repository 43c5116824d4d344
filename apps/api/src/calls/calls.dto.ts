import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { CALL_RATINGS, CALL_STATUSES, CALL_URGENCIES, CallRating, CallStatus, CallUrgency } from '@county/domain';
import { EnumQuery, IntegerQuery } from '../common/query-params';

export const MAX_CALL_PAGE = 500;

export class RaiseCallRequest {
  @ApiProperty({ example: 'housing', description: 'the county unit called (any unit that is not a township)' })
  @IsString()
  @Length(1, 40)
  toUnitId!: string;

  @ApiProperty({ example: '农村危房改造鉴定需住建部门现场认定' }) @IsString() @Length(1, 200) subject!: string;
  @ApiProperty({ example: '某村两户危房需鉴定，乡镇无鉴定资质' }) @IsString() @Length(1, 10000) description!: string;
  @ApiProperty({ enum: CALL_URGENCIES }) @IsIn(CALL_URGENCIES) urgency!: CallUrgency;

  @ApiPropertyOptional({ description: 'an assignment this call is about' })
  @IsOptional()
  @IsUUID()
  relatedAssignmentId?: string;
}

export class RespondCallRequest {
  @ApiPropertyOptional({ example: '已签收，安排专人对接' }) @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

export class ResolveCallRequest {
  @ApiProperty({ example: '已派员现场鉴定并出具意见' }) @IsString() @Length(1, 10000) resolution!: string;
}

export class EvaluateCallRequest {
  @ApiProperty({ enum: CALL_RATINGS, description: '满意 / 基本满意 / 不满意 (不满意 reopens the call)' })
  @IsIn(CALL_RATINGS)
  rating!: CallRating;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) comment?: string;
}

export class CallQuery {
  @EnumQuery(CALL_STATUSES) status?: CallStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) fromUnitId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) toUnitId?: string;
  @IntegerQuery({ default: 200, minimum: 1, maximum: MAX_CALL_PAGE }) limit?: number;
}
