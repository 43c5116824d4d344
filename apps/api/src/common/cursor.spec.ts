import { DomainError, ErrorCode } from '@county/domain';
import { decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  it('round-trips a key through an opaque base64url text', () => {
    const key = ['2030-02-01T08:00:00.123456', 'a1b2', 7, null, ['nested']];
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, key.length)).toEqual(key);
  });

  it('refuses what it did not make, or a key of another arity, with a validation error (400)', () => {
    const bad = [
      '',
      'not base64!',
      'AAAA',
      Buffer.from('{"a":1}').toString('base64url'),
      encodeCursor([1, 2]),
      'x'.repeat(5000),
    ];
    const codes = bad.map((cursor) => {
      try {
        decodeCursor(cursor, 3);
        return 'accepted';
      } catch (error) {
        return error instanceof DomainError ? error.code : 'other';
      }
    });
    expect(codes).toEqual(bad.map(() => ErrorCode.ValidationFailed));
  });
});
