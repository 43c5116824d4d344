import { displayNameFromClaims, SSO_REFUSALS, usernameFromClaims } from './single-sign-on';

describe('matching a single sign-on identity to a registered user', () => {
  it('takes the configured claim, trimmed', () => {
    expect(usernameFromClaims({ preferred_username: ' finance.staff ' }, 'preferred_username')).toEqual({
      matched: true,
      username: 'finance.staff',
    });
    expect(usernameFromClaims({ sub: 'x', employee_no: 'finance.head' }, 'employee_no')).toEqual({
      matched: true,
      username: 'finance.head',
    });
  });

  it('matches nobody by a missing, blank, over-long, unstorable or non-string claim, naming the claim in Chinese', () => {
    for (const value of [
      undefined,
      '',
      '   ',
      'x'.repeat(81),
      'a\u0000b',
      'a\ud800b',
      ['finance.staff'],
      { name: 'a' },
      42,
      null,
    ]) {
      const match = usernameFromClaims({ preferred_username: value }, 'preferred_username');
      expect(match.matched).toBe(false);
      if (!match.matched) expect(match.reason).toMatch(/统一身份认证.*preferred_username/);
    }
  });

  it('never falls back to another claim (the display name or the subject)', () => {
    expect(usernameFromClaims({ sub: 'finance.staff', name: 'finance.staff' }, 'preferred_username').matched).toBe(
      false,
    );
  });

  it('refuses in Chinese, naming the account', () => {
    expect(SSO_REFUSALS.unknown('zhang.san')).toContain('zhang.san');
    expect(SSO_REFUSALS.unknown('zhang.san')).toMatch(/未在本系统登记/);
    expect(SSO_REFUSALS.disabled('li.si')).toMatch(/已停用/);
  });

  it('names a user created at their first SSO by the provider’s name when it is usable', () => {
    expect(displayNameFromClaims({ name: ' 张三 ' }, 'zhang.san')).toBe('张三');
    for (const name of [undefined, '', 'a\u0000b', 'x'.repeat(81), ['张三']]) {
      expect(displayNameFromClaims({ name }, 'zhang.san')).toBe('zhang.san');
    }
  });
});
