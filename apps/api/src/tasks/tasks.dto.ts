import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { STORED_TASK_STATUSES } from '@county/domain';
import { DeadlineField, TextField } from '../common/text-field';
import { EnumQuery, IntegerQuery } from '../common/query-params';

export const MAX_TASK_PAGE = 500;
export const LIGHTS = ['green', 'yellow', 'red'] as const;

export class TaskQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
  @EnumQuery(STORED_TASK_STATUSES) status?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) unitId?: string;
  @EnumQuery(LIGHTS) light?: string;
  @IntegerQuery({ default: 200, minimum: 1, maximum: MAX_TASK_PAGE }) limit?: number;
}

export class ConsolidateRequest {
  @TextField('report') summary!: string;
}
export class CommentRequest {
  @TextField('note', { optional: true }) comment?: string;
}
export class ReturnTaskRequest {
  @TextField('reason') comment!: string;
}
export class ChangeDeadlineRequest {
  @DeadlineField() dueAt!: string;
  @TextField('reason', { example: '因工作调整延期' }) reason!: string;
}
export class AddUnitRequest {
  @TextField('unitId', { example: 'market' }) unitId!: string;
  @TextField('reason', { example: '涉及市场监管职能，增加责任单位' }) reason!: string;
}
export class CancelTaskRequest {
  @TextField('reason') reason!: string;
}
