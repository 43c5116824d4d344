import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { PageQuery } from '../common/pagination';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { ColleagueListResponse, DelegationListResponse, DelegationRequest, DelegationResponse } from './people.dto';
import { PeopleService } from './people.service';

/** 委派: a head hands their sign-off (approve / 退回) to a deputy of the same unit for a window. */
@ApiTags('people')
@ApiBearerAuth()
@Controller('delegations')
export class DelegationsController {
  constructor(private readonly people: PeopleService) {}

  @Post()
  @ApiCreatedResponse({ type: DelegationResponse })
  @ApiOperation({ summary: '委派: a head delegates approvals to a colleague of the same unit for a window.' })
  create(@CurrentUser() user: User, @Body() body: DelegationRequest): Promise<DelegationResponse> {
    return this.people.delegate(user, body);
  }

  @Get()
  @ApiOkResponse({ type: DelegationListResponse })
  @ApiOperation({ summary: 'The delegations the signed-in user gave or received that have not ended.' })
  list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<DelegationListResponse> {
    return this.people.delegationPage(user, query);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: DelegationResponse })
  @ApiOperation({ summary: 'End a delegation early: the head who gave it.' })
  revoke(@Param('id') id: string, @CurrentUser() user: User): Promise<DelegationResponse> {
    return this.people.revoke(user, id);
  }
}

/** The signed-in user's unit: whom an item can be handed to (承办人) or approvals delegated to (委派). */
@ApiTags('people')
@ApiBearerAuth()
@Controller('colleagues')
export class ColleaguesController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @ApiOkResponse({ type: ColleagueListResponse })
  @ApiOperation({ summary: "The enabled users of the signed-in user's own unit." })
  list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<ColleagueListResponse> {
    return this.people.colleagues(user, query);
  }
}
