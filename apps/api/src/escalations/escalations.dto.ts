import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, ValidateIf } from 'class-validator';
import {
  ESCALATION_ITEM_ACTIONS,
  EscalationAction,
  EscalationCause,
  EscalationItemAction,
  TEXT_LIMITS,
} from '@county/domain';
import { NullableString } from '../common/api-schema';
import { CommentResponse } from '../comments/comments.dto';
import { DeadlineField, TextField } from '../common/text-field';
import { BooleanQuery } from '../common/query-params';
import { PageQuery, PageResponse } from '../common/pagination';

/** What the supervision office can do with an escalation: 催办, extend the deadline, 转办, 挂牌督办. */
export const HANDLING_ACTIONS: readonly EscalationAction[] = [
  EscalationAction.Remind,
  EscalationAction.Extend,
  EscalationAction.Reassign,
  EscalationAction.Flag,
];

export class EscalationQuery extends PageQuery {
  @BooleanQuery({ default: true, description: 'false: handled escalations too' }) open?: boolean;
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
    type: [CommentResponse],
    description: 'the leaders’ 批示 on it, newest first (a 挂牌督办 carries the newest to the unit)',
  })
  instructions!: CommentResponse[];
}

export class EscalationListResponse extends PageResponse {
  @ApiProperty({ type: [EscalationResponse] }) items!: EscalationResponse[];
}
