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

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The key inside a cursor, with `arity` values; anything else is a 400. */
export function decodeCursor(cursor: string, arity: number): unknown[] {
  if (
    typeof cursor !== 'string' ||
    cursor.length === 0 ||
    cursor.length > MAX_CURSOR_LENGTH ||
    !BASE64URL.test(cursor)
  ) {
    throw malformed();
  }
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(values) || values.length !== arity) throw malformed();
  return values;
}
