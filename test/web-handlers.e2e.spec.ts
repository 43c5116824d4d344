import { Page } from 'playwright-core';
import { describeInBrowser, queryRows, useBrowser, useStack, waitFor } from '@county/test-kit';

/**
 * 承办人 in the console, in a real browser (Debian's Chromium, headless) against the real API, worker, Temporal and
 * PostgreSQL: the assigned unit's head hands its part to a colleague by clicks; the colleague sees it first in 待办
 * marked 我承办; the lead unit sees who handles it; another unit gets no button.
 */
describeInBrowser('承办人 in the console', () => {
  jest.setTimeout(120_000);
  const stack = useStack({ worker: true, users: ['supervisor'], plan: {} });
  const origin = () => new URL(stack.baseUrl).origin;
  const { signedInPage: signIn } = useBrowser(origin);

  const financeRow = (page: Page) => page.getByTestId('task-units').locator('tr[data-unit="finance"]');

  it("the unit's head names a colleague; the colleague sees 我承办 first in 待办; the lead unit sees the name", async () => {
    const taskId = stack.plan.tasks[0].id;
    const finance = stack.assignmentOf('finance');

    const head = await signIn('finance.head');
    await head.goto(`${origin()}/tasks/${taskId}`);
    const row = financeRow(head);
    await row.getByTestId('handler').getByText('未指定').waitFor();
    await row.getByRole('button', { name: '指定承办人', exact: true }).click();
    const dialog = head.locator('dialog[open]');
    await dialog.getByLabel('承办人', { exact: true }).selectOption({ label: '县财政局工作人员' });
    await dialog.getByRole('button', { name: '确认' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByTestId('handler').getByText('县财政局工作人员').waitFor();
    const [stored] = await queryRows<{ username: string }>(
      'SELECT u.username FROM assignments a JOIN users u ON u.id = a.handler_user_id WHERE a.id = $1',
      [finance.id],
    );
    expect(stored.username).toBe('finance.staff');

    const staff = await signIn('finance.staff');
    const first = staff.locator('article').first();
    await first.getByTestId('handler').getByText('我承办').waitFor();
    expect(await first.textContent()).toContain('完善村级代办服务机制');

    const lead = await signIn('approval.head');
    await lead.goto(`${origin()}/tasks/${taskId}`);
    await financeRow(lead).getByTestId('handler').getByText('县财政局工作人员').waitFor();

    // Another unit reads the task but gets no button to name finance's handler.
    const other = await signIn('civil-affairs.head');
    await other.goto(`${origin()}/tasks/${taskId}`);
    await financeRow(other).getByTestId('handler').getByText('县财政局工作人员').waitFor();
    await waitFor('the page to settle', async () => (await financeRow(other).locator('button').count()) === 0, 5_000);
    // The handler may hand their own item on: their row offers 指定承办人.
    await staff.goto(`${origin()}/tasks/${taskId}`);
    await financeRow(staff).getByRole('button', { name: '指定承办人', exact: true }).waitFor();
  });

  /** A `datetime-local` value `seconds` from now in Beijing time. */
  const beijingLocal = (secondsFromNow: number) =>
    new Date(Date.now() + secondsFromNow * 1000 + 8 * 3_600_000).toISOString().slice(0, 16);

  it('委派: a head delegates to a colleague on the 委派 page; both see it; only the head revokes it', async () => {
    await queryRows(
      `UPDATE delegations SET revoked_at = now()
        WHERE revoked_at IS NULL AND head_user_id = (SELECT id FROM users WHERE username = 'approval.head')`,
    );
    const head = await signIn('approval.head');
    await head.getByRole('link', { name: '委派' }).click();
    const form = head.getByRole('form', { name: '委派审核' });
    await form.getByLabel('受委派人').selectOption({ label: '县审批局工作人员' });
    await form.getByLabel('开始时间').fill(beijingLocal(-120));
    await form.getByLabel('结束时间').fill(beijingLocal(3 * 86_400));
    await form.getByRole('button', { name: '委派' }).click();
    const listed = head.getByTestId('delegations').locator('li', { hasText: '县审批局负责人 → 县审批局工作人员' });
    await listed.getByText('（生效中）', { exact: false }).waitFor();

    const deputy = await signIn('approval.staff');
    await deputy.goto(`${origin()}/delegations`);
    const seen = deputy.getByTestId('delegations').locator('li', { hasText: '县审批局负责人 → 县审批局工作人员' });
    await seen.waitFor();
    expect(await seen.getByRole('button', { name: '撤销' }).count()).toBe(0);
    expect(await deputy.getByRole('form', { name: '委派审核' }).count()).toBe(0);

    await listed.getByRole('button', { name: '撤销' }).click();
    await head.getByText('暂无委派。').waitFor();
    const [row] = await queryRows<{ revoked: boolean }>(
      `SELECT revoked_at IS NOT NULL AS revoked FROM delegations d JOIN users u ON u.id = d.head_user_id
        WHERE u.username = 'approval.head' ORDER BY d.created_at DESC LIMIT 1`,
    );
    expect(row.revoked).toBe(true);
  });
});
