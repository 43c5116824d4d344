import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, ValidateIf } from 'class-validator';
import { EscalationAction, TEXT_LIMITS } from '@county/domain';
import { DeadlineField, TextField } from '../common/text-field';
import { BooleanQuery, IntegerQuery } from '../common/query-params';

/** What the supervision office can do with an escalation: 催办, extend the deadline, 转办, 挂牌督办. */
export const HANDLING_ACTIONS: readonly EscalationAction[] = [
  EscalationAction.Remind,
  EscalationAction.Extend,
  EscalationAction.Reassign,
  EscalationAction.Flag,
];

export class EscalationQuery {
  @BooleanQuery({ default: true, description: 'false: handled escalations too' }) open?: boolean;
  @IntegerQuery({ default: 200, minimum: 1, maximum: 500 }) limit?: number;
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
