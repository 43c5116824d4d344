import { Page } from 'playwright-core';
import { describeInBrowser, queryRows, useBrowser, useStack } from '@county/test-kit';

/**
 * 用户管理 and 修改密码 in a real browser (Debian's Chromium, headless) against the real API and PostgreSQL: an
 * admin creates a user and sees the one-time password once; the user is made to change it at the first login;
 * the admin edits, resets and disables them, and the disabled user's open console falls back to the login page.
 */
describeInBrowser('用户管理 in the browser', () => {
  jest.setTimeout(120_000);
  const stack = useStack();
  /** Console errors and page errors; a test ends with none it did not cause on purpose. */
  const {
    openPage: openContext,
    signIn,
    forgive,
    screenshot,
  } = useBrowser(() => stack.api.origin, {
    context: { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' },
  });
  const username = `ui.${Math.random().toString(36).slice(2, 8)}`;
  let oneTimePassword = '';
  let adminPage: Page;
  let userPage: Page;

  async function openPage(): Promise<Page> {
    const page = await openContext();
    // 停用 and 重置密码 ask window.confirm first.
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  const row = (page: Page, name: string) => page.locator('tr', { has: page.getByRole('cell', { name, exact: true }) });
  const account = async () =>
    (
      await queryRows<{ display_name: string; disabled: boolean; must_change_password: boolean; phone: string }>(
        'SELECT display_name, disabled, must_change_password, phone FROM users WHERE username = $1',
        [username],
      )
    )[0];

  it('an admin creates a user in 用户管理 and sees the one-time password once', async () => {
    adminPage = await openPage();
    await signIn(adminPage, 'admin');
    await adminPage.getByRole('link', { name: '用户管理' }).click();
    await adminPage.getByRole('heading', { name: '用户管理' }).waitFor();
    await adminPage.getByRole('button', { name: '新建用户' }).click();
    const form = adminPage.getByRole('form', { name: '新建用户' });
    await form.getByLabel('用户名').fill(username);
    await form.getByLabel('姓名', { exact: true }).fill('界面测试员');
    await form.getByLabel('单位', { exact: true }).selectOption('finance');
    await form.getByLabel('工作人员', { exact: true }).check();
    await form.getByLabel('手机').fill('13909521234');
    await form.getByRole('button', { name: '创建' }).click();

    const notice = adminPage.getByTestId('one-time-password');
    await notice.waitFor();
    oneTimePassword = (await notice.locator('code').textContent())!.trim();
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{16}$/);
    await screenshot(adminPage, 'users-created');
    await adminPage.getByRole('button', { name: '我已记下' }).click();
    await expect(notice.count()).resolves.toBe(0);

    await adminPage.getByLabel('搜索', { exact: true }).fill(username);
    await row(adminPage, username).getByText('待修改初始密码').waitFor();
    expect(await account()).toMatchObject({
      display_name: '界面测试员',
      must_change_password: true,
      phone: '13909521234',
    });
  });

  it('the new user must change the one-time password before anything else, then works normally', async () => {
    userPage = await openPage();
    await signIn(userPage, username, oneTimePassword, { waitForConsole: false });
    const form = userPage.getByRole('form', { name: '修改密码' });
    await form.waitFor();
    await expect(userPage.getByRole('link', { name: '待办' }).count()).resolves.toBe(0);
    await form.getByLabel('一次性密码').fill(oneTimePassword);
    await form.getByLabel('新密码', { exact: true }).fill('short');
    await form.getByLabel('再次输入新密码').fill('short');
    await form.getByRole('button', { name: '修改密码' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toContain('至少需要 10 个字符');
    forgive(/status of 400/); // the refusal asked for

    await form.getByLabel('新密码', { exact: true }).fill('平罗县-界面-测试-2027');
    await form.getByLabel('再次输入新密码').fill('平罗县-界面-测试-2027');
    await form.getByRole('button', { name: '修改密码' }).click();
    await userPage.getByTestId('who').waitFor();
    expect(await userPage.getByTestId('who').textContent()).toContain('界面测试员');
    expect((await account()).must_change_password).toBe(false);

    // 修改密码 in the header menu, any time later.
    await userPage.getByRole('link', { name: '修改密码' }).click();
    const again = userPage.getByRole('form', { name: '修改密码' });
    await again.getByLabel('当前密码').fill('平罗县-界面-测试-2027');
    await again.getByLabel('新密码', { exact: true }).fill('平罗县-界面-测试-2028');
    await again.getByLabel('再次输入新密码').fill('平罗县-界面-测试-2028');
    await again.getByRole('button', { name: '修改密码' }).click();
    await again.getByText('密码已修改').waitFor();
    await userPage.getByRole('link', { name: '待办' }).click();
    await userPage.getByTestId('who').waitFor();
  });

  it('the admin edits the user, resets the password (shown once), and disables them: their console signs out', async () => {
    await row(adminPage, username).getByRole('button', { name: '编辑' }).click();
    const edit = adminPage.getByRole('form', { name: `编辑 ${username}` });
    await edit.getByLabel('姓名', { exact: true }).fill('界面测试员（改）');
    await edit.getByRole('button', { name: '保存' }).click();
    await row(adminPage, username).getByRole('cell', { name: '界面测试员（改）' }).waitFor();
    expect((await account()).display_name).toBe('界面测试员（改）');

    await row(adminPage, username).getByRole('button', { name: '重置密码' }).click();
    const notice = adminPage.getByTestId('one-time-password');
    await notice.waitFor();
    const reset = (await notice.locator('code').textContent())!.trim();
    expect(reset).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(reset).not.toBe(oneTimePassword);
    await adminPage.getByRole('button', { name: '我已记下' }).click();
    expect((await account()).must_change_password).toBe(true);

    await row(adminPage, username).getByRole('button', { name: '停用' }).click();
    await row(adminPage, username).getByRole('cell', { name: '已停用' }).waitFor();
    await row(adminPage, username).getByRole('button', { name: '启用' }).waitFor();
    expect((await account()).disabled).toBe(true);

    // The user's open console: its token was revoked (reset, then disable), so the next request lands on login.
    await userPage.reload();
    await userPage.getByRole('button', { name: '登录' }).waitFor();
    forgive(/status of 401/);
    await signIn(userPage, username, reset, { waitForConsole: false });
    await expect(userPage.getByRole('alert').textContent()).resolves.toContain('用户名或密码不正确');
    forgive(/status of 401/);
    await screenshot(adminPage, 'users-disabled');
  });

  it('the admin cannot disable themselves: no 停用 on their own row', async () => {
    await adminPage.getByLabel('搜索', { exact: true }).fill('admin');
    const own = row(adminPage, 'admin');
    await own.getByRole('button', { name: '编辑' }).waitFor();
    await expect(own.getByRole('button', { name: '停用' }).count()).resolves.toBe(0);
  });

  it('a unit head sees no 用户管理', async () => {
    const page = await openPage();
    await signIn(page, 'finance.head');
    await page.getByTestId('who').waitFor();
    await expect(page.getByRole('link', { name: '用户管理' }).count()).resolves.toBe(0);
  });
});
