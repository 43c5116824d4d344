import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { login, queryRows, request, startApi, TEST_DEMO_PASSWORD, useStack } from '@county/test-kit';

/** The local-mode signing key earlier releases had in their source: it must never sign a token that works. */
const PUBLISHED_SOURCE_KEY = 'local-development-only-secret-do-not-use-in-production';

const asClient = (ip: string) => ({ 'x-forwarded-for': ip });

/**
 * A user of its own for a test that locks, revokes or changes an account, so nothing leaks into the demo
 * users other suites log in as. Same password as the demo users (their hash is copied).
 */
async function freshUser(label: string, unitId = 'finance', roles = '{staff}'): Promise<string> {
  const username = `auth-test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await queryRows(
    `INSERT INTO users (username, display_name, unit_id, roles, password_hash)
     SELECT $1::varchar, $1::text, $2, $3::text[], password_hash FROM users WHERE username = 'supervisor'`,
    [username, unitId, roles],
  );
  return username;
}

afterAll(() => queryRows(`DELETE FROM users WHERE username LIKE 'auth-test-%'`));

describe('authentication', () => {
  let dataDir: string;
  /** The key this API signs with: made on its first start in its data directory (no JWT_SECRET: local mode). */
  let signingKey: string;
  // TRUST_PROXY lets each test act as its own client (X-Forwarded-For), so the login rate limit
  // of one test does not leak into another.
  const stack = useStack(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'county-auth-'));
    return { apiEnv: { JWT_SECRET: '', COUNTY_DATA_DIR: dataDir, TRUST_PROXY: 'true' } };
  });
  beforeAll(() => {
    signingKey = readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8').trim();
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const loginAs = (username: string, password: string, ip: string) =>
    stack.request<
      Record<string, unknown> & {
        accessToken: string;
        user: { username: string };
      }
    >('POST', '/auth/login', {
      body: { username, password },
      headers: asClient(ip),
    });

  it('logs a demo user in and GET /me returns the user, unit and roles from the database', async () => {
    const response = await stack.request<{
      accessToken: string;
      tokenType: string;
      user: { username: string };
    }>('POST', '/auth/login', {
      body: { username: 'approval.head', password: TEST_DEMO_PASSWORD },
      headers: asClient('10.0.0.1'),
    });
    expect(response.status).toBe(200);
    expect(response.body.tokenType).toBe('Bearer');
    expect(response.body.user.username).toBe('approval.head');

    const me = await stack.request('GET', '/me', {
      token: response.body.accessToken,
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      username: 'approval.head',
      unitId: 'approval',
      roles: ['head'],
      unit: { id: 'approval', name: '县审批局', kind: 'county-dept' },
    });
  });

  it.each(['supervisor', 'leader', 'admin', 'chengguan.staff'])('has the demo user %s', async (username) => {
    const token = await login(stack.api.baseUrl, username);
    const me = await stack.request<{ username: string }>('GET', '/me', { token });
    expect(me.body.username).toBe(username);
  });

  it('takes a login name with spaces around it as that name; a blank one is a 400 naming the field', async () => {
    const response = await loginAs(' supervisor  ', TEST_DEMO_PASSWORD, '10.0.0.4');
    expect(response.status).toBe(200);
    expect(response.body.user.username).toBe('supervisor');
    const blank = await loginAs('   ', TEST_DEMO_PASSWORD, '10.0.0.4');
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      detail: 'username: 请输入用户名',
    });
  });

  it('answers a wrong password with 401 problem+json and no token', async () => {
    const response = await stack.request('POST', '/auth/login', {
      body: { username: 'supervisor', password: 'not-the-password' },
      headers: asClient('10.0.0.2'),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: '用户名或密码错误。',
      code: 'INVALID_CREDENTIALS',
    });
  });

  it('answers an unknown user exactly like a wrong password (no user enumeration)', async () => {
    const response = await stack.request('POST', '/auth/login', {
      body: { username: 'nobody', password: 'whatever' },
      headers: asClient('10.0.0.3'),
    });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('keeps its local signing key in the data directory, readable by its user only, across restarts', async () => {
    expect(signingKey).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path.join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    const token = await login(stack.api.baseUrl, 'leader');
    const restarted = await startApi({
      JWT_SECRET: '',
      COUNTY_DATA_DIR: dataDir,
    });
    try {
      expect((await request(restarted.baseUrl, 'GET', '/me', { token })).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  describe('rejects tokens it did not issue', () => {
    let token: string;
    let claims: jwt.JwtPayload;
    beforeAll(async () => {
      token = await login(stack.api.baseUrl, 'supervisor');
      claims = jwt.decode(token) as jwt.JwtPayload;
    });

    const expect401 = async (badToken: string) => {
      const response = await stack.request('GET', '/me', {
        token: badToken,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    };
    /** Signed with the API's own key, so only the claims can make it fail. */
    const signed = (payload: jwt.JwtPayload) => jwt.sign(payload, signingKey, { algorithm: 'HS256' });

    it('accepts the genuine token, and one re-signed with the same claims (controls)', async () => {
      expect((await stack.request('GET', '/me', { token })).status).toBe(200);
      expect(
        (
          await stack.request('GET', '/me', {
            token: signed({ ...claims }),
          })
        ).status,
      ).toBe(200);
    });

    it('no token', async () => {
      const response = await stack.request('GET', '/me');
      expect(response.status).toBe(401);
    });

    it('a tampered payload (roles changed, signature kept)', async () => {
      const [header, payload, signature] = token.split('.');
      const tampered = JSON.parse(Buffer.from(payload, 'base64url').toString());
      tampered.roles = ['admin'];
      await expect401(`${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${signature}`);
    });

    it('alg: none', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await expect401(`${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`);
    });

    it('signed with another key', async () => {
      await expect401(
        jwt.sign({ ...claims }, 'some-other-secret-some-other-secret', {
          algorithm: 'HS256',
        }),
      );
    });

    it('signed with the key earlier releases published in their source', async () => {
      await expect401(jwt.sign({ ...claims }, PUBLISHED_SOURCE_KEY, { algorithm: 'HS256' }));
    });

    it('expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expect401(signed({ ...claims, iat: now - 7200, exp: now - 3600 }));
    });

    it('without an expiry (it would never expire)', async () => {
      const { exp: _exp, ...withoutExpiry } = claims;
      await expect401(signed(withoutExpiry));
    });

    it('without a token version, or with another one', async () => {
      const { ver: _ver, ...withoutVersion } = claims;
      await expect401(signed(withoutVersion));
      await expect401(signed({ ...claims, ver: Number(claims.ver) + 1 }));
      await expect401(signed({ ...claims, ver: String(claims.ver) }));
    });

    it('for a user that does not exist', async () => {
      await expect401(signed({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }));
    });
  });

  describe('revocation', () => {
    const me = (token: string) => stack.request('GET', '/me', { token });

    it('logout ends every session of the user; signing in again works', async () => {
      const username = await freshUser('logout');
      const [first, second] = [await login(stack.api.baseUrl, username), await login(stack.api.baseUrl, username)];
      expect((await me(first)).status).toBe(200);

      const logout = await stack.request('POST', '/auth/logout', {
        token: first,
      });
      expect(logout.status).toBe(204);
      for (const revoked of [first, second]) {
        const response = await me(revoked);
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({
          code: 'UNAUTHENTICATED',
          detail: '登录已失效（已退出登录，或账号信息有变动），请重新登录。',
        });
      }
      // Logging out again with the revoked token is refused like any other use of it.
      expect((await stack.request('POST', '/auth/logout', { token: first })).status).toBe(401);

      const fresh = await login(stack.api.baseUrl, username);
      expect((await me(fresh)).status).toBe(200);
    });

    it.each([
      ['roles change', `roles = '{head}'`],
      ['unit changes', `unit_id = 'housing'`],
      ['password changes', `password_hash = password_hash || 'x'`],
    ])("revokes the user's tokens when their %s in the database", async (_change, assignment) => {
      const username = await freshUser('change');
      const token = await login(stack.api.baseUrl, username);
      expect((await me(token)).status).toBe(200);
      await queryRows(`UPDATE users SET ${assignment} WHERE username = $1`, [username]);
      expect((await me(token)).status).toBe(401);
    });

    it("refuses a disabled user's token and their login", async () => {
      const username = await freshUser('disabled');
      const token = await login(stack.api.baseUrl, username);
      await queryRows('UPDATE users SET disabled = true WHERE username = $1', [username]);
      expect((await me(token)).status).toBe(401);
      expect((await loginAs(username, TEST_DEMO_PASSWORD, '10.0.3.1')).status).toBe(401);
    });

    it('leaves tokens alone when nothing they depend on changes', async () => {
      const username = await freshUser('unchanged');
      const token = await login(stack.api.baseUrl, username);
      await queryRows(
        `UPDATE users SET display_name = '改名', roles = roles, unit_id = unit_id, disabled = disabled WHERE username = $1`,
        [username],
      );
      expect((await me(token)).status).toBe(200);
      const [row] = await queryRows<{ token_version: number }>('SELECT token_version FROM users WHERE username = $1', [
        username,
      ]);
      expect(row.token_version).toBe(0);
    });
  });

  describe('login limit (LOGIN_FAILURES_PER_MINUTE 10 per account, 100 per address)', () => {
    it('30 parallel wrong passwords for one account: exactly 10 are checked, 20 get 429; a colleague at the same address still signs in; the account stays locked until the window passes', async () => {
      const username = await freshUser('parallel');
      const office = '10.0.1.1';
      const answers = await Promise.all(Array.from({ length: 30 }, () => loginAs(username, 'wrong', office)));
      const statuses = answers.map((answer) => answer.status);
      expect({
        401: statuses.filter((s) => s === 401).length,
        429: statuses.filter((s) => s === 429).length,
      }).toEqual({
        401: 10,
        429: 20,
      });
      for (const refused of answers.filter((answer) => answer.status === 429)) {
        expect(refused.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
        expect(String(refused.body.detail)).toContain('该账号登录失败次数过多');
        const retryAfter = Number(refused.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(refused.body.retryAfterSeconds).toBe(retryAfter);
      }

      // A colleague behind the same NAT address is not locked out by someone else's mistakes.
      expect((await loginAs('finance.head', TEST_DEMO_PASSWORD, office)).status).toBe(200);
      // The locked account is, from anywhere, even with the right password: further guesses learn nothing.
      expect((await loginAs(username, TEST_DEMO_PASSWORD, office)).status).toBe(429);
      expect((await loginAs(username, TEST_DEMO_PASSWORD, '10.0.1.2')).status).toBe(429);

      // Time passes: the attempts are moved into the past rather than waited for. Half-way through the window
      // the account is still locked, and Retry-After says how long is left.
      const age = (seconds: number) =>
        queryRows(`UPDATE login_attempts SET at = at - make_interval(secs => $2) WHERE username = $1`, [
          username,
          seconds,
        ]);
      await age(30);
      const halfWay = await loginAs(username, TEST_DEMO_PASSWORD, office);
      expect(halfWay.status).toBe(429);
      expect(Number(halfWay.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
      expect(Number(halfWay.headers.get('retry-after'))).toBeLessThanOrEqual(31);
      await age(31);
      expect((await loginAs(username, TEST_DEMO_PASSWORD, office)).status).toBe(200);
    });
  });

  describe('Cache-Control: no-store on every API answer, errors included', () => {
    const asLeader = async (method: string, path: string) =>
      stack.request(method, path, { token: await login(stack.api.baseUrl, 'leader') });
    const logout = async () =>
      stack.request('POST', '/auth/logout', {
        token: await login(stack.api.baseUrl, await freshUser('cache')),
      });

    it.each<[string, () => Promise<{ status: number; headers: Headers }>, number]>([
      ['a login', () => loginAs('leader', TEST_DEMO_PASSWORD, '10.0.4.1'), 200],
      ['a failed login', () => loginAs('leader', 'wrong', '10.0.4.2'), 401],
      ['GET /me', () => asLeader('GET', '/me'), 200],
      ['a list route', () => asLeader('GET', '/tasks'), 200],
      ['a missing token', () => stack.request('GET', '/units'), 401],
      ['a token that is not valid', () => stack.request('GET', '/me', { token: 'not-a-token' }), 401],
      ['a forbidden route', () => asLeader('GET', '/audit'), 403],
      ['a logout', logout, 204],
    ])('%s', async (_name, send, status) => {
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('but not on the API documentation, which is the same for everyone', async () => {
      const page = await fetch(`${stack.api.baseUrl.replace('/api/v1', '')}/api/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).not.toBe('no-store');
    });
  });
});

describe('login limit with small limits (LOGIN_FAILURES_PER_MINUTE=2, LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE=4)', () => {
  const stack = useStack({
    apiEnv: { LOGIN_FAILURES_PER_MINUTE: '2', LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: '4', TRUST_PROXY: 'true' },
  });

  const attempt = (username: string, ip: string, password = 'wrong') =>
    stack.request('POST', '/auth/login', {
      body: { username, password },
      headers: asClient(ip),
    });

  it('counts an account’s failures from every address (guessing from many machines)', async () => {
    const username = await freshUser('spread');
    expect((await attempt(username, '10.1.0.1')).status).toBe(401);
    expect((await attempt(username, '10.1.0.2')).status).toBe(401);
    const third = await attempt(username, '10.1.0.3', TEST_DEMO_PASSWORD);
    expect(third.status).toBe(429);
    expect(String(third.body.detail)).toContain('该账号登录失败次数过多');
  });

  it('limits one address trying many accounts, at its own higher threshold', async () => {
    const ip = '10.1.1.1';
    const names = Array.from({ length: 4 }, (_, index) => `auth-test-nobody-${index}-${process.pid}`);
    for (const name of names) expect((await attempt(name, ip)).status).toBe(401);
    const fifth = await attempt(await freshUser('address'), ip, TEST_DEMO_PASSWORD);
    expect(fifth.status).toBe(429);
    expect(String(fifth.body.detail)).toContain('从这个地址登录失败次数过多');
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another address is not affected.
    expect((await attempt('supervisor', '10.1.1.2', TEST_DEMO_PASSWORD)).status).toBe(200);
  });
});

describe('request hygiene', () => {
  const stack = useStack();

  it('rejects unknown body fields with 400 naming the field', async () => {
    const response = await stack.request('POST', '/auth/login', {
      body: { username: 'supervisor', password: 'x', roles: ['admin'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.detail).toContain('roles');
  });

  it('rejects malformed JSON and an empty JSON body with 400 problem+json', async () => {
    for (const body of ['{"username": ', '']) {
      const response = await fetch(`${stack.api.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers a body type no route reads (form-encoded) with 415 problem+json', async () => {
    const response = await stack.request('POST', '/auth/login', {
      body: 'username=supervisor&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a body over the size limit with 413', async () => {
    const response = await stack.request('POST', '/auth/login', {
      body: { username: 'x'.repeat(2 * 1024 * 1024), password: 'y' },
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const response = await stack.request('GET', '/no-such-route');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('sends security headers', async () => {
    const response = await stack.request('GET', '/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const origin = stack.api.baseUrl.replace('/api/v1', '');
    const document = (await (await fetch(`${origin}/api/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/auth/logout',
        '/api/v1/me',
        '/api/v1/units',
        '/api/v1/health',
      ]),
    );
    const page = await fetch(`${origin}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    expect((await fetch(`${origin}/api/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
