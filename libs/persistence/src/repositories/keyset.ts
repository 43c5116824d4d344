import { DomainError, ErrorCode } from '@county/domain';

/**
 * Keyset (cursor) pagination, the one way every list pages (issue 17). A list's order is a total order:
 * its current sort columns plus the row's id as the tie-breaker, so "the rows after this key" is exact
 * however many rows arrive or change between two pages (an OFFSET would skip or repeat them).
 *
 * The key travels to the client (inside an opaque cursor) and comes back: each value is checked against
 * its column's kind before it reaches SQL, so a forged key is a 400, never a cast error (500).
 */
export type KeyKind = 'text' | 'integer' | 'timestamp' | 'uuid';

export interface KeyColumn {
  /** The SQL expression the list sorts by; NULLs must be folded into a sentinel here (COALESCE). */
  sql: string;
  kind: KeyKind;
  descending?: boolean;
}

export interface PageRequest {
  limit: number;
  /** The key of the last row of the previous page, as decoded from the cursor (unchecked). */
  after?: readonly unknown[];
}

export interface Keyed<T> {
  items: T[];
  /** The key of the last row when there is a next page, else null. */
  nextKey: unknown[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Microseconds: PostgreSQL keeps them, and a key rounded to milliseconds would skip rows between. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;
const MAX_TEXT_KEY = 1000;

const CAST: Record<KeyKind, string> = { text: 'text', integer: 'bigint', timestamp: 'timestamp', uuid: 'uuid' };

/** A key value the client cannot have got from us. */
export function invalidCursor(): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, 'cursor 无效：请从列表的 nextCursor 取值，不要自行构造');
}

/** A calendar time that exists (no 30 February, no hour 25): it round-trips through Date to the second. */
function isRealTime(value: string): boolean {
  const time = new Date(`${value.slice(0, 19)}Z`);
  return !Number.isNaN(time.getTime()) && time.toISOString().slice(0, 19) === value.slice(0, 19);
}

function checkValue(kind: KeyKind, value: unknown): void {
  const ok =
    kind === 'text'
      ? typeof value === 'string' && value.length <= MAX_TEXT_KEY && !value.includes('\u0000')
      : kind === 'integer'
        ? typeof value === 'number' && Number.isSafeInteger(value)
        : kind === 'uuid'
          ? typeof value === 'string' && UUID.test(value)
          : typeof value === 'string' && TIMESTAMP.test(value) && isRealTime(value);
  if (!ok) throw invalidCursor();
}

/**
 * The SELECT list entries that carry a row's key out of the query (as `key_0`, `key_1`, …). Timestamps leave
 * as UTC text with microseconds, so the key compares exactly as the column does.
 */
export function keySelect(columns: readonly KeyColumn[]): string {
  return columns
    .map((column, index) =>
      column.kind === 'timestamp'
        ? `to_char((${column.sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS key_${index}`
        : `(${column.sql})${column.kind === 'uuid' ? '::text' : ''} AS key_${index}`,
    )
    .join(', ');
}

/** The ORDER BY clause of the key (the list's order). */
export function keyOrder(columns: readonly KeyColumn[]): string {
  return columns.map((column) => `${column.sql}${column.descending ? ' DESC' : ''}`).join(', ');
}

/**
 * "After this key" as SQL, appending its values to `params` ($n placeholders continue from there) or binding
 * them with a function (`named`, for a query builder). No key: TRUE. Columns sorted the same way compare as one row value (an index range scan); mixed directions expand
 * to (a > x) OR (a = x AND b > y) …, led by a range on the first column so its index still narrows the scan.
 */
export function keysetAfter(
  columns: readonly KeyColumn[],
  after: readonly unknown[] | undefined,
  params: unknown[] | ((value: unknown) => string),
): string {
  if (after === undefined) return 'TRUE';
  if (!Array.isArray(after) || after.length !== columns.length) throw invalidCursor();
  columns.forEach((column, index) => checkValue(column.kind, after[index]));
  const bind = typeof params === 'function' ? params : positional(params);
  const placeholders = columns.map((column, index) => {
    const placeholder = `${bind(column.kind === 'integer' ? String(after[index]) : after[index])}::${CAST[column.kind]}`;
    // A timestamp key is UTC wall time; the column is timestamptz.
    return column.kind === 'timestamp' ? `(${placeholder} AT TIME ZONE 'UTC')` : placeholder;
  });
  const descending = columns.map((column) => Boolean(column.descending));
  if (descending.every((value) => value === descending[0])) {
    const operator = descending[0] ? '<' : '>';
    return `(${columns.map((column) => column.sql).join(', ')}) ${operator} (${placeholders.join(', ')})`;
  }
  const terms = columns.map((column, index) => {
    const equal = columns.slice(0, index).map((previous, j) => `${previous.sql} = ${placeholders[j]}`);
    const strict = `${column.sql} ${column.descending ? '<' : '>'} ${placeholders[index]}`;
    return `(${[...equal, strict].join(' AND ')})`;
  });
  const first = `${columns[0].sql} ${columns[0].descending ? '<=' : '>='} ${placeholders[0]}`;
  return `(${first} AND (${terms.join(' OR ')}))`;
}

/** Binds values as $n placeholders of a raw query, after the ones already in `params`. */
function positional(params: unknown[]): (value: unknown) => string {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

/** Binds values as named parameters of a TypeORM query builder. */
export function named(setParameter: (name: string, value: unknown) => unknown): (value: unknown) => string {
  let next = 0;
  return (value) => {
    const name = `keyset_${next++}`;
    setParameter(name, value);
    return `:${name}`;
  };
}

/**
 * Cuts the limit+1 rows a query fetched to one page: the extra row only says that a next page exists.
 * `keyOf` reads a row's key (the `key_n` columns of keySelect, or fields of the row).
 */
export function keyedPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => unknown[], map: (row: R) => T): Keyed<T> {
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items: page.map(map), nextKey: more && page.length > 0 ? keyOf(page[page.length - 1]) : null };
}

/** The key a query carried out with keySelect, as JSON values (bigint text back to a number). */
export function selectedKey(columns: readonly KeyColumn[], row: Record<string, unknown>): unknown[] {
  return columns.map((column, index) => {
    const value = row[`key_${index}`];
    return column.kind === 'integer' ? Number(value) : value;
  });
}
