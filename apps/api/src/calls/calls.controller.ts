import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import {
  CallDetailResponse,
  CallListResponse,
  CallQuery,
  CallResponse,
  EvaluateCallRequest,
  RaiseCallRequest,
  ResolveCallRequest,
  RespondCallRequest,
} from './calls.dto';
import { CallsService } from './calls.service';
import { SetHandlerRequest } from '../people/people.dto';

/** 乡呼县应 (DESIGN §4, §6): a township calls, a county unit responds, resolves, and is rated. */
@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Post()
  @ApiCreatedResponse({ type: CallResponse })
  @ApiOperation({ summary: 'Raise a call: staff or head of a township, to a county unit (not a township).' })
  raise(@CurrentUser() user: User, @Body() body: RaiseCallRequest): Promise<CallResponse> {
    return this.calls.raise(user, body);
  }

  @Get()
  @ApiOkResponse({ type: CallListResponse })
  @ApiOperation({ summary: 'Calls, newest first, filtered by status, calling township or called unit.' })
  list(@CurrentUser() user: User, @Query() query: CallQuery): Promise<CallListResponse> {
    return this.calls.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CallDetailResponse })
  @ApiOperation({ summary: 'A call with its timeline (audit events).' })
  get(@Param('id') id: string, @CurrentUser() user: User): Promise<CallDetailResponse> {
    return this.calls.get(id, user);
  }

  @Post(':id/respond')
  @HttpCode(200)
  @ApiOkResponse({ type: CallResponse })
  @ApiOperation({ summary: '签收 (应): staff or head of the called unit.' })
  respond(@Param('id') id: string, @CurrentUser() user: User, @Body() body: RespondCallRequest): Promise<CallResponse> {
    return this.calls.respond(id, user, body);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOkResponse({ type: CallResponse })
  @ApiOperation({ summary: 'Report the call resolved: staff or head of the called unit.' })
  resolve(@Param('id') id: string, @CurrentUser() user: User, @Body() body: ResolveCallRequest): Promise<CallResponse> {
    return this.calls.resolve(id, user, body);
  }

  @Post(':id/evaluate')
  @HttpCode(200)
  @ApiOkResponse({ type: CallResponse })
  @ApiOperation({
    summary:
      'Rate the resolution (满意 / 基本满意 / 不满意; 不满意 reopens it): staff or head of the calling township.',
  })
  evaluate(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: EvaluateCallRequest,
  ): Promise<CallResponse> {
    return this.calls.evaluate(id, user, body);
  }

  @Post(':id/handler')
  @HttpCode(200)
  @ApiOkResponse({ type: CallResponse })
  @ApiOperation({
    summary:
      "承办人: the called unit's head (any time) or staff (while none is named, or their own) names a colleague of the unit.",
  })
  setHandler(
    @Param('id') id: string,
    @CurrentUser() user: User,
    @Body() body: SetHandlerRequest,
  ): Promise<CallResponse> {
    return this.calls.setHandler(id, user, body.userId);
  }
}
