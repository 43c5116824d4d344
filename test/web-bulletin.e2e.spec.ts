import { readFileSync } from 'node:fs';
import { describeInBrowser, ownDatabase, queryRows, useBrowser, useStack } from '@county/test-kit';
import { paragraphsOf, readDocxBlocks } from './support/docx-text';

/**
 * 通报 in a real browser against the real API, worker, Temporal and PostgreSQL: the supervisor generates last
 * month's 督查通报 with the picker, it is listed with its figures and 下载 saves the .docx; a unit's user finds it
 * from the notification and downloads it too.
 */
describeInBrowser('督查通报 in the console', () => {
  jest.setTimeout(180_000);
  // Its own database: the list shows this suite's bulletins only.
  const database = ownDatabase('web_bulletin');
  const stack = useStack({ databaseUrl: database.url, worker: true, users: ['supervisor'], plan: {} });
  afterAll(() => database.drop());
  const origin = () => new URL(stack.baseUrl).origin;
  const { signedInPage: signIn, screenshot, problems } = useBrowser(origin);

  it('the supervisor generates last month’s 通报, it is listed and 下载 gives the .docx; a unit reads it', async () => {
    const page = await signIn('supervisor');
    await page.getByRole('link', { name: '通报', exact: true }).click();
    await page.getByRole('heading', { name: '督查通报', exact: true }).waitFor();
    await page.getByText('暂无通报').waitFor();

    // The picker starts on the month just ended.
    const picked = await page.getByLabel('期间').inputValue();
    expect(picked).toMatch(/^\d{4}-\d{2}$/);
    await page.getByRole('button', { name: '生成通报' }).click();
    await page
      .getByRole('status')
      .getByText(/已生成平罗县改革任务督查通报（\d{4}年\d{1,2}月）/)
      .waitFor();
    const row = page.getByTestId('bulletins').locator('tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const [stored] = await queryRows<{ id: string; title: string; period: string; trigger: string }>(
      'SELECT id, title, period, trigger FROM bulletins',
      [],
      database.url,
    );
    expect({ period: stored.period, trigger: stored.trigger }).toEqual({ period: picked, trigger: 'manual' });
    const cells = await row.first().locator('td').allTextContents();
    expect(cells[2]).toBe('手动');
    // The plan's one task, in green: tasks 1, red 0.
    expect(cells.slice(4, 6)).toEqual(['1', '0']);
    await screenshot(page, 'bulletins-list');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.first().getByRole('button', { name: '下载' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${stored.title}.docx`);
    const text = paragraphsOf(readDocxBlocks(readFileSync((await download.path())!)));
    expect(text).toContain(stored.title);
    expect(text.some((line) => line.startsWith('全县共有改革任务 1 项'))).toBe(true);

    // A unit's staff: the notification leads to the page, where the same bulletin can be downloaded.
    const unit = await signIn('finance.staff');
    await unit.locator('nav a[href="/notifications"]').click();
    await unit.getByRole('link', { name: `督查通报已印发：${stored.title}` }).click();
    await unit.getByRole('heading', { name: '督查通报', exact: true }).waitFor();
    expect(unit.url()).toMatch(/\/bulletins$/);
    await unit.getByTestId('bulletins').locator(`tr[data-bulletin="${stored.id}"]`).waitFor();
    expect(await unit.getByRole('button', { name: '生成通报' }).count()).toBe(0);
    const [unitDownload] = await Promise.all([
      unit.waitForEvent('download'),
      unit.locator(`tr[data-bulletin="${stored.id}"]`).getByRole('button', { name: '下载' }).click(),
    ]);
    expect(unitDownload.suggestedFilename()).toBe(`${stored.title}.docx`);
    await screenshot(unit, 'bulletins-unit');
    expect(problems).toEqual([]);
  });
});
