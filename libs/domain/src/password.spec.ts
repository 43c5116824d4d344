import { randomBytes } from 'node:crypto';
import { COMMON_PASSWORDS, ONE_TIME_PASSWORD_LENGTH, oneTimePassword, passwordProblem } from './password';

describe('passwordProblem', () => {
  it('accepts a long, uncommon password that does not contain the username', () => {
    expect(passwordProblem('河湖长制-台账-2027', 'zhang.san')).toBeNull();
    expect(passwordProblem('correct horse battery', 'admin')).toBeNull();
  });

  it.each([
    ['short1234', 'zhang.san', '至少需要 10 个字符'],
    ['一二三四五六七八九', 'zhang.san', '至少需要 10 个字符'],
    ['x'.repeat(201), 'zhang.san', '不能超过 200 个字符'],
    ['zhang.san1234', 'zhang.san', '不能包含用户名'],
    ['Zhang.San-2027!', 'zhang.san', '不能包含用户名'],
    ['1234567890', 'zhang.san', '过于常见'],
    ['Password123', 'zhang.san', '过于常见'],
    ['Pingluo-Demo-2021', 'zhang.san', '过于常见'],
    ['zzzzzzzzzzzz', 'zhang.san', '同一个字符'],
  ])('refuses %j for %j', (password, username, message) => {
    expect(passwordProblem(password, username)).toContain(message);
  });

  it('counts characters, not UTF-16 units, so ten Chinese characters are enough', () => {
    expect(passwordProblem('平罗县深化改革任务清单', 'admin')).toBeNull();
  });

  it('keeps only entries the length rule would not already refuse', () => {
    for (const common of COMMON_PASSWORDS) expect(common.length).toBeGreaterThanOrEqual(10);
  });
});

describe('oneTimePassword', () => {
  it('is long, unambiguous and passes the rules for any username', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = oneTimePassword(randomBytes);
      expect(password).toHaveLength(ONE_TIME_PASSWORD_LENGTH);
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]+$/);
      expect(passwordProblem(password, 'admin')).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });

  it('skips bytes beyond the last full alphabet round (no bias)', () => {
    let call = 0;
    // First batch all 255 (rejected: 255 >= 224), then all 0 ('a').
    const source = (size: number) => new Uint8Array(size).fill(call++ === 0 ? 255 : 0);
    expect(oneTimePassword(source)).toBe('a'.repeat(ONE_TIME_PASSWORD_LENGTH));
  });
});
