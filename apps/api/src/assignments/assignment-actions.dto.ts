import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class AcknowledgeRequest {
  @ApiPropertyOptional({ example: '已签收' }) @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

export class ProgressRequest {
  @ApiProperty({ example: '已完成方案起草' }) @IsString() @Length(1, 5000) note!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 40 }) @IsInt() @Min(0) @Max(100) percent!: number;
}

export class SubmitRequest {
  @ApiProperty({ example: '已按要求完成，详见附件' }) @IsString() @Length(1, 10000) summary!: string;
  @ApiProperty({ type: [String], description: 'links or file references, at most 20' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  evidence!: string[];
}

export class ApproveRequest {
  @ApiPropertyOptional({ example: '同意' }) @IsOptional() @IsString() @Length(0, 2000) comment?: string;
}

export class ReturnRequest {
  @ApiProperty({ example: '请补充佐证材料' }) @IsString() @Length(1, 2000) reason!: string;
}

export class ReassignRequest {
  @ApiProperty({ example: 'market', description: 'the unit that takes over the work' })
  @IsString()
  @Length(1, 40)
  toUnitId!: string;
  @ApiProperty({ example: '职能调整，转市场监管局办理' }) @IsString() @Length(1, 2000) reason!: string;
}
