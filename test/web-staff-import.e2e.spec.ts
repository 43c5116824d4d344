import { readFileSync } from 'node:fs';
import { Workbook } from 'exceljs';
import { describeInBrowser, queryRows, useBrowser, useStack } from '@county/test-kit';

/**
 * 批量导入 on 用户管理 in a real browser (Debian's Chromium, headless) against the real API and PostgreSQL:
 * preview a staff list with a bad row (reported by row), import only the valid rows, download the one-time
 * passwords, and sign in with one of them (the user must change it first).
 */
async function staffList(): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('人员');
  sheet.addRow(['用户名', '姓名', '单位', '角色', '手机', '邮箱']);
  for (let index = 1; index <= 20; index += 1)
    sheet.addRow([`web.import${index}`, `界面导入${index}`, index % 2 ? '财政局' : '县财政局', '工作人员', '', '']);
  sheet.addRow(['web.bad', '错误行', '县不存在局', '工作人员', '', '']); // row 22
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describeInBrowser('批量导入 in 用户管理, in the browser', () => {
  jest.setTimeout(120_000);
  const stack = useStack();
  const { openPage, signIn, problems, screenshot } = useBrowser(() => stack.api.origin, {
    context: { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true },
  });

  it('previews, reports the bad row, imports the valid rows, and hands out the passwords once as an .xlsx', async () => {
    const page = await openPage();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: '用户管理' }).click();
    await page.getByRole('button', { name: '批量导入' }).click();
    const form = page.getByTestId('staff-import');
    await form.locator('input[type=file]').setInputFiles({
      name: '人员名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await staffList(),
    });
    await form.getByRole('button', { name: '预览' }).click();

    const preview = form.getByTestId('staff-import-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('将新建 20 人');
    const problemRow = form.getByTestId('staff-import-problems').locator('tbody tr');
    await expect(problemRow.count()).resolves.toBe(1);
    expect(await problemRow.textContent()).toMatch(/第 22 行单位单位“县不存在局”不在单位名录中/);
    await screenshot(page, 'staff-import-preview');
    expect(await queryRows("SELECT 1 FROM users WHERE username LIKE 'web.%'")).toEqual([]);

    await preview.getByRole('button', { name: /只导入正确的 20 人/ }).click();
    const result = form.getByTestId('staff-import-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/已新建 20 人.*1 处错误所在的行未导入/);
    expect(await queryRows("SELECT 1 FROM users WHERE username LIKE 'web.%'")).toHaveLength(20);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      result.getByRole('button', { name: /下载初始密码/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^初始密码-.*\.xlsx$/);
    const workbook = new Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as never);
    const rows = workbook.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(21);
    const [, username, displayName, unitName, password] = rows[1];
    expect({ username, displayName, unitName }).toEqual({
      username: 'web.import1',
      displayName: '界面导入1',
      unitName: '县财政局',
    });
    await screenshot(page, 'staff-import-done');
    expect(problems).toEqual([]);

    // The downloaded password signs the user in, straight to 修改密码 (a one-time password).
    const userPage = await openPage();
    await signIn(userPage, String(username), String(password), { waitForConsole: false });
    await userPage.getByRole('form', { name: '修改密码' }).waitFor();
    expect(problems).toEqual([]);
  });
});
