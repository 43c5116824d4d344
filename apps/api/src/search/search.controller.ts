import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { User } from '@county/domain';
import { CurrentUser } from '../auth/current-user.decorator';
import { DoneQuery, DoneResponse, SearchQuery, SearchResponse } from './search.dto';
import { SearchService } from './search.service';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOkResponse({ type: SearchResponse })
  @ApiOperation({
    summary:
      "Keyword search (substring, Chinese fragments of any length) over tasks (title, measures, goals), reports (progress and submitted reports' text) and calls (subject, description, resolution), with filters; cursor-paged. Reports and calls only of the reader's own threads (supervision office and leaders: all).",
  })
  find(@CurrentUser() user: User, @Query() query: SearchQuery): Promise<SearchResponse> {
    return this.search.find(user, query);
  }
}

@ApiTags('search')
@ApiBearerAuth()
@Controller('done')
export class DoneController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOkResponse({ type: DoneResponse })
  @ApiOperation({
    summary:
      "已办: what the user (scope=me) or the user's unit (scope=unit) did on tasks, assignments and calls, newest first, from the audit log; cursor-paged.",
  })
  list(@CurrentUser() user: User, @Query() query: DoneQuery): Promise<DoneResponse> {
    return this.search.done(user, query);
  }
}
