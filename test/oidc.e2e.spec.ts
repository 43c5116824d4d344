import { freePort } from '@county/scripts/dist/free-port';
import { login, queryRows, request, startApi, useStack } from '@county/test-kit';
import {
  callback,
  CLIENT_ID,
  CLIENT_SECRET,
  CookieJar,
  RunningProvider,
  signInAtProvider,
  startProvider,
} from './support/oidc-provider';

/**
 * Single sign-on (统一身份认证) against a REAL OpenID provider (test/support/oidc-provider.ts: the `oidc-provider`
 * package with an account store of its own). The test plays the browser: it follows the redirects, fills the
 * provider's login form, and passes the code the provider sends to the redirect URL on to the API's callback with
 * the API's login cookie — as the console's /login/oidc page does.
 */

describe('single sign-on (统一身份认证) against a real OpenID provider', () => {
  let provider: RunningProvider;
  let redirectUrl: string;
  const oidcEnv = (extra: Record<string, string> = {}) => ({
    OIDC_ISSUER_URL: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URL: redirectUrl,
    ...extra,
  });
  const stack = useStack(async () => {
    // Where the console's /login/oidc page would be; the test reads the provider's redirect instead of following it.
    redirectUrl = `http://127.0.0.1:${await freePort()}/login/oidc`;
    provider = await startProvider(redirectUrl);
    return { apiEnv: oidcEnv() };
  });
  afterAll(async () => {
    await provider?.close();
    await queryRows(`DELETE FROM users WHERE username LIKE 'oidc-test-%'`);
  });

  beforeAll(async () => {
    await queryRows(
      `INSERT INTO users (username, display_name, unit_id, roles, password_hash, disabled)
       SELECT 'oidc-test-disabled', '已停用人员', 'finance', '{staff}', password_hash, true FROM users
       WHERE username = 'supervisor' ON CONFLICT (username) DO NOTHING`,
    );
  });

  it('logs a registered user in by preferred_username: the same token as /auth/login, with its token version', async () => {
    const options = await stack.request<{ oidc: { loginPath: string; label: string } | null }>('GET', '/auth/options');
    expect(options.status).toBe(200);
    expect(options.body.oidc).toEqual({ loginPath: '/api/v1/auth/oidc/login', label: '统一身份认证登录' });

    const { query, jar } = await signInAtProvider(stack.api, 'sub-finance-staff');
    const answer = await callback(stack.api, query, jar);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ tokenType: 'Bearer', user: { username: 'finance.staff', unitId: 'finance' } });
    // The token works like a password login's…
    const me = await stack.request<{ username: string }>('GET', '/me', { token: answer.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'finance.staff' });
    // …and carries the token version: logout ends it like any other token.
    const [{ token_version }] = await queryRows<{ token_version: number }>(
      `SELECT token_version FROM users WHERE username = 'finance.staff'`,
    );
    const payload = JSON.parse(Buffer.from(answer.body.accessToken.split('.')[1], 'base64url').toString()) as {
      ver: number;
    };
    expect(payload.ver).toBe(token_version);
    // The login cookie is spent: the browser drops it, so the same answer cannot be replayed from it…
    expect(answer.headers.get('set-cookie')).toMatch(/county_oidc=;.*Max-Age=0/);
    const replay = await callback(stack.api, query, jar);
    // …and one who kept a copy of the cookie gets nothing either: the provider refuses a code used once.
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a person the provider knows but the registry does not, in Chinese, naming them', async () => {
    const { query, jar } = await signInAtProvider(stack.api, 'sub-stranger');
    const answer = await callback(stack.api, query, jar);
    expect(answer.status).toBe(403);
    expect(answer.body.detail).toBe(
      '统一身份认证账号“not.registered.here”未在本系统登记，不能登录。请联系系统管理员开通账号。',
    );
    expect(await queryRows(`SELECT 1 FROM users WHERE username = 'not.registered.here'`)).toHaveLength(0);
  });

  it('refuses a disabled user', async () => {
    const { query, jar } = await signInAtProvider(stack.api, 'sub-disabled');
    const answer = await callback(stack.api, query, jar);
    expect(answer.status).toBe(403);
    expect(answer.body.detail).toMatch(/已停用/);
  });

  it('refuses a forged or swapped state, a missing login cookie and a forged code (4xx, never 500)', async () => {
    const { query, jar } = await signInAtProvider(stack.api, 'sub-finance-staff');
    const forgedState = new URLSearchParams(query);
    forgedState.set('state', 'forged-state');
    expect((await callback(stack.api, forgedState, jar)).status).toBe(400);
    // Another browser (no cookie), e.g. a victim sent an attacker's code: refused.
    const elsewhere = await callback(stack.api, query, new CookieJar());
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.detail).toMatch(/重新登录/);
    // The right state with a code the provider never issued: the provider refuses the exchange.
    const second = await signInAtProvider(stack.api, 'sub-finance-staff');
    const forgedCode = new URLSearchParams(second.query);
    forgedCode.set('code', 'forged-code');
    const refused = await callback(stack.api, forgedCode, second.jar);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/统一身份认证/);
  });

  it('matches by a configured claim (OIDC_USERNAME_CLAIM), and creates unknown users only when enabled', async () => {
    const byNumber = await startApi({
      ...oidcEnv({ OIDC_USERNAME_CLAIM: 'employee_no', OIDC_AUTO_CREATE: 'true', OIDC_AUTO_CREATE_UNIT: 'finance' }),
      DATABASE_URL: process.env.DATABASE_URL,
    });
    try {
      // employee_no = finance.head, though preferred_username names somebody else.
      const matched = await signInAtProvider(byNumber, 'sub-by-number');
      const answer = await callback(byNumber, matched.query, matched.jar);
      expect(answer.status).toBe(200);
      expect(answer.body.user).toMatchObject({ username: 'finance.head' });
      // A person without that claim matches nobody (never by another claim), even with auto-creation on.
      const without = await signInAtProvider(byNumber, 'sub-new');
      const refused = await callback(byNumber, without.query, without.jar);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/employee_no/);
    } finally {
      await byNumber.close();
    }

    const creating = await startApi({
      ...oidcEnv({ OIDC_AUTO_CREATE: 'true', OIDC_AUTO_CREATE_UNIT: 'finance' }),
      DATABASE_URL: process.env.DATABASE_URL,
    });
    try {
      const { query, jar } = await signInAtProvider(creating, 'sub-new');
      const answer = await callback(creating, query, jar);
      expect(answer.status).toBe(200);
      expect(answer.body.user).toMatchObject({ username: 'oidc-test-newcomer', roles: ['staff'], unitId: 'finance' });
      expect(answer.body.user).toMatchObject({ displayName: '新来的同志' });
      // Recorded in the audit log, with who vouched for the person (no acting user: nobody was logged in yet).
      const events = await queryRows<{ actor_user_id: string | null; payload: Record<string, unknown> }>(
        `SELECT actor_user_id, payload FROM audit_events WHERE action = 'user.created-by-single-sign-on' AND subject_id = (
           SELECT id::text FROM users WHERE username = 'oidc-test-newcomer')`,
      );
      expect(events).toEqual([
        {
          actor_user_id: null,
          payload: expect.objectContaining({
            username: 'oidc-test-newcomer',
            unitId: 'finance',
            issuer: provider.issuer,
          }),
        },
      ]);
      // The second login finds the user and creates nothing more.
      const again = await signInAtProvider(creating, 'sub-new');
      expect((await callback(creating, again.query, again.jar)).status).toBe(200);
      expect(await queryRows(`SELECT 1 FROM users WHERE username = 'oidc-test-newcomer'`)).toHaveLength(1);
    } finally {
      await creating.close();
    }
    // Without OIDC_AUTO_CREATE (the first test's API) the stranger stayed refused and uncreated (above).
  });
});

describe('single sign-on while the identity platform is down', () => {
  it('answers 503 in Chinese, and password login keeps working', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const api = await startApi({
      OIDC_ISSUER_URL: nobody,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URL: `${nobody}/login/oidc`,
    });
    try {
      const started = await request<{ detail: string }>(api.baseUrl, 'GET', '/auth/oidc/login');
      expect(started.status).toBe(503);
      expect(started.body.detail).toMatch(/统一身份认证平台暂时无法访问/);
      expect(await login(api.baseUrl, 'finance.staff')).toEqual(expect.any(String));
    } finally {
      await api.close();
    }
  });
});

describe('single sign-on when it is not configured', () => {
  const stack = useStack({});

  it('answers 404 on its routes and tells the console there is no SSO button', async () => {
    expect((await stack.request('GET', '/auth/oidc/login')).status).toBe(404);
    expect((await stack.request('GET', '/auth/oidc/callback?code=x&state=y')).status).toBe(404);
    const options = await stack.request<{ oidc: unknown }>('GET', '/auth/options');
    expect(options.status).toBe(200);
    expect(options.body.oidc).toBeNull();
  });
});
