import { ApiProperty } from '@nestjs/swagger';
import { AssignmentRecord } from '@county/domain';
import { AssignmentRole, AssignmentStatus, DeadlineKind } from '@county/domain';
import { FreeObject, NullableNumber, NullableString, Strings } from '../common/api-schema';
import { AssignmentResponse } from '../assignments/assignments.dto';
import { TaskRecordResponse } from '../tasks/tasks.dto';
import { PageResponse } from '../common/pagination';

export class PlanSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() sourceSha256!: string;
  @ApiProperty({ enum: ['txt', 'docx', 'xlsx'] }) sourceFormat!: 'txt' | 'docx' | 'xlsx';
  @ApiProperty() sourceFilename!: string;
  @ApiProperty({ format: 'date-time' }) importedAt!: string;
  @ApiProperty() importedBy!: string;
  @ApiProperty() taskCount!: number;
}

export class PlanListItemResponse extends PlanSummaryResponse {
  @ApiProperty({
    description:
      'live assignments (with a unit or waiting for review) on tasks not closed or cancelled: the board opens on the plan with the most',
  })
  openAssignments!: number;
}

export class PlanListResponse extends PageResponse {
  @ApiProperty({ type: [PlanListItemResponse] }) items!: PlanListItemResponse[];
  @ApiProperty({ description: 'plans in all pages' }) total!: number;
}

export class PlanAssignmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ enum: AssignmentRole, enumName: 'AssignmentRole' }) role!: AssignmentRole;
  @ApiProperty({ enum: AssignmentStatus, enumName: 'AssignmentStatus' }) status!: string;
  @NullableString({ format: 'date-time' }) dueAt!: string | null;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) light!: string;
  @NullableString() reassignedFromId!: string | null;
}

export class PlanTaskResponse extends TaskRecordResponse {
  @ApiProperty({ type: [PlanAssignmentResponse] }) assignments!: AssignmentRecord[];
}

export class PlanWarningResponse {
  @ApiProperty({ description: 'the line of a .txt, the table row of a .docx, the row of the sheet of an .xlsx' })
  line!: number;
  @ApiProperty({ required: false, description: 'the worksheet of an .xlsx (absent for .txt and .docx)' })
  sheet?: string;
  @ApiProperty() message!: string;
}

export class TaskWithoutDeadlineResponse {
  @ApiProperty() no!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'the 完成时限 text as written' }) deadlineText!: string;
}

/** Tasks whose 完成时限 was not understood: imported without a deadline until the supervision office sets one. */
export class UnknownDeadlinesResponse {
  @ApiProperty({ type: [TaskWithoutDeadlineResponse] }) tasks!: TaskWithoutDeadlineResponse[];
  @ApiProperty({ description: 'what the supervision office must do, in Chinese' }) message!: string;
}

const UNKNOWN_DEADLINES = {
  type: UnknownDeadlinesResponse,
  nullable: true,
  description: 'tasks whose 完成时限 was not understood (null when every deadline was understood)',
} as const;

export class PlanWithTasksResponse extends PlanSummaryResponse {
  @FreeObject({ description: 'the plan policy, resolved and validated at import' }) policy!: Record<string, unknown>;
  @NullableNumber() deadlineYear!: number | null;
  @ApiProperty({ type: [PlanWarningResponse] }) warnings!: PlanWarningResponse[];
  @ApiProperty({ type: [PlanTaskResponse] }) tasks!: PlanTaskResponse[];
}

export class PlanDetailAssignmentResponse extends AssignmentResponse {
  @NullableNumber({ description: 'the percentage its latest progress report gave (null: no progress report yet)' })
  percent!: number | null;
}

/** A task's units at a glance (taskProgress in @county/domain): counts out of `total`, and the reported percentage. */
export class TaskProgressResponse {
  @ApiProperty({ description: 'units on the task (not moved away by 转办, taken off by 减签 or cancelled)' })
  total!: number;
  @ApiProperty({ description: 'units that have signed for it (签收), whatever came after' }) acknowledged!: number;
  @ApiProperty({ description: 'units whose report is in and stands (submitted or approved)' }) submitted!: number;
  @ApiProperty({ description: 'units whose report the lead unit approved (通过)' }) approved!: number;
  @ApiProperty({ description: 'units whose report was sent back (退回) and not yet resubmitted' }) returned!: number;
  @NullableNumber({
    description:
      'mean of the units’ latest reported percentages (approved counts 100, never reported 0), rounded; null without units',
  })
  percent!: number | null;
}

export class PlanDetailTaskResponse extends TaskRecordResponse {
  @ApiProperty({
    type: [PlanDetailAssignmentResponse],
    description: 'each with what the current user may do to it now',
  })
  assignments!: PlanDetailAssignmentResponse[];
  @ApiProperty({ type: TaskProgressResponse }) progress!: TaskProgressResponse;
}

/** GET /plans/:id: the plan as the board shows it, each assignment with its allowedActions (催办 from the board). */
export class PlanDetailResponse extends PlanWithTasksResponse {
  @ApiProperty({ type: [PlanDetailTaskResponse] }) declare tasks: PlanDetailTaskResponse[];
}

export class ImportedPlanResponse extends PlanWithTasksResponse {
  @ApiProperty(UNKNOWN_DEADLINES) unknownDeadlines!: UnknownDeadlinesResponse | null;
}

export class ParsedDeadlineResponse {
  @ApiProperty() text!: string;
  @NullableString() date!: string | null;
  @ApiProperty({ enum: DeadlineKind, enumName: 'DeadlineKind' }) kind!: DeadlineKind;
}

export class ParsedTaskResponse {
  @ApiProperty() no!: number;
  @ApiProperty() title!: string;
  @Strings() measures!: string[];
  @Strings() goals!: string[];
  @Strings() leadUnits!: string[];
  @Strings() responsibleUnits!: string[];
  @ApiProperty() allTownships!: boolean;
  @ApiProperty() relatedDepartments!: boolean;
  @ApiProperty({ type: ParsedDeadlineResponse }) deadline!: ParsedDeadlineResponse;
}

export class ParsedPlanResponse {
  @ApiProperty() title!: string;
  @ApiProperty({ type: [ParsedTaskResponse] }) tasks!: ParsedTaskResponse[];
  @ApiProperty({ type: [PlanWarningResponse] }) warnings!: PlanWarningResponse[];
}

export class UnitResolutionResponse {
  @FreeObject({ description: 'every unit name the plan mentions, mapped to a registry unit id' })
  resolved!: Record<string, string>;
  @Strings({ description: 'names no unit in the registry carries' }) unresolved!: string[];
  @Strings({ description: 'names of units retired without a successor (not accepted for new work)' })
  retired!: string[];
}

export class PlanPreviewResponse {
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['txt', 'docx', 'xlsx'] }) format!: 'txt' | 'docx' | 'xlsx';
  @ApiProperty() sourceSha256!: string;
  @Strings({ description: 'plans already imported from this exact file' }) alreadyImportedAs!: string[];
  @ApiProperty({ type: ParsedPlanResponse }) plan!: ParsedPlanResponse;
  @ApiProperty({ type: UnitResolutionResponse }) units!: UnitResolutionResponse;
  @ApiProperty(UNKNOWN_DEADLINES) unknownDeadlines!: UnknownDeadlinesResponse | null;
}
