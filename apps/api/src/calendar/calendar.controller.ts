import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role, User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  CalendarOverridesResponse,
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
  @ApiOperation({ summary: 'Regional working-day overrides (e.g. Ningxia 开斋节) on top of the national table.' })
  listOverrides(): Promise<CalendarOverridesResponse> {
    return this.calendar.listOverrides();
  }

  @Put('overrides')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Replace the whole set of regional overrides (admin).' })
  replaceOverrides(
    @Body() body: ReplaceCalendarOverridesRequest,
    @CurrentUser() user: User,
  ): Promise<CalendarOverridesResponse> {
    return this.calendar.replaceOverrides(body, user);
  }

  @Get('workdays')
  @ApiOperation({
    summary: 'n working days after an instant; 422 CALENDAR_YEAR_NOT_COVERED for a year without a holiday notice.',
  })
  workdays(@Query() query: WorkdaysQuery): Promise<WorkdaysResponse> {
    return this.calendar.addWorkingDays(query);
  }
}
