import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PERIOD_FORMAT } from '@county/domain';
import { NullableNumber } from '../common/api-schema';

/** The shape only; parsePeriod (libs/domain) decides, and the service answers 400 for what it refuses. */
const PERIOD_TEXT = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/;

export class AssessmentQuery {
  @ApiProperty({
    description: `the period: ${PERIOD_FORMAT}, China time`,
    example: '2026-11',
    maxLength: 7,
    pattern: PERIOD_TEXT.source,
  })
  @IsString()
  @MaxLength(7)
  @Matches(PERIOD_TEXT, { message: `period must be ${PERIOD_FORMAT}` })
  period!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'assignment figures of this plan only (calls belong to no plan)',
  })
  @IsOptional()
  @IsUUID()
  planId?: string;
}

class AssessmentComponentsResponse {
  @NullableNumber({ description: '任务按时完成率 0…1; null: no assignment due in the period' }) taskOnTime!:
    number | null;
  @NullableNumber({ description: '呼应按时响应率 0…1; null: no call received' }) callResponse!: number | null;
  @NullableNumber({ description: '按时办结率 0…1; null: no call received' }) callResolution!: number | null;
  @NullableNumber({ description: '满意率 0…1; null: no evaluation' }) satisfaction!: number | null;
}

class EscalationsByLevelResponse {
  @ApiProperty() level1!: number;
  @ApiProperty() level2!: number;
  @ApiProperty() level3!: number;
}

class AssessmentFiguresResponse {
  @ApiProperty({
    description: 'assignments whose assessed deadline falls in the period (and has passed, or approved on time)',
  })
  assignmentsDue!: number;
  @ApiProperty() approvedOnTime!: number;
  @ApiProperty({ description: 'approved late, or past the deadline and escalated' }) overdue!: number;
  @ApiProperty({ type: EscalationsByLevelResponse, description: 'deadline escalations raised in the period' })
  escalations!: EscalationsByLevelResponse;
  @ApiProperty() callsReceived!: number;
  @ApiProperty() respondedOnTime!: number;
  @ApiProperty() resolvedOnTime!: number;
  @ApiProperty() satisfied!: number;
  @ApiProperty({ description: '不满意 evaluations (返工)' }) rework!: number;
}

export class AssessmentUnitResponse {
  @ApiProperty({ description: '1 = best; equal scores share a rank' }) rank!: number;
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ description: '0…100, two decimals' }) score!: number;
  @ApiProperty({ description: 'points from the weighted rates, before deductions' }) base!: number;
  @ApiProperty({ description: 'points taken off for overdue work and escalations' }) deductions!: number;
  @ApiProperty({ type: AssessmentComponentsResponse }) components!: AssessmentComponentsResponse;
  @ApiProperty({ type: AssessmentFiguresResponse }) figures!: AssessmentFiguresResponse;
}

class AssessmentWeightsResponse {
  @ApiProperty() taskOnTime!: number;
  @ApiProperty() callResponse!: number;
  @ApiProperty() callResolution!: number;
  @ApiProperty() satisfaction!: number;
}

class AssessmentDeductionsResponse {
  @ApiProperty() perOverdue!: number;
  @ApiProperty({ type: EscalationsByLevelResponse }) perEscalation!: EscalationsByLevelResponse;
}

class AssessmentPolicyResponse {
  @ApiProperty({ type: AssessmentWeightsResponse }) weights!: AssessmentWeightsResponse;
  @ApiProperty({ type: AssessmentDeductionsResponse }) deductions!: AssessmentDeductionsResponse;
}

export class AssessmentResponse {
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ format: 'date-time', description: 'start of the period (inclusive), China time' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'end of the period (exclusive)' }) to!: string;
  @ApiProperty({ type: AssessmentPolicyResponse, description: 'the weights and deductions the scores use' })
  policy!: AssessmentPolicyResponse;
  @ApiProperty({ description: 'units ranked in all (a unit user sees only its own row)' }) rankedUnits!: number;
  @ApiProperty({ type: [AssessmentUnitResponse], description: 'best first' }) units!: AssessmentUnitResponse[];
}
