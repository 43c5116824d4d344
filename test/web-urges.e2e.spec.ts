import { Page } from 'playwright-core';
import {
  clickAndConfirm as act,
  describeInBrowser,
  ownDatabase,
  useBrowser,
  useStack,
  waitFor,
} from '@county/test-kit';

interface Listing {
  items: Array<{ id: string; kind: string; title: string; subjectId: string }>;
}

/**
 * 批量催办, 通知渠道 and 通知设置 in a real browser against the real API, worker, Temporal and PostgreSQL: the
 * supervisor urges two units from the board at once, each unit is told and sees the badge on its 待办 card until
 * it acts; an admin adds and removes a robot; a user keeps their own delivery settings.
 */
describeInBrowser('催办, channels and settings in the console', () => {
  jest.setTimeout(180_000);
  // Its own database: the badge and the 催办 counts are this suite's alone, whatever ran before.
  const database = ownDatabase('web');
  const stack = useStack({ databaseUrl: database.url, worker: true, users: ['supervisor'], plan: {} });
  afterAll(() => database.drop());
  const origin = () => new URL(stack.baseUrl).origin;
  // A refused channel answers 400 on purpose; the form shows it.
  const { signedInPage: signIn } = useBrowser(origin, { ignoreConsole: /status of 4\d\d/ });
  const urges = (who: string) =>
    stack
      .as<Listing>(who, 'GET', '/notifications?limit=200')
      // The suites share a database: only the 催办 of this suite's plan count.
      .then((answer) =>
        answer.body.items.filter(
          (item) =>
            item.kind === 'urge' &&
            stack.plan.tasks.some((task) => task.assignments.some((assignment) => assignment.id === item.subjectId)),
        ),
      );

  it('the supervisor urges two units from the board; the badge shows on their card until they act', async () => {
    const finance = stack.assignmentOf('finance');
    const civil = stack.assignmentOf('civil-affairs');
    const page = await signIn('supervisor');
    await page.getByRole('link', { name: '督查看板' }).click();
    const lights = page.getByTestId('plan-lights');
    const box = (id: string) => lights.locator(`input[data-assignment="${id}"]`);
    await box(finance.id).waitFor({ timeout: 30_000 });
    await box(finance.id).check();
    await box(civil.id).check();
    await act(page, page.locator('.urge-bar'), '批量催办', { 催办内容: '请于本周五前报送进展' });
    await page.getByRole('status').getByText('已催办 2 个单位').waitFor();

    for (const who of ['finance.staff', 'civil-affairs.staff']) {
      const mine = await urges(who);
      expect(mine).toHaveLength(1);
    }
    // The lead unit was not chosen, so it was not urged.
    expect(await urges('approval.staff')).toHaveLength(0);

    const staff = await signIn('finance.staff');
    const badge = staff.getByTestId('urges');
    await badge.waitFor({ timeout: 15_000 });
    expect(await badge.textContent()).toContain('已催办 1 次');
    expect(await badge.textContent()).toContain('请于本周五前报送进展');

    expect((await stack.assignments.act('finance.staff', finance.id, 'acknowledge', {})).status).toBe(200);
    await waitFor('the badge to go', async () => (await badge.count()) === 0, 15_000);
  });

  it('an admin adds a robot (a private address is refused at the field), sees it listed and deletes it', async () => {
    const page = await signIn('admin');
    await page.getByRole('link', { name: '通知渠道' }).click();
    await page.getByRole('heading', { name: '通知渠道' }).waitFor();
    const fill = async (url: string) => {
      const form = page.getByRole('form', { name: '新增通知渠道' });
      await form.getByLabel('接收单位').selectOption('finance');
      await form.getByLabel('类型').selectOption('dingtalk');
      await form.getByLabel('名称').fill('财政局工作群');
      await form.getByLabel('地址（URL）').fill(url);
      await form.getByLabel(/^密钥/).fill(`SEC${'a1'.repeat(10)}`);
      await form.getByRole('button', { name: '保存' }).click();
      return form;
    };
    await page.getByRole('button', { name: '新增渠道' }).click();
    const form = await fill('http://10.0.0.1/x');
    // The problem document names the url; its words show beside that field.
    await form.locator('#channel-url ~ .error').waitFor();
    await form.getByLabel('地址（URL）').fill('https://oapi.dingtalk.com/robot/send?access_token=abc');
    await form.getByRole('button', { name: '保存' }).click();
    const row = page.locator('tr[data-channel]', { hasText: '财政局工作群' });
    await row.waitFor();
    expect(await row.textContent()).toContain('钉钉机器人');
    expect(await row.textContent()).toContain('已设置');
    await act(page, row, '删除');
    await waitFor('the robot to go', async () => (await row.count()) === 0, 10_000);
    const listed = await stack.as<{ items: unknown[] }>('admin', 'GET', '/channel-endpoints');
    expect(listed.body.items).toHaveLength(0);
  });

  it('a user saves an e-mail and leaves out a category; a reload shows the same', async () => {
    const page: Page = await signIn('finance.staff');
    await page.getByRole('link', { name: '通知设置' }).click();
    await page.getByRole('heading', { name: '通知设置' }).waitFor();
    await page.getByLabel('电子邮箱').fill('finance.staff@pingluo.gov.cn');
    await page.getByLabel('每日摘要').uncheck();
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('status').getByText('已保存。').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: '通知设置' }).waitFor();
    await waitFor(
      'the saved e-mail',
      async () => (await page.getByLabel('电子邮箱').inputValue()) === 'finance.staff@pingluo.gov.cn',
      10_000,
    );
    expect(await page.getByLabel('每日摘要').isChecked()).toBe(false);
    expect(await page.getByLabel('催办').isChecked()).toBe(true);
    const saved = await stack.as<{ email: string; categories: string[] }>(
      'finance.staff',
      'GET',
      '/me/notification-settings',
    );
    expect(saved.body.email).toBe('finance.staff@pingluo.gov.cn');
    expect(saved.body.categories).toEqual(['reminder', 'escalation', 'urge', 'call', 'work']);
  });
});
