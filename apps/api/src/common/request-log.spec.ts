import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-log';

const withHeader = (value?: string | string[]) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it("keeps a caller's plausible id", () => {
    expect(requestIdOf(withHeader('proxy-7f3a.42'))).toBe('proxy-7f3a.42');
    expect(requestIdOf(withHeader('a'.repeat(128)))).toBe('a'.repeat(128));
  });

  it('makes a fresh UUID without one, or for anything that is not an id', () => {
    for (const value of [undefined, '', 'two words', 'a'.repeat(129), '{"level":"fatal"}', ['a', 'b']]) {
      expect(requestIdOf(withHeader(value))).toMatch(UUID);
    }
    expect(requestIdOf(withHeader())).not.toBe(requestIdOf(withHeader()));
  });
});
