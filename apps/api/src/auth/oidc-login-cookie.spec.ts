import { randomBytes } from 'node:crypto';
import { cookieValue, OidcLoginChecks, openChecks, sealChecks } from './oidc-login-cookie';

describe('the SSO login cookie', () => {
  const key = randomBytes(32);
  const checks: OidcLoginChecks = { state: 's', nonce: 'n', codeVerifier: 'v', expiresAt: Date.now() + 60_000 };

  it('opens what it sealed, with the same key only', () => {
    const sealed = sealChecks(checks, key);
    expect(openChecks(sealed, key)).toEqual(checks);
    expect(openChecks(sealed, randomBytes(32))).toBeUndefined();
  });

  it('refuses a tampered, truncated, expired or made-up value', () => {
    const sealed = sealChecks(checks, key);
    const [iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(openChecks([iv, tag, flipped.toString('base64url')].join('.'), key)).toBeUndefined();
    expect(openChecks(`${iv}.${tag}`, key)).toBeUndefined();
    expect(openChecks('', key)).toBeUndefined();
    expect(openChecks('a.b.c', key)).toBeUndefined();
    expect(openChecks(undefined, key)).toBeUndefined();
    expect(openChecks(sealChecks({ ...checks, expiresAt: Date.now() - 1 }, key), key)).toBeUndefined();
  });

  it('reads its cookie among others', () => {
    expect(cookieValue('a=1; county_oidc=x.y.z; b=2', 'county_oidc')).toBe('x.y.z');
    expect(cookieValue('county_oidcx=1', 'county_oidc')).toBeUndefined();
    expect(cookieValue(undefined, 'county_oidc')).toBeUndefined();
  });
});
