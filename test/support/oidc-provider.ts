import type { Server } from 'node:http';
import { Provider } from 'oidc-provider';
import { freePort } from '@county/scripts/dist/free-port';
import { request, RunningApi } from '@county/test-kit';

/**
 * A REAL OpenID provider for the single sign-on suites: the `oidc-provider` package (7.x, the last CommonJS line,
 * which loads under Jest), with an account store of its own, serving discovery, its login and consent pages, the
 * token and userinfo endpoints. `signInAtProvider` plays the browser: it follows the redirects, fills the
 * provider's forms and stops at the redirect URL, whose query the console would pass on to the API's callback.
 */

export const CLIENT_ID = 'county-task-engine';
export const CLIENT_SECRET = 'a-client-secret-only-this-test-knows-0123456789';

/** The provider's people: subject → claims. `employee_no` is the claim a county may match on instead. */
export const ACCOUNTS: Record<string, Record<string, string>> = {
  'sub-finance-staff': { preferred_username: 'finance.staff', employee_no: 'E-1001', name: '财政局工作人员' },
  'sub-stranger': { preferred_username: 'not.registered.here', employee_no: 'E-9999', name: '外单位人员' },
  'sub-disabled': { preferred_username: 'oidc-test-disabled', name: '已停用人员' },
  'sub-by-number': { preferred_username: 'someone-else', employee_no: 'finance.head', name: '按工号匹配' },
  'sub-new': { preferred_username: 'oidc-test-newcomer', name: '新来的同志' },
  // What a provider could send that the database cannot store: it must match nobody, not break the callback.
  'sub-unstorable': { preferred_username: 'finance.staff\u0000', name: 'a\ud800b' },
};

export interface RunningProvider {
  issuer: string;
  close(): Promise<void>;
}

export async function startProvider(redirectUrl: string): Promise<RunningProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUrl],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true, methods: ['S256'] },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'employee_no'] },
    cookies: { keys: ['oidc-e2e-cookie-key'] },
    // Stated, so the provider does not print a notice for each default it uses.
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    findAccount: (_ctx, sub) =>
      ACCOUNTS[sub] ? { accountId: sub, claims: () => Promise.resolve({ sub, ...ACCOUNTS[sub] }) } : undefined,
  });
  // The provider's dev login form complains about running without TLS/own keys; that is the test's choice.
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider', error));
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { issuer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A browser's cookies, by name (enough for one login at a time). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) {
        this.cookies.delete(pair.slice(0, at));
      } else this.cookies.set(pair.slice(0, at), value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

export async function go(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.take(response);
  return response;
}

/**
 * Logs in at the provider as `accountId` from the API's login route: login form, consent form, and the redirect to
 * the redirect URL. Returns the query the provider put on it, and the browser's cookies (with the API's).
 */
export async function signInAtProvider(
  api: RunningApi,
  accountId: string,
  jar = new CookieJar(),
): Promise<{ query: URLSearchParams; jar: CookieJar }> {
  let response = await go(jar, `${api.baseUrl}/auth/oidc/login`);
  expect(response.status).toBe(302);
  expect(jar.has('county_oidc')).toBe(true);
  let location = response.headers.get('location')!;
  const authorize = new URL(location);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('code_challenge')).toBeTruthy();
  expect(authorize.searchParams.get('nonce')).toBeTruthy();
  for (let hop = 0; hop < 12; hop++) {
    const url = new URL(location, authorize);
    if (url.searchParams.has('code') || url.searchParams.has('error')) return { query: url.searchParams, jar };
    const interaction = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (interaction) {
      const page = await (await go(jar, url.href)).text();
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
      const form = new URLSearchParams(
        prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt: prompt ?? 'consent' },
      );
      response = await go(jar, url.href, {
        method: 'POST',
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    } else {
      response = await go(jar, url.href);
    }
    expect([302, 303]).toContain(response.status);
    location = response.headers.get('location')!;
  }
  throw new Error('the provider never redirected back');
}

export async function callback(api: RunningApi, query: URLSearchParams, jar: CookieJar) {
  return request<Record<string, unknown> & { accessToken: string; user: { username: string } }>(
    api.baseUrl,
    'GET',
    `/auth/oidc/callback?${query}`,
    { headers: { cookie: jar.header() } },
  );
}
