import { Body, Controller, Get, Param, ParseIntPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  CalendarOverridesResponse,
  CompleteYearRequest,
  CompletedYearResponse,
  ReplaceCalendarOverridesRequest,
  WorkdaysQuery,
  WorkdaysResponse,
} from './calendar.dto';
import { CalendarService } from './calendar.service';

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('overrides')
  @ApiOkResponse({ type: CalendarOverridesResponse })
  @ApiOperation({ summary: 'Regional working-day overrides (e.g. Ningxia 开斋节) on top of the national table.' })
  listOverrides(): Promise<CalendarOverridesResponse> {
    return this.calendar.listOverrides();
  }

  @Put('overrides')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: CalendarOverridesResponse })
  @ApiOperation({ summary: 'Replace the whole set of regional overrides (admin).' })
  replaceOverrides(
    @Body() body: ReplaceCalendarOverridesRequest,
    @CurrentUser() user: User,
  ): Promise<CalendarOverridesResponse> {
    return this.calendar.replaceOverrides(body, user);
  }

  @Get('years')
  @ApiOkResponse({ type: [CompletedYearResponse] })
  @ApiOperation({ summary: 'Years an admin has loaded from a new holiday notice and marked complete.' })
  listYears(): Promise<CompletedYearResponse[]> {
    return this.calendar.listYears();
  }

  @Put('years/:year')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: [CompletedYearResponse] })
  @ApiOperation({
    summary: "Mark a year complete once its notice's holidays and make-up workdays are in the overrides (admin).",
  })
  completeYear(
    @Param('year', new ParseIntPipe()) year: number,
    @Body() body: CompleteYearRequest,
    @CurrentUser() user: User,
  ): Promise<CompletedYearResponse[]> {
    if (year < 2000 || year > 2100)
      throw new DomainError(ErrorCode.ValidationFailed, 'year: 年份须在 2000 到 2100 之间');
    return this.calendar.completeYear(year, body.notice, user);
  }

  @Get('workdays')
  @ApiOkResponse({ type: WorkdaysResponse })
  @ApiOperation({
    summary: 'n working days after an instant; 422 CALENDAR_YEAR_NOT_COVERED for a year without a holiday notice.',
  })
  workdays(@Query() query: WorkdaysQuery): Promise<WorkdaysResponse> {
    return this.calendar.addWorkingDays(query);
  }
}
