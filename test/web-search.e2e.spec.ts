import { randomUUID } from 'node:crypto';
import { describeInBrowser, ONE_TASK_LIST, useBrowser, useStack } from '@county/test-kit';

/** A fragment only this suite's plan holds (the suites of a run share a database). */
const FRAGMENT = `枢纽${randomUUID().slice(0, 4)}`;
const LIST = ONE_TASK_LIST.replace('2.培训代办员', `2.培训代办员，建立${FRAGMENT}联络制度`);

/**
 * Search and 已办 in a real browser against the real API, worker, Temporal and PostgreSQL: the header's box finds
 * the task by a fragment of a measure and opens it; the 已办 page lists what the user and the user's unit did.
 */
describeInBrowser('search and 已办 in the console', () => {
  jest.setTimeout(180_000);
  const stack = useStack({ worker: true, users: ['finance.staff', 'approval.head'], plan: { text: LIST } });
  const origin = () => new URL(stack.baseUrl).origin;
  const { signedInPage: signIn, screenshot } = useBrowser(origin);

  beforeAll(async () => {
    const finance = stack.assignmentOf('finance').id;
    await stack.assignments.submit('finance.staff', finance, {
      summary: `代办清单已公开，${FRAGMENT}已建立`,
      evidence: [],
    });
    const approved = await stack.assignments.act('approval.head', finance, 'approve', { comment: '同意' });
    expect(approved.status).toBe(200);
  }, 60_000);

  it('searching from the header finds the task by a fragment of a measure and opens it', async () => {
    const page = await signIn('finance.staff');
    const box = page.getByRole('searchbox', { name: '全局搜索' });
    await box.fill(FRAGMENT);
    await box.press('Enter');
    await page.getByRole('heading', { name: '搜索' }).waitFor();
    const results = page.getByRole('list', { name: '搜索结果' });
    const task = results.locator(`li[data-hit="${stack.plan.tasks[0].id}"]`);
    await task.waitFor({ timeout: 15_000 });
    expect(await task.textContent()).toContain('推进措施');
    expect(await task.locator('mark').textContent()).toBe(FRAGMENT);
    // The report that holds the fragment is found too (县财政局 made it); the 报告 tab shows only it.
    expect(await results.locator('li', { hasText: '报告内容' }).count()).toBe(1);
    await page.getByRole('tab', { name: '报告' }).click();
    await page.waitForURL(/kind=report/);
    await results.locator('li', { hasText: '报告内容' }).waitFor();
    expect(await results.locator('li', { hasText: '推进措施' }).count()).toBe(0);
    await page.getByRole('tab', { name: '全部' }).click();
    await task.waitFor();
    await screenshot(page, 'search-results');

    await task.getByRole('link', { name: /完善村级代办服务机制/ }).click();
    await page.waitForURL(new RegExp(`/tasks/${stack.plan.tasks[0].id}$`));
    await page.getByRole('heading', { name: /完善村级代办服务机制/ }).waitFor();
  });

  it('the 已办 page lists what the user did, newest first, and what the unit did', async () => {
    const page = await signIn('finance.staff');
    await page.getByRole('link', { name: '已办', exact: true }).click();
    await page.getByRole('heading', { name: '已办' }).waitFor();
    const rows = page.locator('tr[data-done]');
    await rows.first().waitFor({ timeout: 15_000 });
    const mine = page.locator('tr[data-done]', { hasText: '完善村级代办服务机制' });
    expect(await mine.evaluateAll((found) => found.map((row) => row.getAttribute('data-done')))).toEqual(
      expect.arrayContaining(['assignment.submit', 'assignment.acknowledge']),
    );
    const texts = await mine.allTextContents();
    expect(texts.findIndex((text) => text.includes('提交办理结果'))).toBeLessThan(
      texts.findIndex((text) => text.includes('签收')),
    );
    expect(texts[0]).toContain('县财政局工作人员');
    await screenshot(page, 'done-mine');

    await page.getByRole('button', { name: '本单位' }).click();
    await page.locator('tr[data-done="assignment.submit"]').first().waitFor();
    // The lead unit head's approval is not 县财政局's work: it is in 县审批局's list, not here.
    const approver = await signIn('approval.head');
    await approver.getByRole('link', { name: '已办', exact: true }).click();
    // Other suites of the run approve the same one-task list as approval.head too: the newest row is this one's.
    await approver.locator('tr[data-done="assignment.approve"]', { hasText: '完善村级代办服务机制' }).first().waitFor();
    expect(await approver.locator('tr[data-done="assignment.approve"]').first().textContent()).toContain('审核通过');
    await screenshot(approver, 'done-approver');
  });
});
