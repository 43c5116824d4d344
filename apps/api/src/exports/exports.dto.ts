import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { AssignmentStatus, CALL_STATUSES, CallStatus } from '@county/domain';
import { EnumQuery } from '../common/query-params';
import { LIGHTS } from '../tasks/tasks.dto';

/** A calendar day, YYYY-MM-DD: a deadline is a day (it ends at 23:59:59 Asia/Shanghai, DESIGN §5). */
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function DayQuery(description: string): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ type: String, format: 'date', maxLength: 10, example: '2027-06-30', description })(
      target,
      property,
    );
    IsOptional()(target, property);
    Matches(DAY, { message: `${String(property)} must be a day, YYYY-MM-DD` })(target, property);
  };
}

/** GET /tasks' filters, applied to the ledger's rows — assignments, so status and light are the assignment's. */
export class LedgerExportQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
  @ApiPropertyOptional({ maxLength: 40, description: "the assignment's unit" })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  unitId?: string;
  @EnumQuery(Object.values(AssignmentStatus), { description: "the assignment's status" }) status?: string;
  @EnumQuery(LIGHTS, { description: "the assignment's light" }) light?: string;
  @DayQuery('assignments due on or after this day (Asia/Shanghai); assignments without a deadline are left out')
  dueFrom?: string;
  @DayQuery('assignments due on or before this day (Asia/Shanghai)')
  dueTo?: string;
}

/** GET /dashboard's filter. */
export class UnitRankingExportQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'assignments of this plan only' })
  @IsOptional()
  @IsUUID()
  planId?: string;
}

/** GET /calls' filters. */
export class CallLedgerExportQuery {
  @EnumQuery(CALL_STATUSES) status?: CallStatus;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) fromUnitId?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @Length(1, 40) toUnitId?: string;
}
