import { AttachmentIds } from '../attachments/attachments.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import {
  DeadlineKind,
  hasText,
  MAX_LEAD_UNITS,
  MAX_TASK_ITEMS,
  STORED_TASK_STATUSES,
  TASK_ACTIONS,
  TaskAction,
  TaskStatus,
  TEXT_LIMITS,
  TextKind,
} from '@county/domain';
import { AssignmentResponse } from '../assignments/assignments.dto';
import { AuditEventResponse } from '../audit/audit.dto';
import { CommentResponse } from '../comments/comments.dto';
import { NullableString, Strings } from '../common/api-schema';
import { EscalationResponse } from '../escalations/escalations.dto';
import { DeadlineField, TextField } from '../common/text-field';
import { DateQuery, EnumQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

export const LIGHTS = ['green', 'yellow', 'red'] as const;

export class TaskQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
  @EnumQuery(STORED_TASK_STATUSES) status?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) unitId?: string;
  @EnumQuery(LIGHTS) light?: string;
  @DateQuery({ description: 'due on or after this day (China time)', example: '2026-01-01' }) dueFrom?: string;
  @DateQuery({ description: 'due on or before this day (China time)', example: '2026-12-31' }) dueTo?: string;
}

export class ConsolidateRequest {
  @TextField('report') summary!: string;
  @AttachmentIds() attachmentIds?: string[];
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
/** An optional list of texts (a correction names only what it changes), each entry with text in it. */
function OptionalTexts(
  kind: TextKind,
  maxItems: number,
  options: { description: string; example: string[]; minItems?: number; unique?: boolean },
): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', maxLength: TEXT_LIMITS[kind] },
      maxItems,
      minItems: options.minItems,
      uniqueItems: options.unique,
      description: options.description,
      example: options.example,
    }),
    IsOptional(),
    IsArray({ message: '$property 须为列表' }),
    ArrayMaxSize(maxItems, { message: `$property 最多 ${maxItems} 项` }),
    ...(options.minItems ? [ArrayMinSize(options.minItems, { message: `$property 至少 ${options.minItems} 项` })] : []),
    ...(options.unique ? [ArrayUnique({ message: '$property 不能重复' })] : []),
    IsString({ each: true, message: '$property 的每一项须为文字' }),
    MaxLength(TEXT_LIMITS[kind], { each: true, message: `$property 的每一项最多 ${TEXT_LIMITS[kind]} 个字` }),
    ValidateBy({
      name: 'entriesHaveText',
      validator: {
        validate: (value: unknown) =>
          !Array.isArray(value) || value.every((item) => typeof item !== 'string' || hasText(item)),
        defaultMessage: () => '每一项都须有文字内容',
      },
    }),
  );
}

/**
 * A correction by the supervision office: any of title, measures, goals and lead units (at least one), with the
 * reason. The fields given replace the stored ones; the task's timeline keeps the old values.
 */
export class EditTaskRequest {
  @TextField('taskTitle', { optional: true, example: '完善村级代办服务机制' }) title?: string;
  @OptionalTexts('taskItem', MAX_TASK_ITEMS, {
    description: '推进措施, one per entry (stored without the list’s numbering, as the import does)',
    example: ['制定代办清单', '培训代办员'],
  })
  measures?: string[];
  @OptionalTexts('taskItem', MAX_TASK_ITEMS, {
    description: '预期目标, one per entry',
    example: ['代办服务覆盖全部行政村'],
  })
  goals?: string[];
  @OptionalTexts('unitId', MAX_LEAD_UNITS, {
    description: 'the lead units (牵头单位): registry units that do not already work on the task as responsible units',
    example: ['approval'],
    minItems: 1,
    unique: true,
  })
  leadUnitIds?: string[];
  @TextField('reason', { example: '导入时牵头单位有误，更正' }) reason!: string;
}

export class RemoveUnitRequest {
  @TextField('reason', { example: '该事项不涉及本单位职能，减签' }) reason!: string;
}

export class CancelTaskRequest {
  @TextField('reason') reason!: string;
}

export class TaskDeadlineResponse {
  @ApiProperty({ example: '2027年6月底前' }) text!: string;
  @NullableString({ description: 'the last calendar day (YYYY-MM-DD, Beijing)' }) date!: string | null;
  @ApiProperty({ enum: DeadlineKind, enumName: 'DeadlineKind' }) kind!: DeadlineKind;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
}

/** A task's stored record (as a plan lists it). */
export class TaskRecordResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty() no!: number;
  @ApiProperty() title!: string;
  @Strings() measures!: string[];
  @Strings() goals!: string[];
  @Strings() leadUnitIds!: string[];
  @ApiProperty() allTownships!: boolean;
  @ApiProperty() relatedDepartments!: boolean;
  @ApiProperty({ type: TaskDeadlineResponse }) deadline!: TaskDeadlineResponse;
  @ApiProperty({ enum: STORED_TASK_STATUSES, description: '`open` until the task workflow has started' })
  status!: string;
  @ApiProperty({ enum: LIGHTS }) light!: string;
}

export class TaskResponse extends TaskRecordResponse {
  @ApiProperty({
    enum: TASK_ACTIONS,
    enumName: 'TaskAction',
    isArray: true,
    description: 'what the current user may do to it now, in the order the console shows buttons',
  })
  allowedActions!: TaskAction[];
}

export class TaskListResponse extends PageResponse {
  @ApiProperty({ type: [TaskResponse] }) items!: TaskResponse[];
  @ApiProperty({ description: 'tasks matching the filters in all pages' }) total!: number;
}

export class TaskDetailResponse extends TaskResponse {
  @ApiProperty({ type: [AssignmentResponse] }) assignments!: AssignmentResponse[];
  @ApiProperty({ type: [AuditEventResponse] }) timeline!: AuditEventResponse[];
  @ApiProperty({ type: [EscalationResponse], description: 'every escalation of its assignments, highest level first' })
  escalations!: EscalationResponse[];
  @ApiProperty({
    type: [CommentResponse],
    description: 'the leaders’ 批示 pinned on it (on the task or its escalations), newest first, with name and unit',
  })
  instructions!: CommentResponse[];
}

export class DeadlineChangeResponse {
  @NullableString({ format: 'date-time' }) from!: string | null;
  @NullableString({ format: 'date-time' }) to!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty() byUserId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** The task workflow's answer to an action: where the task stands now. */
export class TaskViewResponse {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ enum: TaskStatus, enumName: 'TaskStatus' }) status!: TaskStatus;
  @NullableString() summary!: string | null;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
  @ApiProperty({ type: [DeadlineChangeResponse], description: 'the latest deadline changes (at most 20)' })
  deadlineChanges!: DeadlineChangeResponse[];
}

/** 减签: the assignment that ended as removed. */
export class RemovedAssignmentResponse {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty() unitId!: string;
}
