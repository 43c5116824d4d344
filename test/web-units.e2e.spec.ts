import { Locator, Page } from 'playwright-core';
import { prepareDatabase } from '@county/api';
import { clickAndConfirm as act, describeInBrowser, TEST_DEMO_PASSWORD, useBrowser, useStack } from '@county/test-kit';
import { createDatabaseIfMissing, dropDatabase } from '../scripts/src/postgres';

/** 单位管理 in a real browser (Debian's Chromium): an admin adds, renames, merges and retires units by clicking. */
describeInBrowser('单位管理 in the browser', () => {
  jest.setTimeout(120_000);
  // The registry changes here, so the suite has a database of its own.
  const name = `county_web_units_${process.pid}_${Date.now()}`;
  const serverUrl = new URL(process.env.DATABASE_URL!);
  const adminUrl = Object.assign(new URL(serverUrl), { pathname: '/postgres' }).toString();
  const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();

  beforeAll(async () => {
    await createDatabaseIfMissing(adminUrl, name);
    await prepareDatabase({ databaseUrl, demoPassword: TEST_DEMO_PASSWORD });
  }, 60_000);
  const stack = useStack({ databaseUrl });
  // A refused change answers 4xx on purpose; the dialog shows it.
  const { signedInPage: signIn } = useBrowser(() => new URL(stack.baseUrl).origin, {
    ignoreConsole: /status of 4\d\d/,
  });
  afterAll(async () => {
    await dropDatabase(adminUrl, name);
  }, 60_000);

  const row = (page: Page, id: string) => page.locator(`tr[data-unit="${id}"]`);

  it('an admin adds, renames, merges and retires units; the old name stays as an alias', async () => {
    const page = await signIn('admin');
    await page.getByRole('link', { name: '单位管理' }).click();
    await page.getByRole('heading', { name: '单位管理' }).waitFor();
    const section = page.locator('section');

    for (const [id, short, full] of [
      ['museum', '县博物馆', '平罗县博物馆'],
      ['gallery', '县美术馆', '平罗县美术馆'],
    ]) {
      await act(page, section.locator('.section-head'), '新增单位', {
        '单位编码（小写字母、数字和 -，发布后不再改变）': id,
        '简称（文件中使用的名称）': short,
        全称: full,
        单位类型: 'county-dept',
      });
      await row(page, id).waitFor();
    }

    await act(page, row(page, 'museum'), '更名', { 新简称: '县博物院' });
    await expect_(row(page, 'museum'), '县博物院');
    await expect_(row(page, 'museum').locator('td').nth(3), '县博物馆');

    await act(page, row(page, 'gallery'), '合并', { 承接单位: 'museum' });
    await expect_(row(page, 'gallery'), '已并入县博物院');
    // A merged unit is history: no more buttons.
    expect(await row(page, 'gallery').getByRole('button').count()).toBe(0);

    // A refused change keeps the dialog open with the reason in Chinese.
    await row(page, 'approval').getByRole('button', { name: '撤销', exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByRole('button', { name: '确认' }).click();
    await dialog.getByText('请先合并到承接单位').waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();

    await act(page, row(page, 'museum'), '撤销');
    await expect_(row(page, 'museum'), '已撤销');

    const units = (
      await stack.as<{ items: Array<{ id: string; retired: boolean; mergedInto: string | null }> }>(
        'admin',
        'GET',
        '/units',
      )
    ).body.items;
    expect(units.filter((unit) => ['museum', 'gallery'].includes(unit.id))).toEqual([
      expect.objectContaining({ id: 'gallery', retired: true, mergedInto: 'museum' }),
      expect.objectContaining({ id: 'museum', retired: true, mergedInto: null }),
    ]);
  });

  it('only an admin sees 单位管理', async () => {
    const page = await signIn('supervisor');
    await page.getByRole('link', { name: '待办' }).waitFor();
    expect(await page.getByRole('link', { name: '单位管理' }).count()).toBe(0);
  });
});

async function expect_(scope: Locator, text: string): Promise<void> {
  await scope.getByText(text, { exact: false }).first().waitFor();
}
