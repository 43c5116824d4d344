import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { CommentKind, CommentSubjectType, MAX_MENTIONED_UNITS, TEXT_LIMITS } from '@county/domain';
import { NullableString } from '../common/api-schema';
import { TextField } from '../common/text-field';
import { PageResponse } from '../common/pagination';

export class NewCommentRequest {
  @TextField('comment', { example: '请县审批局协调窗口人员，本周内完成事项清单梳理。' }) body!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: TEXT_LIMITS.unitId },
    maxItems: MAX_MENTIONED_UNITS,
    description:
      'units to name (提及): each must take part in the thread (else 422 MENTION_NOT_PARTICIPANT) and is notified',
    example: ['approval'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_MENTIONED_UNITS)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, TEXT_LIMITS.unitId, { each: true })
  mentionedUnitIds?: string[];
}

export class NewInstructionRequest {
  @TextField('comment', { example: '此项改革事关群众办事便利，请牵头单位倒排工期，月底前见成效。' }) body!: string;
}

export class CommentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CommentSubjectType, enumName: 'CommentSubjectType' }) subjectType!: CommentSubjectType;
  @ApiProperty({ format: 'uuid' }) subjectId!: string;
  @NullableString({ format: 'uuid', description: 'the task it belongs to or is pinned on (null for a call)' })
  taskId!: string | null;
  @ApiProperty({ enum: CommentKind, enumName: 'CommentKind', description: 'comment, or a leader’s 批示' })
  kind!: CommentKind;
  @ApiProperty() body!: string;
  @ApiProperty({ type: [String] }) mentionedUnitIds!: string[];
  @ApiProperty({ format: 'uuid' }) authorUserId!: string;
  @ApiProperty({ description: 'the author’s name as it was when they wrote it' }) authorName!: string;
  @ApiProperty() authorUnitId!: string;
  @ApiProperty({ example: '县领导' }) authorUnitName!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CommentListResponse extends PageResponse {
  @ApiProperty({
    type: [CommentResponse],
    description: 'oldest first within the page; nextCursor: the comments before',
  })
  items!: CommentResponse[];
}
