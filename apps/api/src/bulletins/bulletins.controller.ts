import { Body, Controller, Get, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Role, User } from '@county/domain';
import { BULLETIN_KEY } from '@county/persistence';
import { contentDisposition } from '../attachments/attachments.controller';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { pageOf, pageRequest } from '../common/pagination';
import {
  BulletinListQuery,
  BulletinListResponse,
  BulletinResponse,
  bulletinResponse,
  GenerateBulletinRequest,
} from './bulletins.dto';
import { BulletinsService } from './bulletins.service';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

@ApiTags('bulletins')
@ApiBearerAuth()
@Controller('bulletins')
export class BulletinsController {
  constructor(private readonly bulletins: BulletinsService) {}

  @Post()
  @Roles(Role.Supervisor)
  @ApiCreatedResponse({ type: BulletinResponse })
  @ApiOperation({
    summary:
      '督查通报: generate the .docx of a month or quarter now (a new version each time), notify every unit and the leaders.',
  })
  async generate(@CurrentUser() user: User, @Body() body: GenerateBulletinRequest): Promise<BulletinResponse> {
    return bulletinResponse(await this.bulletins.generate(user, body.period));
  }

  @Get()
  @ApiOkResponse({ type: BulletinListResponse })
  @ApiOperation({ summary: 'Bulletins, newest first (scheduled and manual), with their key figures: every user.' })
  async list(@Query() query: BulletinListQuery): Promise<BulletinListResponse> {
    return pageOf(await this.bulletins.list(pageRequest(query, BULLETIN_KEY.length)), bulletinResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: BulletinResponse })
  @ApiOperation({ summary: 'One bulletin’s record.' })
  async get(@Param('id') id: string): Promise<BulletinResponse> {
    return bulletinResponse(await this.bulletins.get(id));
  }

  @Get(':id/content')
  @ApiOkResponse({
    description: 'the .docx, named after its title in Content-Disposition',
    content: { [DOCX]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({ summary: 'Download a bulletin’s .docx.' })
  async content(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const { bulletin, body } = await this.bulletins.download(id);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('cache-control', 'private, max-age=0, must-revalidate');
    void reply.header('etag', `"${bulletin.fileSha256}"`);
    const name = bulletin.version > 1 ? `${bulletin.title}（第${bulletin.version}版）.docx` : `${bulletin.title}.docx`;
    return new StreamableFile(body, {
      type: DOCX,
      length: bulletin.fileSize,
      disposition: contentDisposition('attachment', name),
    });
  }
}
