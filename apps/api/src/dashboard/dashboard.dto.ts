import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class DashboardQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'task and assignment figures for this plan only' })
  @IsOptional()
  @IsUUID()
  planId?: string;
}
