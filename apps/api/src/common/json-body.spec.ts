import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from './json-body';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('jsonNestsDeeperThan', () => {
  it.each([
    ['a flat object', '{"username":"x","password":"y"}', 1],
    ['arrays at the limit', nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH],
    ['objects at the limit', objects(MAX_JSON_DEPTH), MAX_JSON_DEPTH],
    ['siblings, each shallow', `[${Array.from({ length: 100 }, () => nested(5)).join(',')}]`, 6],
  ])('accepts %s', (_name, text, depth) => {
    expect(jsonNestsDeeperThan(text, depth)).toBe(false);
    expect(JSON.parse(text)).toBeDefined();
  });

  it.each([
    ['arrays one past the limit', nested(MAX_JSON_DEPTH + 1)],
    ['objects one past the limit', objects(MAX_JSON_DEPTH + 1)],
    ['mixed objects and arrays', `${'{"a":['.repeat(17)}${']}'.repeat(17)}`],
    ['ten thousand deep, unterminated', '['.repeat(10_000)],
  ])('refuses %s', (_name, text) => {
    expect(jsonNestsDeeperThan(text, MAX_JSON_DEPTH)).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ password: `${'['.repeat(100)}\\"${'{'.repeat(100)}"]` });
    expect(jsonNestsDeeperThan(text, 1)).toBe(false);
    // An escaped quote does not end the string, so the brackets after it are still inside it.
    expect(jsonNestsDeeperThan('["\\"[[[[", 1]', 1)).toBe(false);
    // An escaped backslash does end before the quote, so what follows is outside the string.
    expect(jsonNestsDeeperThan('["\\\\", [[1]]]', 2)).toBe(true);
  });

  it('leaves malformed text to the parser', () => {
    expect(jsonNestsDeeperThan(']]]]' + nested(MAX_JSON_DEPTH + 5), MAX_JSON_DEPTH)).toBe(false);
    expect(() => JSON.parse(']]]]')).toThrow();
  });
});
