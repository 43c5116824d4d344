import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import {
  CALL_STATUSES,
  DONE_SCOPES,
  DoneScope,
  AssignmentStatus,
  SEARCH_KINDS,
  SEARCH_QUERY_LIMITS,
  SearchKind,
  STORED_TASK_STATUSES,
} from '@county/domain';
import { NullableNumber, NullableString } from '../common/api-schema';
import { DateQuery, EnumQuery, IntegerQuery } from '../common/query-params';
import { LIGHTS } from '../tasks/tasks.dto';

/** A status filter applies to what each kind has: a task's, an assignment's (reports) or a call's status. */
/** Query-string page size of search and 已办: `limit` defaults to 50, at most 200 (a hit costs more than a row). */
export const SEARCH_PAGE_LIMITS = { default: 50, max: 200 } as const;

export const SEARCH_STATUSES = [
  ...new Set([...STORED_TASK_STATUSES, ...Object.values(AssignmentStatus), ...CALL_STATUSES]),
];

export class SearchQuery {
  @ApiProperty({
    minLength: SEARCH_QUERY_LIMITS.min,
    maxLength: SEARCH_QUERY_LIMITS.max,
    description: 'the words to find (1–100 characters after trimming; a substring, Chinese fragments of any length)',
    example: '综合执法',
  })
  // The real rule (trimmed length, no line breaks) is searchQueryOf in libs/domain; this only bounds the raw text.
  @IsString()
  @MaxLength(1000)
  q!: string;
  @EnumQuery(SEARCH_KINDS, { description: 'only this kind (default: tasks, then reports, then calls)' })
  kind?: SearchKind;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
  @ApiPropertyOptional({
    maxLength: 40,
    description: 'a unit taking part (task), reporting (report), or either side of a call',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  unitId?: string;
  @EnumQuery(SEARCH_STATUSES, { description: "the task's, the reporting assignment's or the call's status" })
  status?: string;
  @EnumQuery(LIGHTS) light?: string;
  @DateQuery({
    description: 'due on or after this day (China time); a call: its resolution limit',
    example: '2026-01-01',
  })
  dueFrom?: string;
  @DateQuery({ description: 'due on or before this day (China time)', example: '2026-12-31' }) dueTo?: string;
  @IntegerQuery({ default: SEARCH_PAGE_LIMITS.default, minimum: 1, maximum: SEARCH_PAGE_LIMITS.max }) limit?: number;
  @ApiPropertyOptional({ maxLength: 400, description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}

export class SearchHitResponse {
  @ApiProperty({ enum: SEARCH_KINDS, enumName: 'SearchKind' }) kind!: SearchKind;
  @ApiProperty({ description: "the task's or call's id; a report's audit event number" }) id!: string;
  @ApiProperty({ description: "the task's title (a report: its task's), or the call's subject" }) title!: string;
  @ApiProperty({
    enum: ['title', 'measures', 'goals', 'note', 'subject', 'description', 'resolution'],
    description: 'where the words were found',
  })
  field!: string;
  @ApiProperty({ description: 'the text around the match, cut with …' }) snippet!: string;
  @NullableString({ format: 'uuid' }) taskId!: string | null;
  @NullableNumber({ description: "the task's 序号" }) taskNo!: number | null;
  @NullableString({ format: 'uuid' }) planId!: string | null;
  @NullableString({ format: 'uuid', description: 'a report: the assignment it is on' }) assignmentId!: string | null;
  @NullableString({ format: 'uuid' }) callId!: string | null;
  @NullableString({ description: 'a report: the reporting unit; a call: the called unit' }) unitId!: string | null;
  @NullableString({ description: 'a call: the calling township' }) fromUnitId!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ enum: LIGHTS }) light!: string;
  @NullableString({ format: 'date-time', description: 'a report: when it was made; a call: when it was raised' })
  at!: string | null;
}

export class SearchResponse {
  @ApiProperty({ type: [SearchHitResponse] }) items!: SearchHitResponse[];
  @NullableString({ description: 'send as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class DoneQuery {
  @EnumQuery(DONE_SCOPES, { default: DoneScope.Me, description: "me: what I did; unit: what my unit's people did" })
  scope?: DoneScope;
  @IntegerQuery({ default: SEARCH_PAGE_LIMITS.default, minimum: 1, maximum: SEARCH_PAGE_LIMITS.max }) limit?: number;
  @ApiPropertyOptional({ maxLength: 400, description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}

export class DoneItemResponse {
  @ApiProperty({ description: 'the audit event number' }) seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'the audit action, e.g. assignment.submit (the console names it in Chinese)' })
  action!: string;
  @ApiProperty({ format: 'uuid' }) actorUserId!: string;
  @NullableString() actorName!: string | null;
  @NullableString() actorUnitId!: string | null;
  @ApiProperty({ enum: ['task', 'assignment', 'call'] }) subjectType!: string;
  @ApiProperty() subjectId!: string;
  @NullableString({ format: 'uuid' }) taskId!: string | null;
  @NullableNumber() taskNo!: number | null;
  @NullableString() taskTitle!: string | null;
  @NullableString({ format: 'uuid' }) planId!: string | null;
  @NullableString() planTitle!: string | null;
  @NullableString({ format: 'uuid' }) assignmentId!: string | null;
  @NullableString({ description: "the assignment's unit" }) unitId!: string | null;
  @NullableString({ format: 'uuid' }) callId!: string | null;
  @NullableString() callSubject!: string | null;
}

export class DoneResponse {
  @ApiProperty({ type: [DoneItemResponse] }) items!: DoneItemResponse[];
  @NullableString({ description: 'send as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}
