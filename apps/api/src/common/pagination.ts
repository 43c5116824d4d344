import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Keyed, PageRequest } from '@county/persistence';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from './cursor';
import { IntegerQuery } from './query-params';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/**
 * The paging half of every list's query (issue 17): list query DTOs extend it. `limit` rows per page;
 * `cursor` is the previous page's nextCursor. Without a cursor a list starts at its first row.
 */
export class PageQuery {
  @IntegerQuery({
    default: DEFAULT_PAGE_SIZE,
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    description: `rows per page (1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE})`,
  })
  limit?: number;

  @ApiPropertyOptional({
    maxLength: MAX_CURSOR_LENGTH,
    description: "the previous page's nextCursor (opaque); absent for the first page",
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  cursor?: string;
}

/** The paging half of every list's answer. */
export class PageResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as cursor to get the next page; null on the last page',
  })
  nextCursor!: string | null;
}

/** The repository's page request from a query: the limit and the decoded key (checked by the repository). */
export function pageRequest(query: { limit?: number; cursor?: string }, arity: number): PageRequest {
  return {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, arity),
  };
}

/** The answer's paging fields from the repository's page. */
export function pageOf<T, U = T>(page: Keyed<T>, map?: (item: T) => U): { items: U[]; nextCursor: string | null } {
  return {
    items: map ? page.items.map(map) : (page.items as unknown as U[]),
    nextCursor: page.nextKey ? encodeCursor(page.nextKey) : null,
  };
}
