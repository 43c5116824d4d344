import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FreeObject, NullableNumber } from '../common/api-schema';
import { IsOptional, IsUUID } from 'class-validator';

export class DashboardQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'task and assignment figures for this plan only' })
  @IsOptional()
  @IsUUID()
  planId?: string;
}

class CountsResponse {
  @FreeObject({ values: 'number' }) byStatus!: Record<string, number>;
  @FreeObject({ values: 'number' }) byLight!: Record<string, number>;
  @ApiProperty() total!: number;
}

class OpenByLightResponse {
  @ApiProperty() green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
}

export class AssignmentUnitMetricsResponse {
  @ApiProperty({ description: '1 = best' }) rank!: number;
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() total!: number;
  @ApiProperty() approved!: number;
  @ApiProperty() approvedOnTime!: number;
  @NullableNumber() onTimeRate!: number | null;
  @ApiProperty() overdue!: number;
  @ApiProperty({ type: OpenByLightResponse }) open!: OpenByLightResponse;
}

export class CallUnitMetricsResponse {
  @ApiProperty({ description: '1 = best' }) rank!: number;
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() received!: number;
  @ApiProperty() responded!: number;
  @ApiProperty() responseRate!: number;
  @ApiProperty() onTimeResponseRate!: number;
  @ApiProperty() resolutionRate!: number;
  @ApiProperty() onTimeResolutionRate!: number;
  @NullableNumber() satisfactionRate!: number | null;
  @ApiProperty() reworkCount!: number;
  @NullableNumber() averageResponseSeconds!: number | null;
}

export class TownshipCallMetricsResponse {
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() raised!: number;
}

class AssignmentCountsResponse extends CountsResponse {
  @ApiProperty({ type: [AssignmentUnitMetricsResponse] }) units!: AssignmentUnitMetricsResponse[];
}

class CallCountsResponse extends CountsResponse {
  @ApiProperty({ type: [CallUnitMetricsResponse] }) units!: CallUnitMetricsResponse[];
  @ApiProperty({ type: [TownshipCallMetricsResponse] }) townships!: TownshipCallMetricsResponse[];
}

export class DashboardResponse {
  @ApiProperty({ type: CountsResponse }) tasks!: CountsResponse;
  @ApiProperty({ type: AssignmentCountsResponse }) assignments!: AssignmentCountsResponse;
  @ApiProperty({ type: CallCountsResponse }) calls!: CallCountsResponse;
}
