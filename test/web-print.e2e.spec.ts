import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describeInBrowser, ownDatabase, SCREENSHOTS, useBrowser, useStack } from '@county/test-kit';
import { readXlsx } from './support/xlsx';

/** The first sheet's rows, an empty cell as '' (the reader gives null). */
const readFirstSheet = (bytes: Uint8Array) =>
  readXlsx(bytes).sheets[0].rows.map((row) => row.map((cell) => cell ?? ''));

const SEED = readFileSync(path.resolve(__dirname, '../seeds/pingluo-2021-grassroots-reform-task-list.txt'), 'utf8');
/** Fixed-length escalation steps, so nothing here waits on a working-day calendar for 2027. */
const POLICY = {
  assignment: {
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'P3D', level: 2 },
      { after: 'P7D', level: 3 },
    ],
  },
};
/** The seed plan's board on A4 (measured: 3 pages with the print stylesheet, 11 without it). */
const MAX_BOARD_PAGES = 4;

/** A PDF's page count, from its page objects (Chromium writes one `/Type /Page` per page). */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;

/** What must never be on paper: navigation, the header, buttons, dialogs, form controls. */
const visibleControls = (page: Page) =>
  page
    .locator('header.top:visible, nav:visible, button:visible, dialog:visible, input:visible, select:visible')
    .count();

/**
 * The print stylesheet removed (its @media print and @page rules), to measure what printing gave before it. A string:
 * it runs in the page, and the suites compile without the DOM's types.
 */
const withoutPrintStylesheet = (page: Page) =>
  page.evaluate(`
    for (const sheet of Array.from(document.styleSheets)) {
      for (let index = sheet.cssRules.length - 1; index >= 0; index--) {
        const rule = sheet.cssRules[index];
        if ((rule instanceof CSSMediaRule && rule.media.mediaText.includes('print')) || rule instanceof CSSPageRule)
          sheet.deleteRule(index);
      }
    }`);

type StyleWindow = { getComputedStyle(element: unknown, pseudo?: string): Record<string, string> };
/** One computed style property of the first element `locator` finds (of its ::before with `pseudo`). */
const styleOf = (locator: Locator, property: string, pseudo?: string) =>
  locator
    .first()
    .evaluate(
      (element, [name, pseudoElement]) =>
        (element.ownerDocument.defaultView as unknown as StyleWindow).getComputedStyle(element, pseudoElement)[name!],
      [property, pseudo] as const,
    );

describeInBrowser('print (the board, a task page and the 台账 on A4) and the board’s 考核 export', () => {
  jest.setTimeout(240_000);
  // Its own database: the board shows every plan's figures, and the page count is the seed plan's alone.
  const database = ownDatabase('print');
  const stack = useStack(
    {
      databaseUrl: database.url,
      worker: true,
      users: ['supervisor'],
      plan: { text: SEED, fields: { year: '2027' }, policy: POLICY, startTimeoutMs: 180_000 },
    },
    240_000,
  );
  afterAll(() => database.drop());
  const origin = () => new URL(stack.baseUrl).origin;
  const { signedInPage, screenshot } = useBrowser(origin);

  it('the board prints without controls, lights as words, and fits the measured page count', async () => {
    const page = await signedInPage('supervisor');
    await page.getByRole('link', { name: '督查看板' }).click();
    await page.getByTestId('plan-lights').locator('tbody tr').nth(15).waitFor({ timeout: 30_000 });
    await page.getByTestId('assessment').waitFor();
    await page.getByRole('button', { name: '打印' }).waitFor();
    // The 考核 section: this year picked, 导出 saves the .xlsx the API wrote (read back without exceljs).
    const assessment = page.getByTestId('assessment');
    await assessment.getByLabel('考核周期').selectOption('year');
    const year = await assessment.getByLabel('考核期间').inputValue();
    expect(year).toMatch(/^\d{4}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      assessment.getByRole('button', { name: '导出' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`考核-${year}.xlsx`);
    const sheet = readFirstSheet(new Uint8Array(readFileSync((await download.path())!)));
    expect(sheet[0]).toEqual([`${year} 考核得分`]);
    expect(sheet[1].slice(0, 3)).toEqual(['排名', '单位', '得分']);

    await page.emulateMedia({ media: 'print' });
    expect(await visibleControls(page)).toBe(0);
    const stamp = page.getByTestId('print-stamp');
    expect(await stamp.isVisible()).toBe(true);
    expect(await stamp.textContent()).toMatch(/督查看板 · 打印时间 \d{4}/);
    // The light is a word on paper too (a black-and-white printer loses the colour).
    const badge = page.getByTestId('plan-lights').locator('.light[data-light]');
    const light = (await badge.first().getAttribute('data-light')) as 'green' | 'yellow' | 'red';
    expect(await styleOf(badge, 'content', '::before')).toBe(`"${{ green: '绿', yellow: '黄', red: '红' }[light]}"`);
    // Header rows repeat on every page; no row is split across two.
    const table = page.getByTestId('plan-lights');
    expect(await styleOf(table.locator('thead'), 'display')).toBe('table-header-group');
    expect(await styleOf(table.locator('tbody tr'), 'breakInside')).toBe('avoid');
    await screenshot(page, 'print-board');

    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(path.join(SCREENSHOTS, 'print-board.pdf'), pdf);
    const pages = pageCount(pdf);

    await withoutPrintStylesheet(page);
    const before = pageCount(await page.pdf({ format: 'A4', printBackground: true }));
    console.log(`the seed plan's board on A4: ${pages} pages with the print stylesheet, ${before} without`);
    expect(pages).toBeLessThanOrEqual(MAX_BOARD_PAGES);
    expect(pages).toBeLessThan(before);
  });

  it('a task page and the 台账 print without controls, titled and timed', async () => {
    const page = await signedInPage('supervisor');
    const task = stack.plan.tasks[6];
    await page.goto(`${origin()}/tasks/${task.id}`);
    await page.getByRole('button', { name: '打印' }).waitFor({ timeout: 30_000 });
    await page.emulateMedia({ media: 'print' });
    expect(await visibleControls(page)).toBe(0);
    expect(await page.getByTestId('print-stamp').textContent()).toMatch(/任务 7 · 打印时间 \d{4}/);
    await screenshot(page, 'print-task');
    writeFileSync(path.join(SCREENSHOTS, 'print-task.pdf'), await page.pdf({ format: 'A4', printBackground: true }));

    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('navigation').getByRole('link', { name: '任务', exact: true }).click();
    await page.locator('table tbody tr').nth(15).waitFor({ timeout: 30_000 });
    await page.emulateMedia({ media: 'print' });
    expect(await visibleControls(page)).toBe(0);
    expect(await page.getByTestId('print-stamp').textContent()).toMatch(/任务台账 · 打印时间 \d{4}/);
    await screenshot(page, 'print-ledger');
    const ledger = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(path.join(SCREENSHOTS, 'print-ledger.pdf'), ledger);
    console.log(`the seed plan's 台账 on A4: ${pageCount(ledger)} pages`);
  });
});
