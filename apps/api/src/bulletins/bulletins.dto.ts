import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { BulletinTrigger } from '@county/domain';
import type { BulletinRecord } from '@county/persistence';
import { NullableNumber, NullableString } from '../common/api-schema';
import { PageQuery, PageResponse } from '../common/pagination';

export class GenerateBulletinRequest {
  @ApiProperty({
    example: '2026-11',
    maxLength: 16,
    pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$',
    description: 'a month (YYYY-MM) or a quarter (YYYY-Qn) that has begun',
  })
  @IsString()
  @MaxLength(16)
  period!: string;
}

export class BulletinListQuery extends PageQuery {}

export class BulletinFiguresResponse {
  @ApiProperty({ description: 'tasks now' }) tasks!: number;
  @ApiProperty({ description: 'tasks in red now' }) redTasks!: number;
  @ApiProperty({ description: 'assignments overdue now' }) overdue!: number;
  @NullableNumber({ description: 'approved on time / approved, now (0…1)' }) onTimeRate!: number | null;
  @ApiProperty({ description: '乡呼县应 calls raised in the period' }) callsRaised!: number;
  @ApiProperty({ description: '挂牌督办 items in the bulletin' }) flagged!: number;
}

export class BulletinResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ enum: ['month', 'quarter'] }) periodKind!: string;
  @ApiProperty({ enum: BulletinTrigger, enumName: 'BulletinTrigger' }) trigger!: BulletinTrigger;
  @ApiProperty({ description: '1 for the period’s first bulletin; a manual re-issue is the next' }) version!: number;
  @ApiProperty({ example: '平罗县改革任务督查通报（2026年11月）' }) title!: string;
  @ApiProperty({ example: '2026年第11期' }) issueNumber!: string;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @NullableString({ format: 'uuid', description: 'the supervisor who generated it; null for the schedule' })
  generatedBy!: string | null;
  @ApiProperty({ description: 'the .docx file’s sha256' }) fileSha256!: string;
  @ApiProperty() fileSize!: number;
  @ApiProperty({ type: BulletinFiguresResponse }) figures!: BulletinFiguresResponse;
}

export class BulletinListResponse extends PageResponse {
  @ApiProperty({ type: [BulletinResponse] }) items!: BulletinResponse[];
}

export function bulletinResponse(record: BulletinRecord): BulletinResponse {
  return { ...record };
}
