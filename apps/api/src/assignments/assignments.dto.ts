import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { hasText, MAX_EVIDENCE_ITEMS, TEXT_LIMITS } from '@county/domain';
import { TextField } from '../common/text-field';

export class AcknowledgeRequest {
  @TextField('note', { optional: true, example: '已签收' }) note?: string;
}

export class ProgressRequest {
  @TextField('progressNote', { example: '已完成方案起草' }) note!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 40 }) @IsInt() @Min(0) @Max(100) percent!: number;
}

export class SubmitRequest {
  @TextField('report', { example: '已按要求完成，详见附件' }) summary!: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', maxLength: TEXT_LIMITS.evidenceItem },
    maxItems: MAX_EVIDENCE_ITEMS,
    description: `links or file references, at most ${MAX_EVIDENCE_ITEMS}`,
  })
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
  evidence!: string[];
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
