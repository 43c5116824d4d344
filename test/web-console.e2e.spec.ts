import { Page } from 'playwright-core';
import {
  clickAndConfirm as act,
  describeInBrowser,
  DESKTOP,
  expectNoHorizontalScroll,
  ONE_TASK_LIST,
  ownDatabase,
  PHONE,
  queryRows,
  useBrowser,
  useStack,
  waitFor,
} from '@county/test-kit';

/**
 * The console's honesty about deadlines, the import page's own questions (年份, 仍要再次导入, new units), refusals in
 * Chinese, dialogs that name what they act on, and links that survive a new tab or a login — in a real browser
 * against the real API, worker, Temporal and PostgreSQL (a database of the suite's own: it imports several lists).
 */
describeInBrowser('console: deadlines, import, refusals and links', () => {
  jest.setTimeout(120_000);
  const suffix = Math.random().toString(36).slice(2, 8);
  const taskTitle = `完善村级代办服务机制（控制台 ${suffix}）`;
  const database = ownDatabase('console');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    plan: { text: ONE_TASK_LIST.replace('完善村级代办服务机制', taskTitle) },
  });
  afterAll(() => database.drop());
  const query = <T>(sql: string, params: unknown[] = []) => queryRows<T>(sql, params, database.url);
  const origin = () => stack.api.origin;
  const { openPage: openContext, signIn, forgive, screenshot } = useBrowser(origin);
  const openPage = (viewport = DESKTOP) => openContext({ viewport });
  const task = () => stack.plan.tasks[0];

  /** A list as the plain-text table export: `title`, one task, the given units and deadline text. */
  const list = (title: string, lead: string, responsible: string, deadline: string) =>
    ONE_TASK_LIST.replace('测试任务清单', title)
      .replace('完善村级代办服务机制', `${title}的任务`)
      .replace('\t县审批局', `\t${lead}`)
      .replace('\t县财政局、县民政局', `\t${responsible}`)
      .replace('\t2027年6月底前', `\t${deadline}`);

  async function chooseFile(page: Page, name: string, text: string): Promise<void> {
    await page.getByLabel(/任务清单文件/).setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  }

  const importButton = (page: Page) => page.getByRole('button', { name: '确认导入并启动' });

  it('the import page moves deadlines to the chosen year, asks before importing a file again, and adds new units only when told', async () => {
    const page = await openPage();
    await signIn(page, 'supervisor');
    await page.goto(`${origin()}/import`);
    const title = `年份导入测试清单${suffix}`;
    const text = list(title, '县审批局', '县财政局', '2021年6月底前');

    // The preview shows the deadline the import will set (the year applied), with the list's words beside it.
    await chooseFile(page, 'list.txt', text);
    await page.getByLabel(/时限年份/).fill('2029');
    await page.getByRole('button', { name: '预览' }).click();
    const row = page.locator('tbody tr').first();
    await expect(row.textContent()).resolves.toContain('2029年6月30日');
    await expect(row.textContent()).resolves.toContain('原文：2021年6月底前');
    await screenshot(page, 'console-import-preview');
    await act(page, page.locator('.card', { hasText: title }), '确认导入并启动');
    await page
      .getByRole('status')
      .filter({ hasText: `已导入「${title}」` })
      .waitFor();
    const [plan] = await query<{ id: string }>('SELECT id FROM plans WHERE title = $1', [title]);
    const [due] = await query<{ due_at: Date }>('SELECT due_at FROM tasks WHERE plan_id = $1', [plan.id]);
    expect(due.due_at.toISOString()).toBe('2029-06-30T15:59:59.000Z');

    // The same file again: the page says so and imports only once 仍要再次导入 is ticked.
    await chooseFile(page, 'list.txt', text);
    await page.getByRole('button', { name: '预览' }).click();
    const again = page.getByTestId('already-imported');
    await again.waitFor();
    await expect(importButton(page).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'console-import-duplicate');
    await again.getByRole('checkbox').check();
    await act(page, page.locator('.card', { hasText: title }), '确认导入并启动');
    await page
      .getByRole('status')
      .filter({ hasText: `已导入「${title}」` })
      .waitFor();
    await expect(query('SELECT id FROM plans WHERE title = $1', [title])).resolves.toHaveLength(2);

    // A unit the registry lacks: named in the preview, added only when asked.
    const newUnit = `县新设服务中心${suffix}`;
    const withNewUnit = list(`新单位导入测试清单${suffix}`, '县审批局', newUnit, '2027年12月底前');
    await chooseFile(page, 'new-unit.txt', withNewUnit);
    await page.getByRole('button', { name: '预览' }).click();
    const unresolved = page.getByTestId('unresolved-units');
    await expect(unresolved.textContent()).resolves.toContain(newUnit);
    await expect(importButton(page).isDisabled()).resolves.toBe(true);
    await unresolved.getByRole('checkbox').check();
    await act(page, page.locator('.card', { hasText: '新单位导入测试清单' }), '确认导入并启动');
    await page.getByRole('status').filter({ hasText: '已导入' }).waitFor();
    await expect(query('SELECT id FROM units WHERE name = $1', [newUnit])).resolves.toHaveLength(1);

    // A document that is not a task list is refused in Chinese, naming where.
    await chooseFile(page, 'broken.txt', '任务清单\n这一行不在任何表格单元格里\n');
    await page.getByRole('button', { name: '预览' }).click();
    const refusal = page.getByRole('alert');
    await expect(refusal.textContent()).resolves.toMatch(/第 \d+ 行/);
    forgive(/status of 422/);
    await screenshot(page, 'console-import-refused');
    await expectNoHorizontalScroll(page, 'import page at 1366');
  });

  it('the task page shows the deadline in force first, and each change once, old → new, with its reason', async () => {
    const page = await openPage();
    await signIn(page, 'supervisor');
    await page.goto(`${origin()}/tasks/${task().id}`);
    const due = page.getByTestId('task-due');
    await expect(due.textContent()).resolves.toContain('2027年6月30日');
    await expect(page.getByText('清单原文：2027年6月底前').isVisible()).resolves.toBe(true);

    await page.getByRole('button', { name: '调整时限' }).click();
    const dialog = page.locator('dialog[open]');
    // The dialog names the task it acts on, and the keyboard starts in its first field.
    await expect(dialog.getByTestId('dialog-subject').textContent()).resolves.toContain(`第 1 项 ${taskTitle}`);
    await expect(dialog.locator(':focus').getAttribute('name')).resolves.toBe('dueAt');
    await dialog.getByLabel('新的完成时限').fill('2027-09-30T18:00:00');
    await dialog.getByLabel('调整理由').fill('汛期施工顺延');
    await dialog.getByRole('button', { name: '确认' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The task's change, then one echo per unit's own process: three units, one line in the record.
    await waitFor(
      'every unit re-armed',
      async () =>
        (
          await query(
            `SELECT seq FROM audit_events WHERE action = 'assignment.deadline-changed' AND subject_id = ANY($1)`,
            [task().assignments.map((assignment) => assignment.id)],
          )
        ).length === 3,
      30_000,
      200,
    );
    await page.reload();
    await expect(due.textContent()).resolves.toContain('2027年9月30日');
    const changes = page.getByTestId('deadline-change');
    await expect(changes.count()).resolves.toBe(1);
    const change = await changes.first().textContent();
    expect(change).toContain('2027年6月30日 → 2027年9月30日');
    expect(change).toContain('全任务（3 个单位）');
    expect(change).toContain('理由：汛期施工顺延');
    // The timeline keeps the task's own event once, not one 时限调整 per unit.
    await expect(page.locator('.timeline .timeline-action', { hasText: '时限调整' }).count()).resolves.toBe(0);
    await expect(page.locator('.timeline .timeline-action', { hasText: '调整完成时限' }).count()).resolves.toBe(1);
    await screenshot(page, 'console-task-deadlines-desktop');
    await expectNoHorizontalScroll(page, 'task page at 1366');

    await page.setViewportSize(PHONE);
    await page.reload();
    await changes.first().waitFor();
    await expectNoHorizontalScroll(page, 'task page at 390');
    await screenshot(page, 'console-task-deadlines-phone');
  });

  it("the user's own unit stands out on the task page, and a refusal reads in Chinese naming the field", async () => {
    const page = await openPage();
    await signIn(page, 'finance.staff');
    await page.goto(`${origin()}/tasks/${task().id}`);
    const own = page.locator('[data-testid=task-units] tr[data-unit=finance]');
    await expect(own.getAttribute('class')).resolves.toContain('mine');
    await expect(page.locator('[data-testid=task-units] tr.mine').count()).resolves.toBe(1);

    await act(page, own, '签收');
    await own.getByRole('button', { name: '申请延期' }).waitFor();
    await own.getByRole('button', { name: '申请延期' }).click();
    const dialog = page.locator('dialog[open]');
    await expect(dialog.getByTestId('dialog-subject').textContent()).resolves.toContain('县财政局');
    await dialog.getByLabel('申请延至').fill('2026-01-05T10:00:05');
    await dialog.getByLabel('延期理由').fill('等待上级文件');
    await dialog.getByRole('button', { name: '确认' }).click();
    const refusal = await dialog.getByRole('alert').textContent();
    expect(refusal).toContain('申请的新时限');
    expect(refusal).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{2,}/);
    forgive(/status of 400/);
    await screenshot(page, 'console-refusal-in-chinese');
  });

  it('a link opened in a new tab opens signed in, a deep link survives the login, and signing out ends every tab', async () => {
    const page = await openPage();
    await signIn(page, 'supervisor');
    const link = `${origin()}/tasks/${task().id}`;

    // Ctrl-click or 在新标签页中打开: a second tab of the same browser, asking the first for its session.
    const tab = await page.context().newPage();
    await tab.goto(link);
    await tab.getByRole('heading', { name: taskTitle }).waitFor();
    await expect(tab.getByLabel('用户名').count()).resolves.toBe(0);

    // Signing out in one tab signs out the other.
    await page.getByRole('button', { name: '退出' }).click();
    await tab.getByLabel('用户名').waitFor();
    await tab.close();

    // A link followed while signed out: the login page, then the page asked for.
    const fresh = await openPage();
    await fresh.goto(link);
    await fresh.getByLabel('用户名').fill('supervisor');
    await fresh.getByLabel('密码').fill(process.env.DEMO_PASSWORD!);
    await fresh.getByRole('button', { name: '登录' }).click();
    await fresh.getByRole('heading', { name: taskTitle }).waitFor();
    expect(new URL(fresh.url()).pathname).toBe(`/tasks/${task().id}`);
  });
});
