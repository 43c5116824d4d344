import {
  findUnstorableText,
  hasText,
  textFieldProblem,
  TEXT_LIMITS,
  textLength,
  toStorableValue,
  unstorableTextProblem,
} from './storable-text';

describe('storable text', () => {
  it.each([
    ['plain Chinese', '已签收，安排专人对接', null],
    ['an emoji (a surrogate pair)', '完成 👍', null],
    ['NUL', 'a\u0000b', '不得含有 NUL 字符（U+0000）'],
    ['a lone high surrogate', 'a\ud800b', '须为有效的 Unicode 文本（含有未配对的 UTF-16 代理项）'],
    ['a lone low surrogate', '\udc00', '须为有效的 Unicode 文本（含有未配对的 UTF-16 代理项）'],
    ['a high surrogate at the end', 'abc\ud83d', '须为有效的 Unicode 文本（含有未配对的 UTF-16 代理项）'],
  ])('%s', (_name, value, problem) => {
    expect(unstorableTextProblem(value)).toBe(problem);
  });

  it('finds the first unstorable string anywhere in a request, with its path', () => {
    expect(findUnstorableText({ actor: { userId: 'u' }, evidence: ['ok', 'x\u0000'] })).toEqual({
      path: 'evidence[1]',
      problem: '不得含有 NUL 字符（U+0000）',
    });
    expect(findUnstorableText({ ['k\ud800']: 1 })?.path).toBe('(key)');
    expect(findUnstorableText({ note: '好', percent: 3, list: [1, null] })).toBeNull();
  });

  it('counts a surrogate pair as one character', () => {
    expect(textLength('👍👍')).toBe(2);
    expect(textFieldProblem('👍'.repeat(TEXT_LIMITS.subject), 'subject')).toBeNull();
    expect(textFieldProblem('x'.repeat(TEXT_LIMITS.subject + 1), 'subject')).toBe('must be at most 200 characters');
  });

  it('a required text must say something; an optional one may be empty or absent', () => {
    expect(hasText(' \t\u3000')).toBe(false);
    expect(textFieldProblem('   ', 'reason')).toBe('must contain text');
    expect(textFieldProblem(undefined, 'reason')).toBe('is required');
    expect(textFieldProblem(undefined, 'note', { required: false })).toBeNull();
    expect(textFieldProblem('', 'note', { required: false })).toBeNull();
    expect(textFieldProblem(42, 'note', { required: false })).toBe('must be a string');
  });

  it('makes a value storable by replacing what PostgreSQL would refuse', () => {
    expect(toStorableValue({ a: ['x\u0000', '\ud800y'], n: 1 })).toEqual({ a: ['x\uFFFD', '\uFFFDy'], n: 1 });
    expect(findUnstorableText(toStorableValue({ ['\udc00']: '\u0000' }))).toBeNull();
  });
});
