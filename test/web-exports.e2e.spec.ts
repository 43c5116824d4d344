import { readFileSync } from 'node:fs';
import { describeInBrowser, ownDatabase, useBrowser, useStack } from '@county/test-kit';
import { readXlsx, records } from './support/xlsx';

/**
 * 导出台账 in a real browser against the real stack (issue 17, must show 5's download): the supervision office clicks
 * the board's button, Chromium saves the file the console fetched with the session's token, and the file read back
 * (the test's own reader) is an .xlsx with one row per assignment of the plan.
 */
describeInBrowser('exports in the console', () => {
  jest.setTimeout(240_000);
  // Its own database: the board's plan is this suite's alone, whatever ran before.
  const database = ownDatabase('web_exports');
  const stack = useStack({ databaseUrl: database.url, worker: true, users: ['supervisor'], plan: {} });
  afterAll(() => database.drop());
  const { signedInPage, screenshot } = useBrowser(() => stack.api.origin);

  it('导出台账 on the board downloads the ledger of the plan shown, one row per assignment', async () => {
    const page = await signedInPage('supervisor');
    await page.getByRole('link', { name: '督查看板' }).click();
    await page.getByRole('heading', { name: '督查看板' }).waitFor();
    const button = page.getByRole('button', { name: '导出台账', exact: true });
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('任务台账.xlsx');
    const file = readXlsx(readFileSync((await download.path())!));
    const [sheet] = file.sheets;
    expect(sheet.name).toBe('任务台账');
    expect(String(sheet.rows[0][0])).toContain('计划：');
    const assignments = stack.plan.tasks.flatMap((task) => task.assignments);
    expect(records(sheet)).toHaveLength(assignments.length);
    expect(records(sheet).every((row) => row['序号'] === stack.plan.tasks[0].no)).toBe(true);
    await screenshot(page, 'board-exports');
  });
});
