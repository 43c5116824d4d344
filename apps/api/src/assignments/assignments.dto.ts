import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import {
  ASSIGNMENT_ACTIONS,
  AssignmentAction,
  AssignmentRole,
  AssignmentStatus,
  hasText,
  MAX_EVIDENCE_ITEMS,
  TEXT_LIMITS,
} from '@county/domain';
import { FreeObject, NullableNumber, NullableString, Strings } from '../common/api-schema';
import { TextField } from '../common/text-field';
import { AttachmentIds, AttachmentRefResponse } from '../attachments/attachments.dto';
import { HandlerResponse } from '../people/people.dto';

export class AcknowledgeRequest {
  @TextField('note', { optional: true, example: '已签收' }) note?: string;
}

export class ProgressRequest {
  @TextField('progressNote', { example: '已完成方案起草' }) note!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 40 }) @IsInt() @Min(0) @Max(100) percent!: number;
  @AttachmentIds() attachmentIds?: string[];
}

export class SubmitRequest {
  @TextField('report', { example: '已按要求完成，详见附件' }) summary!: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: TEXT_LIMITS.evidenceItem },
    maxItems: MAX_EVIDENCE_ITEMS,
    description: `佐证材料 given as text (links, document numbers), at most ${MAX_EVIDENCE_ITEMS}; files go in attachmentIds`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_EVIDENCE_ITEMS)
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.evidenceItem, { each: true })
  @ValidateBy({
    name: 'entriesHaveText',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((item) => typeof item !== 'string' || hasText(item)),
      defaultMessage: () => 'each evidence entry must contain text',
    },
  })
  evidence?: string[];
  @AttachmentIds() attachmentIds?: string[];
}

export class WithdrawRequest {
  @TextField('reason', { example: '报送材料有误，撤回修改' }) reason!: string;
}

export class ApproveRequest {
  @TextField('note', { optional: true, example: '同意' }) comment?: string;
}

export class ReturnRequest {
  @TextField('reason', { example: '请补充佐证材料' }) reason!: string;
}

export class ReassignRequest {
  @TextField('unitId', { example: 'market', description: 'the unit that takes over the work' }) toUnitId!: string;
  @TextField('reason', { example: '职能调整，转市场监管局办理' }) reason!: string;
}

export class SubmittedReportResponse {
  @ApiProperty() summary!: string;
  @Strings({ description: '佐证材料 given as text' }) evidence!: string[];
  @ApiProperty({ type: [AttachmentRefResponse] }) attachments!: AttachmentRefResponse[];
  @ApiProperty({ format: 'date-time' }) at!: string;
  @NullableString({ format: 'uuid' }) byUserId!: string | null;
}

export class ProgressReportResponse {
  @ApiProperty({ minimum: 0, maximum: 100 }) percent!: number;
  @ApiProperty() note!: string;
  @ApiProperty({ type: [AttachmentRefResponse] }) attachments!: AttachmentRefResponse[];
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ReturnedReportResponse {
  @ApiProperty({ description: '退回 reason given by the lead unit’s head' }) reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** What the people who decide on an assignment see of it: the report, its files, the percentage, a return's reason. */
export class LatestReportResponse {
  @ApiProperty({ type: SubmittedReportResponse, nullable: true, description: 'the last submitted report' })
  submitted!: SubmittedReportResponse | null;
  @ApiProperty({ type: ProgressReportResponse, nullable: true, description: 'the last progress report' })
  progress!: ProgressReportResponse | null;
  @ApiProperty({ type: ReturnedReportResponse, nullable: true, description: 'the last 退回' })
  returned!: ReturnedReportResponse | null;
}

/** One step of the report history: progress, submission, 退回, approval, 撤回 (audit payloads, files as references). */
export class ReportEventResponse {
  @ApiProperty({ example: 'assignment.submit' }) action!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @NullableString({ format: 'uuid' }) actorUserId!: string | null;
  @NullableString() actorUnitId!: string | null;
  @FreeObject() payload!: Record<string, unknown>;
}

export class AssignmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ example: 'finance' }) unitId!: string;
  @ApiProperty({ enum: AssignmentRole, enumName: 'AssignmentRole' }) role!: AssignmentRole;
  @ApiProperty({ enum: AssignmentStatus, enumName: 'AssignmentStatus' }) status!: string;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
  @ApiProperty({ minimum: 0, maximum: 3 }) escalationLevel!: number;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @NullableString({ description: '转办: the assignment this one took over from' }) reassignedFromId!: string | null;
  @ApiProperty({
    enum: ASSIGNMENT_ACTIONS,
    enumName: 'AssignmentAction',
    isArray: true,
    description: 'what the current user may do to it now, in the order the console shows buttons',
  })
  allowedActions!: AssignmentAction[];
  @ApiProperty({ type: HandlerResponse, nullable: true, description: '承办人 (null: nobody named)' })
  handler!: HandlerResponse | null;
  @ApiPropertyOptional({
    type: LatestReportResponse,
    description: 'the unit’s latest report, progress and 退回 (on GET /tasks/{id} and /assignments/{id})',
  })
  report?: LatestReportResponse;
}

export class AssignmentTaskResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty() no!: number;
  @ApiProperty() title!: string;
  @Strings() leadUnitIds!: string[];
  @ApiProperty() status!: string;
}

export class AssignmentDetailResponse {
  @ApiProperty({ type: AssignmentResponse }) assignment!: AssignmentResponse;
  @ApiProperty({ type: AssignmentTaskResponse }) task!: AssignmentTaskResponse;
  @ApiProperty({ type: [ReportEventResponse], description: 'the full report history, oldest first' })
  reports!: ReportEventResponse[];
}

/** The assignment workflow's answer to an action: where the assignment stands now. */
export class AssignmentViewResponse {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ enum: AssignmentRole, enumName: 'AssignmentRole' }) role!: AssignmentRole;
  @ApiProperty({ enum: AssignmentStatus, enumName: 'AssignmentStatus' }) status!: AssignmentStatus;
  @NullableNumber() percent!: number | null;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: 'green' | 'yellow' | 'red';
}

/** 加签 / 转办: the assignment the new unit got. */
export class AddedAssignmentResponse {
  @ApiProperty({ format: 'uuid' }) assignmentId!: string;
  @ApiProperty() unitId!: string;
  @NullableString() reassignedFromId!: string | null;
}
