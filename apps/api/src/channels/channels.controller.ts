import { Body, Controller, Delete, Get, HttpCode, Param, Put, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  ChannelEndpointListResponse,
  ChannelEndpointQuery,
  ChannelEndpointRequest,
  ChannelEndpointResponse,
} from './channels.dto';
import { ChannelsService } from './channels.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('channel-endpoints')
@Roles(Role.Admin)
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  @ApiOkResponse({ type: ChannelEndpointListResponse })
  @ApiOperation({ summary: "The units' 企业微信/钉钉 robots and webhooks, and the county-wide webhooks (admin)." })
  list(@Query() query: ChannelEndpointQuery): Promise<ChannelEndpointListResponse> {
    return this.channels.list(query);
  }

  @Post()
  @ApiCreatedResponse({ type: ChannelEndpointResponse })
  @ApiOperation({
    summary:
      'Add a robot or webhook (admin). The URL must be https to a public address (robots: their official host) unless its host is in NOTIFY_ALLOWED_HOSTS.',
  })
  create(@CurrentUser() user: User, @Body() body: ChannelEndpointRequest): Promise<ChannelEndpointResponse> {
    return this.channels.create(user, body);
  }

  @Put(':id')
  @ApiOkResponse({ type: ChannelEndpointResponse })
  @ApiOperation({ summary: 'Replace a robot or webhook (admin); an omitted secret is kept.' })
  update(
    @CurrentUser() user: User,
    @Param('id') id: string,
    @Body() body: ChannelEndpointRequest,
  ): Promise<ChannelEndpointResponse> {
    return this.channels.update(user, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a robot or webhook (admin); its pending deliveries are skipped.' })
  async remove(@CurrentUser() user: User, @Param('id') id: string): Promise<void> {
    await this.channels.remove(user, id);
  }
}
