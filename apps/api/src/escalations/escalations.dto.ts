import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateIf,
} from 'class-validator';
import {
  ESCALATION_ITEM_ACTIONS,
  ESCALATION_LEADER_ACTIONS,
  EscalationLeaderAction,
  EscalationAction,
  EscalationCause,
  EscalationItemAction,
  TEXT_LIMITS,
} from '@county/domain';
import { NullableString } from '../common/api-schema';
import { CommentResponse } from '../comments/comments.dto';
import { DeadlineField, TextField } from '../common/text-field';
import { BooleanQuery, EnumQuery, IntegerQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

/** What the supervision office can do with an escalation: 催办, extend the deadline, 转办, 挂牌督办. */
export const HANDLING_ACTIONS: readonly EscalationAction[] = [
  EscalationAction.Remind,
  EscalationAction.Extend,
  EscalationAction.Reassign,
  EscalationAction.Flag,
];

export const ESCALATION_KINDS = ['assignment', 'call'] as const;

export class EscalationQuery extends PageQuery {
  @BooleanQuery({ default: true, description: 'false: handled escalations too' }) open?: boolean;
  @IntegerQuery({ minimum: 1, maximum: 3, description: 'only items whose current level is this' }) level?: number;
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.unitId, description: 'only the items of this late unit' })
  @IsOptional()
  @IsString()
  @Length(1, TEXT_LIMITS.unitId)
  unitId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "only the items of this plan's tasks" })
  @IsOptional()
  @IsUUID()
  planId?: string;
  @EnumQuery(ESCALATION_KINDS, { description: "a unit's work (assignment) or a 乡呼县应 call" })
  kind?: (typeof ESCALATION_KINDS)[number];
}

/** What a batch can do to every item alike: 催办, 挂牌督办, or one new deadline for all (延期). 转办 names a unit per item. */
export const BATCH_ACTIONS: readonly EscalationAction[] = [
  EscalationAction.Remind,
  EscalationAction.Extend,
  EscalationAction.Flag,
];
export const MAX_BATCH = 100;

export class BatchHandleEscalationRequest {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_BATCH,
    description: 'the items (their ids as the queue lists them), each at most once',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  ids!: string[];
  @ApiProperty({ enum: BATCH_ACTIONS }) @IsIn(BATCH_ACTIONS) action!: EscalationAction;
  @TextField('reason') note!: string;
  @DeadlineField<BatchHandleEscalationRequest>({
    requiredWhen: (request) => request.action === EscalationAction.Extend,
    description: 'the new deadline of every item, for action "extend"',
  })
  dueAt?: string;
}

export class HandleEscalationRequest {
  @ApiProperty({ enum: HANDLING_ACTIONS }) @IsIn(HANDLING_ACTIONS) action!: EscalationAction;
  @TextField('reason') note!: string;
  @DeadlineField<HandleEscalationRequest>({
    requiredWhen: (request) => request.action === EscalationAction.Extend,
    description: 'the new deadline, for action "extend"',
  })
  dueAt?: string;
  @ApiPropertyOptional({
    description: 'the unit that takes over the work or the call, for action "reassign"',
    maxLength: TEXT_LIMITS.unitId,
  })
  @ValidateIf(
    (request: HandleEscalationRequest, value: unknown) =>
      request.action === EscalationAction.Reassign || value !== undefined,
  )
  @IsString()
  @Length(1, TEXT_LIMITS.unitId)
  toUnitId?: string;
}

export class EscalationResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['assignment', 'call'] }) subjectType!: string;
  @ApiProperty() subjectId!: string;
  @ApiProperty({ minimum: 1, maximum: 3 }) level!: number;
  @ApiProperty() reason!: string;
  @ApiProperty() targetUnitId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @NullableString({ format: 'date-time' }) handledAt!: string | null;
  @NullableString({ description: 'how it was handled (remind, extend, reassign, flag) or resolved' }) action!:
    string | null;
  @NullableString({
    description:
      'why it was resolved without handling: the audited change that removed its cause (e.g. assignment.deadline-changed)',
  })
  resolvedReason!: string | null;
  @ApiProperty({
    enum: EscalationCause,
    enumName: 'EscalationCause',
    description: 'which clock raised it: the deadline (or a call limit), the 签收 limit or the 审核 limit',
  })
  cause!: EscalationCause;
  @NullableString({
    description: "the unit whose work is late (an assignment's; for a late review the lead unit; the call's unit now)",
  })
  unitId!: string | null;
  @NullableString() taskId!: string | null;
  @NullableString({ description: "the assignment's or the call's status now" }) subjectStatus!: string | null;
  @NullableString() assignmentRole!: string | null;
  @NullableString() taskStatus!: string | null;
  @NullableString({ description: "a call's calling township" }) fromUnitId!: string | null;
  @ApiProperty({
    enum: ESCALATION_ITEM_ACTIONS,
    enumName: 'EscalationAction',
    isArray: true,
    description: 'what the current user may do with it now, in the order the console shows buttons',
  })
  allowedActions!: EscalationItemAction[];
  @ApiProperty({
    enum: ESCALATION_LEADER_ACTIONS,
    enumName: 'EscalationLeaderAction',
    isArray: true,
    description: "a county leader's: 已阅 (read, once) and 批示 (instruct, POST /escalations/{id}/instructions)",
  })
  leaderActions!: EscalationLeaderAction[];
  @ApiProperty({
    type: [CommentResponse],
    description: 'the leaders’ 批示 on it, newest first (a 挂牌督办 carries the newest to the unit)',
  })
  instructions!: CommentResponse[];
  @NullableString({ description: "the task's title (an assignment's) or the call's subject" }) title!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "the task's number in its plan" }) taskNo!: number | null;
  @NullableString({ format: 'uuid' }) planId!: string | null;
  @NullableString() planTitle!: string | null;
  @NullableString({ description: 'the late unit’s name' }) unitName!: string | null;
  @NullableString({ description: "a call's calling township's name" }) fromUnitName!: string | null;
  @ApiProperty({ format: 'date-time', description: 'when the first of its open levels was raised (its age)' })
  firstRaisedAt!: string;
  @ApiProperty({ type: [String], description: 'its escalation rows, highest level first (handling clears them all)' })
  escalationIds!: string[];
  @ApiProperty({ type: [Number], description: 'the levels it has reached, highest first' }) levels!: number[];
  @NullableString({ format: 'date-time', description: 'when the current user marked it 已阅 (leaders)' })
  readAt!: string | null;
}

export class BatchItemResult {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    enum: ['handled', 'already-handled', 'failed'],
    description: 'handled now; already handled the same way (a repeat, nothing done again); or refused',
  })
  outcome!: 'handled' | 'already-handled' | 'failed';
  @NullableString({ description: 'the error code when refused (NOT_FOUND, CONFLICT, FORBIDDEN …)' }) code!:
    string | null;
  @NullableString({ description: 'why it was refused' }) detail!: string | null;
}

export class BatchHandleEscalationResponse {
  @ApiProperty({ type: [BatchItemResult], description: 'one result per id, in the order sent' })
  results!: BatchItemResult[];
}

export class EscalationReadResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time', description: 'when this leader first marked it 已阅' }) readAt!: string;
}

export class EscalationListResponse extends PageResponse {
  @ApiProperty({ type: [EscalationResponse] }) items!: EscalationResponse[];
}
