import { DomainError } from './errors';
import { chinaDayRange, firstMatch, hasLetterCase, likePattern, searchQueryOf, snippetAround } from './search';

describe('searchQueryOf', () => {
  it('trims and keeps 1–100 characters, counting a Chinese character as one', () => {
    expect(searchQueryOf('  台账 ')).toBe('台账');
    expect(searchQueryOf('审'.repeat(100))).toHaveLength(100);
  });

  it.each([
    ['only spaces', '   '],
    ['empty', ''],
    ['over the limit', '审'.repeat(101)],
    ['a line break', '审批\n服务'],
    ['not a text', undefined],
  ])('refuses %s with a validation error', (_why, value) => {
    expect(() => searchQueryOf(value)).toThrow(DomainError);
  });
});

describe('likePattern', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(likePattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
    expect(likePattern('审批')).toBe('%审批%');
  });
});

describe('firstMatch', () => {
  it('names the first field holding the fragment, case-insensitively', () => {
    const found = firstMatch(
      [
        ['title', '完善指挥协调机制'],
        ['measures', '1.建立OA台账'],
      ],
      'oa',
    );
    expect(found).toMatchObject({ field: 'measures', index: 4 });
    expect(firstMatch([['title', '无关']], '台账')).toBeNull();
  });
});

describe('snippetAround', () => {
  it('cuts around the match with … on the sides that were cut', () => {
    const text = `${'甲'.repeat(30)}综合执法${'乙'.repeat(30)}`;
    expect(snippetAround(text, '综合执法', 5)).toBe('…甲甲甲甲甲综合执法乙乙乙乙乙…');
    expect(snippetAround('短句综合执法', '综合', 5)).toBe('短句综合执法');
  });

  it('shows the start of the text when the match is not in it', () => {
    expect(snippetAround('一二三四五六', '七', 2)).toBe('一二三四…');
  });
});

describe('chinaDayRange', () => {
  it('covers whole days in China time and refuses a reversed range', () => {
    expect(chinaDayRange('2026-05-01', '2026-05-31')).toEqual({
      from: '2026-04-30T16:00:00.000Z',
      to: '2026-05-31T15:59:59.999Z',
    });
    expect(chinaDayRange(undefined, '2026-05-31')).toEqual({ to: '2026-05-31T15:59:59.999Z' });
    expect(() => chinaDayRange('2026-06-01', '2026-05-31')).toThrow(DomainError);
  });
});

describe('hasLetterCase', () => {
  it('is true only for text with cased letters', () => {
    expect(hasLetterCase('综合执法')).toBe(false);
    expect(hasLetterCase('12%')).toBe(false);
    expect(hasLetterCase('OA系统')).toBe(true);
  });
});
