import { Controller, Get, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ATTACHMENT_CONTENT_TYPES, isPreviewable, Role, safeFileName, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { StreamedUpload } from '../common/idempotency.interceptor';
import { ATTACHMENT_UPLOAD_SCHEMA, AttachmentContentQuery, AttachmentResponse } from './attachments.dto';
import { AttachmentsService } from './attachments.service';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  // Files are attached by the people who report, resolve and request: a unit's staff and head.
  @Roles(Role.Staff, Role.Head)
  @StreamedUpload()
  @ApiConsumes('multipart/form-data')
  @ApiBody(ATTACHMENT_UPLOAD_SCHEMA)
  @ApiCreatedResponse({ type: AttachmentResponse })
  @ApiOperation({
    summary:
      '佐证材料: upload one file (streamed; type decided from its content, 415 otherwise; 413 over the limit). Attach it by id to a report, consolidation, extension request or call.',
  })
  upload(@Req() request: FastifyRequest, @CurrentUser() user: User): Promise<AttachmentResponse> {
    return this.attachments.upload(request, user);
  }

  @Get(':id')
  @ApiOkResponse({ type: AttachmentResponse })
  @ApiOperation({
    summary: 'A file’s name, size, type and sha256: for its unit and the readers of what it is attached to.',
  })
  describe(@Param('id') id: string, @CurrentUser() user: User): Promise<AttachmentResponse> {
    return this.attachments.describe(id, user);
  }

  @Get(':id/content')
  @ApiOkResponse({
    description: 'the file’s bytes, with its original name in Content-Disposition',
    content: Object.fromEntries(
      ATTACHMENT_CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiOperation({ summary: 'Download or preview a file: authorized like the item it is attached to.' })
  async content(
    @Param('id') id: string,
    @Query() query: AttachmentContentQuery,
    @CurrentUser() user: User,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { attachment, body } = await this.attachments.download(id, user);
    const inline = query.disposition === 'inline' && isPreviewable(attachment.contentType);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('cache-control', 'private, max-age=0, must-revalidate');
    void reply.header('etag', `"${attachment.sha256}"`);
    return new StreamableFile(body, {
      type: attachment.contentType,
      length: attachment.size,
      disposition: contentDisposition(inline ? 'inline' : 'attachment', attachment.name),
    });
  }
}

/**
 * RFC 6266: the name as given in `filename*` (UTF-8, so 关于印发……的通知.pdf arrives as it was uploaded), and an ASCII
 * stand-in in `filename` for old clients. Both come from safeFileName: no path, no control characters, no quotes.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const safe = safeFileName(name);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/[%;]/g, '_');
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
