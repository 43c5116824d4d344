import { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://localhost/county' };

describe('loadConfig', () => {
  it('uses documented defaults in local mode', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      demoPassword: DEFAULT_DEMO_PASSWORD,
      loginFailuresPerMinute: 10,
      loginFailuresPerAddressPerMinute: 100,
    });
    // No JWT_SECRET: the token service makes and keeps a random key in the data directory.
    expect(loadConfig(base).jwtSecret).toBeUndefined();
    expect(loadConfig({ ...base, COUNTY_DATA_DIR: '/var/lib/county' }).dataDir).toBe('/var/lib/county');
  });

  it('refuses a short JWT_SECRET, and the key earlier releases published in their source, in any mode', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow(/at least 32 characters, got 5/);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'local-development-only-secret-do-not-use-in-production' })).toThrow(
      /JWT_SECRET is the key published in the source/,
    );
    expect(loadConfig({ ...base, JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
  });

  it('takes a METRICS_TOKEN only when it is long enough to be a secret', () => {
    expect(loadConfig(base).metricsToken).toBeUndefined();
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'scrape' })).toThrow(
      /METRICS_TOKEN must be at least 32 characters, got 6/,
    );
    expect(loadConfig({ ...base, METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
  });

  it('moves /metrics to a listener of its own only when METRICS_PORT is set', () => {
    expect(loadConfig(base).metricsListener).toBeUndefined();
    expect(loadConfig({ ...base, METRICS_PORT: '9100' }).metricsListener).toEqual({ port: 9100, host: '127.0.0.1' });
    expect(loadConfig({ ...base, METRICS_PORT: '9100', METRICS_HOST: '10.0.0.5' }).metricsListener).toEqual({
      port: 9100,
      host: '10.0.0.5',
    });
    expect(() => loadConfig({ ...base, METRICS_PORT: '3000' })).toThrow(
      /METRICS_PORT must be a port number other than PORT's/,
    );
    expect(() => loadConfig({ ...base, METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ ...base, METRICS_PORT: 'x' })).toThrow(/METRICS_PORT must be a positive integer/);
  });

  it('keeps the per-address login limit at or above the per-account one', () => {
    expect(loadConfig({ ...base, LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: '20' }).loginFailuresPerAddressPerMinute).toBe(
      20,
    );
    expect(() =>
      loadConfig({ ...base, LOGIN_FAILURES_PER_MINUTE: '10', LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE: '5' }),
    ).toThrow(/LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE \(5\) must be at least LOGIN_FAILURES_PER_MINUTE \(10\)/);
  });

  it('refuses DEMO_PASSWORD in production and requires a real JWT secret', () => {
    const attempt = () => loadConfig({ ...base, NODE_ENV: 'production', DEMO_PASSWORD: 'x', JWT_SECRET: 'short' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DEMO_PASSWORD is refused/);
    expect(attempt).toThrow(/JWT_SECRET must be set to at least 32 characters/);
  });

  it('creates no demo users in production', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).demoPassword).toBeUndefined();
  });

  it('names a malformed number and a missing DATABASE_URL', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT must be a positive integer, got "eighty"/);
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required/);
  });

  it('reads ASSESSMENT_POLICY as a JSON object', () => {
    expect(loadConfig({ ...base, ASSESSMENT_POLICY: '{"weights":{"taskOnTime":10}}' }).assessmentPolicy).toEqual({
      weights: { taskOnTime: 10 },
    });
    expect(() => loadConfig({ ...base, ASSESSMENT_POLICY: '7' })).toThrow(/ASSESSMENT_POLICY must be a JSON object/);
  });

  it('reads CALL_POLICY as a JSON object and names it when it is not one', () => {
    expect(loadConfig({ ...base, CALL_POLICY: '{"autoCloseAfter":"PT5S"}' }).callPolicy).toEqual({
      autoCloseAfter: 'PT5S',
    });
    expect(loadConfig(base).callPolicy).toBeUndefined();
    expect(() => loadConfig({ ...base, CALL_POLICY: '[1]' })).toThrow(/CALL_POLICY must be a JSON object/);
    expect(() => loadConfig({ ...base, CALL_POLICY: '{oops' })).toThrow(/CALL_POLICY must be a JSON object/);
  });

  describe('single sign-on (OIDC_*)', () => {
    const oidc = {
      OIDC_ISSUER_URL: 'https://idp.example.gov.cn/realms/county',
      OIDC_CLIENT_ID: 'county-task-engine',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_REDIRECT_URL: 'https://tasks.example.gov.cn/login/oidc',
    };

    it('is off unless configured, and then matches by preferred_username without creating anyone', () => {
      expect(loadConfig(base).oidc).toBeUndefined();
      expect(loadConfig({ ...base, ...oidc }).oidc).toEqual({
        issuerUrl: oidc.OIDC_ISSUER_URL,
        clientId: 'county-task-engine',
        clientSecret: 'secret',
        redirectUrl: oidc.OIDC_REDIRECT_URL,
        usernameClaim: 'preferred_username',
        scopes: 'openid profile',
        buttonLabel: '统一身份认证登录',
        autoCreateUnitId: undefined,
      });
      expect(
        loadConfig({ ...base, ...oidc, OIDC_USERNAME_CLAIM: 'employee_no', OIDC_SCOPES: 'profile email' }).oidc,
      ).toMatchObject({ usernameClaim: 'employee_no', scopes: 'openid profile email' });
    });

    it('refuses a half configuration, a relative URL, plain HTTP in production, and auto-creation without a unit', () => {
      expect(() => loadConfig({ ...base, OIDC_ISSUER_URL: oidc.OIDC_ISSUER_URL })).toThrow(
        /missing: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URL/,
      );
      expect(() => loadConfig({ ...base, ...oidc, OIDC_REDIRECT_URL: '/login/oidc' })).toThrow(
        /OIDC_REDIRECT_URL must be an absolute URL/,
      );
      expect(() =>
        loadConfig({
          ...base,
          ...oidc,
          NODE_ENV: 'production',
          JWT_SECRET: 'y'.repeat(40),
          OIDC_ISSUER_URL: 'http://idp.example.gov.cn',
        }),
      ).toThrow(/OIDC_ISSUER_URL must be https when NODE_ENV=production/);
      expect(() => loadConfig({ ...base, ...oidc, OIDC_AUTO_CREATE: 'true' })).toThrow(/needs OIDC_AUTO_CREATE_UNIT/);
      expect(
        loadConfig({ ...base, ...oidc, OIDC_AUTO_CREATE: 'true', OIDC_AUTO_CREATE_UNIT: 'finance' }).oidc
          ?.autoCreateUnitId,
      ).toBe('finance');
      // The unit alone does not switch auto-creation on.
      expect(loadConfig({ ...base, ...oidc, OIDC_AUTO_CREATE_UNIT: 'finance' }).oidc?.autoCreateUnitId).toBeUndefined();
    });
  });
});
