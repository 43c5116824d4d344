import { DomainError, ErrorCode } from '@county/domain';

/**
 * Keyset pagination: a list's `nextCursor` is the last row's sort key, as base64url JSON. It is opaque to clients
 * (they only send it back); a cursor that does not decode to the shape the list expects is a 400, never a 500.
 */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key in `cursor`, once `valid` accepts its shape; undefined when no cursor was sent. */
export function decodeCursor<T>(cursor: string | undefined, valid: (key: unknown) => key is T): T | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    key = null;
  }
  if (!valid(key)) throw new DomainError(ErrorCode.ValidationFailed, 'cursor 无效：请使用上一页返回的 nextCursor。');
  return key;
}

/** Query-string page size: `limit` defaults to 50, at most 200. */
export const PAGE_LIMITS = { default: 50, max: 200 } as const;
