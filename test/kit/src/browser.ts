import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page } from 'playwright-core';
import { TEST_DEMO_PASSWORD } from './constants';

/**
 * The browser suites' wiring, in one place: Debian's Chromium (headless) or CHROMIUM_PATH; the suites skip without it
 * unless the run requires them (CI or REQUIRE_BROWSER=1), then they fail instead.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const BROWSER_REQUIRED = Boolean(process.env.CI) || process.env.REQUIRE_BROWSER === '1';
export const HAVE_BROWSER = existsSync(CHROMIUM);
/** test/output/screenshots (from the kit's src or dist alike). */
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'output', 'screenshots');

export interface Viewport {
  width: number;
  height: number;
}

/** The two screens every browser suite checks: a common office laptop and a phone (issue 18). */
export const DESKTOP: Viewport = { width: 1366, height: 768 };
export const PHONE: Viewport = { width: 390, height: 844 };

/**
 * Runs of three or more Latin words in `text`: an English sentence reaching a user. Unit ids (civil-affairs),
 * usernames (finance.staff), file names (报告.pdf) and single words (PDF, Excel) are one token each and pass.
 */
export function englishSentences(text: string): string[] {
  // A token keeps its dots, hyphens and digits (finance.staff, civil-affairs, v1.2); words are joined by spaces or
  // sentence punctuation only: innerText separates table cells with tabs, which are not one sentence.
  const word = "[A-Za-z][\\w'’.-]*";
  const runs = text.match(new RegExp(`${word}(?:[ ,;:()]+${word}){2,}`, 'g')) ?? [];
  return runs.map((run) => run.trim());
}

/** The visible text of the page (what a screenshot shows, without input values or attributes). */
export async function visibleText(page: Page): Promise<string> {
  // Runs in the page; the tests compile without DOM types, hence the narrow view of the browser's globals.
  return page.evaluate(
    () => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
  );
}

/** Fails unless the page fits its viewport's width (no horizontal scroll on a phone or a laptop). */
export async function expectNoHorizontalScroll(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const browserGlobals = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
      innerWidth: number;
    };
    return { scrollWidth: browserGlobals.document.documentElement.scrollWidth, innerWidth: browserGlobals.innerWidth };
  });
  expect({ what, scrollWidth: scrollWidth <= innerWidth ? 'fits' : scrollWidth }).toEqual({
    what,
    scrollWidth: 'fits',
  });
}

/**
 * `describe(name, fn)` when there is a Chromium (or the run requires one: then the suite fails before any service
 * starts); `describe.skip` with a loud warning otherwise.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (!HAVE_BROWSER && !BROWSER_REQUIRED) {
    console.warn(
      `\n*** SKIPPING the browser tests (${name}): no Chromium at ${CHROMIUM}. ***\n` +
        '*** Install it with `apt-get install chromium` or set CHROMIUM_PATH; CI (REQUIRE_BROWSER=1) fails instead. ***\n',
    );
    describe.skip(name, fn);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      // Before any service starts: without the browser there is nothing to test.
      if (!HAVE_BROWSER) {
        throw new Error(
          `No Chromium at ${CHROMIUM}, and this run requires the browser tests (CI or REQUIRE_BROWSER=1). ` +
            'Install it with `apt-get install -y chromium` or point CHROMIUM_PATH at one.',
        );
      }
    });
    fn();
  });
}

export interface UseBrowserOptions {
  /** Every context's options unless openPage() overrides them (default: zh-CN, Beijing time). */
  context?: BrowserContextOptions;
  /** Check after each test that no console error or page error is left in `problems` (default true). */
  checkProblems?: boolean;
  /** Console errors that are no problem in this suite (e.g. a 4xx a dialog shows on purpose). */
  ignoreConsole?: RegExp;
}

export interface SignInOptions {
  /** Wait for the signed-in console (`who`); false when the login leads elsewhere (修改密码, a refusal). */
  waitForConsole?: boolean;
}

export interface BrowserKit {
  /** A new context (closed after the suite) and its page, whose console errors and page errors go to `problems`. */
  openPage(options?: BrowserContextOptions): Promise<Page>;
  /** The console's login form by username and password (default: the demo password); signs out first if needed. */
  signIn(page: Page, username: string, password?: string, options?: SignInOptions): Promise<void>;
  /** openPage() and signIn() in one: a new page signed in as `username`. */
  signedInPage(username: string, password?: string): Promise<Page>;
  /** Console errors and uncaught page errors since the test began; each test must end with none it did not cause. */
  readonly problems: string[];
  /** Drop the problems matching `pattern` (the ones a test caused on purpose). */
  forgive(pattern: RegExp): void;
  /**
   * A full-page screenshot into test/output/screenshots/<name>.png; any English sentence on the page
   * (englishSentences) joins `problems`, so the test fails: users read Chinese only.
   */
  screenshot(page: Page, name: string): Promise<void>;
}

/** One Chromium for the suite (launched in beforeAll, closed in afterAll) against the console at `origin()`. */
export function useBrowser(origin: () => string, options: UseBrowserOptions = {}): BrowserKit {
  const defaults = options.context ?? { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });
  beforeEach(() => {
    problems.length = 0;
  });
  if (options.checkProblems ?? true) {
    afterEach(() => {
      expect(problems).toEqual([]);
    });
  }

  async function openPage(contextOptions: BrowserContextOptions = {}): Promise<Page> {
    if (!browser) throw new Error('useBrowser(): the browser is not launched yet (call openPage() in a test).');
    const context = await browser.newContext({ ...defaults, ...contextOptions });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (options.ignoreConsole?.test(message.text())) return;
      problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  }

  async function signIn(
    page: Page,
    username: string,
    password = TEST_DEMO_PASSWORD,
    signInOptions: SignInOptions = {},
  ): Promise<void> {
    await page.goto(`${origin()}/`);
    const signOut = page.getByRole('button', { name: '退出' });
    if (await signOut.isVisible()) await signOut.click();
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    if (signInOptions.waitForConsole ?? true) await page.getByTestId('who').waitFor();
  }

  return {
    problems,
    openPage,
    signIn,
    async signedInPage(username, password) {
      const page = await openPage();
      await signIn(page, username, password);
      return page;
    },
    forgive(pattern) {
      const kept = problems.filter((problem) => !pattern.test(problem));
      problems.splice(0, problems.length, ...kept);
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
      const english = englishSentences(await visibleText(page));
      if (english.length > 0) problems.push(`English on screen in ${name}.png: ${english.join(' | ')}`);
    },
  };
}

/** One click on `button` in `scope`, fill the confirmation dialog's `fields` (label → value), 确认, and wait for it to close. */
export async function clickAndConfirm(
  page: Page,
  scope: Locator,
  button: string,
  fields: Record<string, string> = {},
): Promise<void> {
  await scope.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.locator('dialog[open]');
  for (const [label, value] of Object.entries(fields)) {
    const input = dialog.getByLabel(label, { exact: true });
    if ((await input.evaluate((element) => element.tagName)) === 'SELECT') await input.selectOption(value);
    else await input.fill(value);
  }
  await dialog.getByRole('button', { name: '确认' }).click();
  await dialog.waitFor({ state: 'detached' });
}
