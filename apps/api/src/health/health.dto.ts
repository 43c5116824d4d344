import { ApiProperty } from '@nestjs/swagger';

export class HealthReportResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) db!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down'] }) temporal!: 'up' | 'down';
}
