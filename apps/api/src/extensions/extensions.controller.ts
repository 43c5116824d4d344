import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  DecisionBody,
  ExtensionRequestBody,
  ExtensionRequestListResponse,
  ExtensionRequestQuery,
  ExtensionRequestResponse,
} from './extensions.dto';
import { ExtensionsService } from './extensions.service';

/**
 * Extensions (DESIGN §4.5): the assigned unit asks before its deadline, the supervision office decides.
 * Only an approved request moves the unit's deadline; until then it is measured against the original.
 */
@ApiTags('assignments')
@ApiBearerAuth()
@Controller()
export class ExtensionsController {
  constructor(private readonly extensions: ExtensionsService) {}

  @Post('assignments/:id/extension-requests')
  @ApiCreatedResponse({ type: ExtensionRequestResponse })
  @ApiOperation({
    summary: 'Ask for a later deadline, before the current one passes: staff or head of the assigned unit.',
  })
  request(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: ExtensionRequestBody,
  ): Promise<ExtensionRequestResponse> {
    return this.extensions.request(id, user, body);
  }

  @Get('extension-requests')
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: ExtensionRequestListResponse })
  @ApiOperation({ summary: 'Extension requests in one status (default pending), oldest first, with unit and task.' })
  list(@CurrentUser() user: User, @Query() query: ExtensionRequestQuery): Promise<ExtensionRequestListResponse> {
    return this.extensions.list(user, query);
  }

  @Post('extension-requests/:id/approve')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: ExtensionRequestResponse })
  @ApiOperation({ summary: "Approve: the unit's deadline moves to the requested date (its clock re-arms)." })
  approve(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: DecisionBody,
  ): Promise<ExtensionRequestResponse> {
    return this.extensions.approve(id, user, body);
  }

  @Post('extension-requests/:id/reject')
  @HttpCode(200)
  @Roles(Role.Supervisor)
  @ApiOkResponse({ type: ExtensionRequestResponse })
  @ApiOperation({ summary: 'Reject: the unit stays measured against its current deadline.' })
  reject(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: DecisionBody,
  ): Promise<ExtensionRequestResponse> {
    return this.extensions.reject(id, user, body);
  }
}
