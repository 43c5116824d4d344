import { Locator, Page } from 'playwright-core';
import { createApp, loadConfig } from '@county/api';
import { freePort } from '@county/scripts/dist/free-port';
import { describeInBrowser, RunningApi, startApi, uniqueTaskQueue, useBrowser } from '@county/test-kit';
import { CLIENT_ID, CLIENT_SECRET, RunningProvider, startProvider } from './support/oidc-provider';

/**
 * 统一身份认证 in the console, in a real browser (Debian's Chromium) against the real API and a real OpenID provider
 * (test/support/oidc-provider.ts): the login page's button, the provider's own login and consent pages, the way
 * back to the console's /login/oidc page and into the console; a person the registry does not know sees why.
 */
/** The API on a port chosen beforehand: the provider must know the console's redirect URL before it starts. */
async function startApiOn(port: number, env: NodeJS.ProcessEnv): Promise<RunningApi> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('api-test'),
    ...env,
  });
  const app = await createApp(config, { logLevels: ['error'] });
  await app.listen({ port, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${port}`;
  return { origin, baseUrl: `${origin}/api/v1`, close: () => app.close() };
}

describeInBrowser('统一身份认证 in the console (browser)', () => {
  jest.setTimeout(120_000);
  let provider: RunningProvider;
  let api: RunningApi;
  let plain: RunningApi;
  // The provider's own pages are not the console's: their console output is not checked here. (Declared first, so
  // the browser closes before the servers it talks to.)
  const { openPage } = useBrowser(() => api.origin, { context: {}, checkProblems: false });

  beforeAll(async () => {
    const port = await freePort();
    provider = await startProvider(`http://127.0.0.1:${port}/login/oidc`);
    api = await startApiOn(port, {
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URL: `http://127.0.0.1:${port}/login/oidc`,
    });
    plain = await startApi();
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await plain?.close();
    await provider?.close();
  });

  /** From the console's login page through the provider's login and consent pages, back to the console. */
  async function signIn(page: Page, accountId: string, start = '/'): Promise<void> {
    await page.goto(`${api.origin}${start}`);
    await page.getByRole('link', { name: '统一身份认证登录' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(accountId);
    await page.locator('input[name="password"]').fill('provider-side password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === api.origin);
  }

  it('logs a registered user in through the identity platform', async () => {
    const page = await openPage();
    await signIn(page, 'sub-finance-staff');
    await page.getByTestId('who').waitFor();
    await expectText(page.getByTestId('who'), /财政/);
    // The single-use code is gone from the address bar.
    expect(new URL(page.url()).search).toBe('');
  });

  it('opens the page the link asked for once the identity platform sends the browser back', async () => {
    const page = await openPage();
    await signIn(page, 'sub-finance-staff', '/done?scope=unit');
    await page.getByTestId('who').waitFor();
    const back = new URL(page.url());
    expect(back.pathname + back.search).toBe('/done?scope=unit');
  });

  it('tells a person the registry does not know, in Chinese, and stays on the login page', async () => {
    const page = await openPage();
    await signIn(page, 'sub-stranger');
    await page.getByText('未在本系统登记').waitFor();
    expect(await page.getByTestId('who').count()).toBe(0);
    expect(await page.locator('input[name="username"]').count()).toBe(1);
  });

  it('shows no SSO button when single sign-on is not configured', async () => {
    const page = await openPage();
    const options = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/options'));
    await page.goto(plain.origin);
    expect((await (await options).json()) as unknown).toEqual({ password: true, oidc: null });
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(await page.getByTestId('sso-login').count()).toBe(0);
  });
});

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  expect(await locator.textContent()).toMatch(pattern);
}
