import jwt from 'jsonwebtoken';
import { login, request, RunningApi, startApi } from './support/api';
import { TEST_DEMO_PASSWORD } from './support/constants';

const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

describe('authentication', () => {
  let api: RunningApi;

  beforeAll(async () => {
    // TRUST_PROXY lets each test act as its own client (X-Forwarded-For), so the login rate limit
    // of one test does not leak into another.
    api = await startApi({ JWT_SECRET, TRUST_PROXY: 'true' });
  });
  afterAll(() => api?.close());

  const asClient = (ip: string) => ({ 'x-forwarded-for': ip });

  it('logs a demo user in and GET /me returns the user, unit and roles from the database', async () => {
    const response = await request<{ accessToken: string; tokenType: string; user: { username: string } }>(
      api.baseUrl,
      'POST',
      '/auth/login',
      { body: { username: 'approval.head', password: TEST_DEMO_PASSWORD }, headers: asClient('10.0.0.1') },
    );
    expect(response.status).toBe(200);
    expect(response.body.tokenType).toBe('Bearer');
    expect(response.body.user.username).toBe('approval.head');

    const me = await request(api.baseUrl, 'GET', '/me', { token: response.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      username: 'approval.head',
      unitId: 'approval',
      roles: ['head'],
      unit: { id: 'approval', name: '县审批局', kind: 'county-dept' },
    });
  });

  it.each(['supervisor', 'leader', 'admin', 'chengguan.staff'])('has the demo user %s', async (username) => {
    const token = await login(api.baseUrl, username);
    const me = await request<{ username: string }>(api.baseUrl, 'GET', '/me', { token });
    expect(me.body.username).toBe(username);
  });

  it('answers a wrong password with 401 problem+json and no token', async () => {
    const response = await request(api.baseUrl, 'POST', '/auth/login', {
      body: { username: 'supervisor', password: 'not-the-password' },
      headers: asClient('10.0.0.2'),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'Wrong username or password.',
      code: 'INVALID_CREDENTIALS',
    });
  });

  it('answers an unknown user exactly like a wrong password (no user enumeration)', async () => {
    const response = await request(api.baseUrl, 'POST', '/auth/login', {
      body: { username: 'nobody', password: 'whatever' },
      headers: asClient('10.0.0.3'),
    });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_CREDENTIALS');
  });

  describe('rejects tokens it did not issue', () => {
    let token: string;
    beforeAll(async () => {
      token = await login(api.baseUrl, 'supervisor');
    });

    const expect401 = async (badToken: string) => {
      const response = await request(api.baseUrl, 'GET', '/me', { token: badToken });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    };

    it('accepts the genuine token (control)', async () => {
      expect((await request(api.baseUrl, 'GET', '/me', { token })).status).toBe(200);
    });

    it('no token', async () => {
      const response = await request(api.baseUrl, 'GET', '/me');
      expect(response.status).toBe(401);
    });

    it('a tampered payload (roles changed, signature kept)', async () => {
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      claims.roles = ['admin'];
      await expect401(`${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`);
    });

    it('alg: none', async () => {
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await expect401(`${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`);
    });

    it('signed with another key', async () => {
      const claims = jwt.decode(token) as jwt.JwtPayload;
      await expect401(jwt.sign({ ...claims }, 'some-other-secret-some-other-secret', { algorithm: 'HS256' }));
    });

    it('expired', async () => {
      const claims = jwt.decode(token) as jwt.JwtPayload;
      await expect401(
        jwt.sign(
          { ...claims, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 },
          JWT_SECRET,
          {
            algorithm: 'HS256',
          },
        ),
      );
    });

    it('for a user that does not exist', async () => {
      const claims = jwt.decode(token) as jwt.JwtPayload;
      await expect401(
        jwt.sign({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }, JWT_SECRET, { algorithm: 'HS256' }),
      );
    });
  });

  it('answers the 11th failed login within a minute from one client with 429, and other clients are unaffected', async () => {
    const attempt = (ip: string, password = 'wrong') =>
      request(api.baseUrl, 'POST', '/auth/login', {
        body: { username: 'supervisor', password },
        headers: asClient(ip),
      });

    for (let i = 1; i <= 10; i += 1) expect((await attempt('10.0.1.1')).status).toBe(401);
    const eleventh = await attempt('10.0.1.1');
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.code).toBe('TOO_MANY_REQUESTS');
    expect(eleventh.headers.get('retry-after')).toBe('60');
    // Even the right password is refused while the client is locked out.
    expect((await attempt('10.0.1.1', TEST_DEMO_PASSWORD)).status).toBe(429);
    // Another client can still log in.
    expect((await attempt('10.0.1.2', TEST_DEMO_PASSWORD)).status).toBe(200);
  });
});

describe('request hygiene', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.close());

  it('rejects unknown body fields with 400 naming the field', async () => {
    const response = await request(api.baseUrl, 'POST', '/auth/login', {
      body: { username: 'supervisor', password: 'x', roles: ['admin'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.detail).toContain('roles');
  });

  it('rejects malformed JSON with 400 problem+json', async () => {
    const response = await request(api.baseUrl, 'POST', '/auth/login', { body: '{"username": ' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('rejects a body over the size limit with 413', async () => {
    const response = await request(api.baseUrl, 'POST', '/auth/login', {
      body: { username: 'x'.repeat(2 * 1024 * 1024), password: 'y' },
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const response = await request(api.baseUrl, 'GET', '/no-such-route');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('sends security headers', async () => {
    const response = await request(api.baseUrl, 'GET', '/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const origin = api.baseUrl.replace('/api/v1', '');
    const document = (await (await fetch(`${origin}/api/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/units', '/api/v1/health']),
    );
    const page = await fetch(`${origin}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    expect((await fetch(`${origin}/api/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
