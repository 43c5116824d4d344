import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';
import { ATTACHMENT_CONTENT_TYPES, ATTACHMENT_LIMITS } from '@county/domain';
import { singleFileForm } from '../common/api-schema';
import { EnumQuery } from '../common/query-params';

/** A file as an action carried it (its audit event's reference): enough to list, preview and download it. */
export class AttachmentRefResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'the file name as given by the uploader' }) name!: string;
  @ApiProperty({ description: 'bytes' }) size!: number;
  @ApiProperty({ description: 'hex sha256 of the bytes; the audit chain records it' }) sha256!: string;
  @ApiProperty({ enum: ATTACHMENT_CONTENT_TYPES, description: 'decided from the content, not the name' })
  contentType!: string;
  @ApiProperty({ description: 'an image or a PDF: the console previews it (…/content?disposition=inline)' })
  previewable!: boolean;
}

/** A 佐证材料 file as the API shows it: never its bytes (GET /attachments/{id}/content has them). */
export class AttachmentResponse extends AttachmentRefResponse {
  @ApiProperty({ description: 'the unit that uploaded it' }) unitId!: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
}

export const ATTACHMENT_UPLOAD_SCHEMA = singleFileForm(
  `one file: PDF, OFD, DOC/DOCX, XLS/XLSX, JPEG or PNG (by content), at most ${ATTACHMENT_LIMITS.fileBytes} bytes`,
);

/**
 * `attachmentIds` on an action's body (a report, a consolidation, an extension request, a call's raising,
 * resolution or evaluation): files the actor's unit uploaded (POST /attachments), at most ATTACHMENT_LIMITS.
 */
export function AttachmentIds() {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: ATTACHMENT_LIMITS.filesPerItem,
      uniqueItems: true,
      description: `佐证材料: ids from POST /attachments, uploaded by your unit; at most ${ATTACHMENT_LIMITS.filesPerItem} files, ${ATTACHMENT_LIMITS.bytesPerItem} bytes together`,
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(ATTACHMENT_LIMITS.filesPerItem),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}

export class AttachmentContentQuery {
  @EnumQuery(['attachment', 'inline'], {
    default: 'attachment',
    description: 'inline: open an image or PDF in the browser (other types are always downloaded)',
  })
  disposition?: 'attachment' | 'inline';
}
