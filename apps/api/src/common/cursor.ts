import { DomainError, ErrorCode } from '@county/domain';

/**
 * The opaque cursor of a paged list: base64url of the JSON array of the last row's sort key. Opaque means
 * clients pass it back as they got it; it is not a secret (it only names a position in a list the reader may
 * see anyway), so it is not signed — a forged one is checked value by value where it meets SQL.
 */
export const MAX_CURSOR_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function malformed(): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, 'cursor 格式错误：请原样传回列表返回的 nextCursor');
}

/** `key`: the last row's sort key — an array of column values, or (search, 已办) a small object. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key inside a cursor, with `arity` values; anything else is a 400. */
export function decodeCursor(cursor: string, arity: number): unknown[] {
  const values = parseCursor(cursor);
  if (!Array.isArray(values) || values.length !== arity) throw malformed();
  return values;
}

/**
 * The key inside a cursor of a list whose key is not one row's columns (search pages across kinds, 已办 by audit
 * seq), once `valid` accepts its shape; undefined when no cursor was sent. Anything else is a 400.
 */
export function decodeCursorKey<T>(cursor: string | undefined, valid: (key: unknown) => key is T): T | undefined {
  if (cursor === undefined) return undefined;
  const key = parseCursor(cursor);
  if (!valid(key)) throw malformed();
  return key;
}

function parseCursor(cursor: string): unknown {
  if (
    typeof cursor !== 'string' ||
    cursor.length === 0 ||
    cursor.length > MAX_CURSOR_LENGTH ||
    !BASE64URL.test(cursor)
  ) {
    throw malformed();
  }
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw malformed();
  }
}
