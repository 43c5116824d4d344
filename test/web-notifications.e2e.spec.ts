import { Page } from 'playwright-core';
import { describeInBrowser, ownDatabase, useBrowser, useStack, waitFor } from '@county/test-kit';

interface Listing {
  items: Array<{ id: string; kind: string; title: string; createdAt: string; readAt: string | null; link: string }>;
  unreadCount: number;
}

/**
 * 通知 in the console, in a real browser against the real API, worker, Temporal and PostgreSQL: finance's work on
 * the plan leaves it three notifications (分派, 退回, 审核通过); its staff user sees the badge, reads them by clicks
 * (one marked, one opened, then all), and a colleague of the same unit keeps their own unread state throughout.
 */
describeInBrowser('通知 in the console', () => {
  jest.setTimeout(120_000);
  // Its own database: the badge and the 催办 counts are this suite's alone, whatever ran before.
  const database = ownDatabase('web');
  const stack = useStack({ databaseUrl: database.url, worker: true, users: ['supervisor'], plan: {} });
  afterAll(() => database.drop());
  const origin = () => new URL(stack.baseUrl).origin;
  const { signedInPage: signIn, screenshot } = useBrowser(origin);

  const listing = async (who: string, unreadOnly = false) =>
    (await stack.as<Listing>(who, 'GET', `/notifications?limit=200${unreadOnly ? '&unread=true' : ''}`)).body;
  /** The header's badge as shown: null when there is none (everything read). */
  const badge = async (page: Page) => {
    const element = page.getByTestId('unread-badge');
    return (await element.count()) ? ((await element.textContent()) ?? '').trim() : null;
  };
  const badgeShows = (page: Page, expected: string | null) =>
    waitFor(`the badge to show ${expected ?? 'nothing'}`, async () => (await badge(page)) === expected, 15_000);
  const entry = (page: Page, id: string) => page.locator(`li[data-notification="${id}"]`);
  /** The console's China-time format (format.ts), for the timestamps it must show whatever the machine's zone. */
  const chinaTime = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

  beforeAll(async () => {
    // Real flows write the notifications: 分派 at the start, then a return and an approval of finance's report.
    // The suites share a database: what earlier suites left finance is marked read first, so only this plan counts.
    const ours = new Set(stack.plan.tasks.flatMap((task) => task.assignments.map((assignment) => assignment.id)));
    for (const who of ['finance.staff', 'finance.head']) {
      const unread = await stack.as<{ items: Array<{ id: string; subjectId: string }> }>(
        who,
        'GET',
        '/notifications?unread=true&limit=200',
      );
      for (const item of unread.body.items.filter((notification) => !ours.has(notification.subjectId)))
        expect((await stack.as(who, 'POST', `/notifications/${item.id}/read`)).status).toBe(204);
    }
    const finance = stack.assignmentOf('finance');
    const act = async (who: string, action: string, body: unknown = {}) =>
      expect((await stack.assignments.act(who, finance.id, action, body)).status).toBe(200);
    await act('finance.staff', 'acknowledge');
    await act('finance.staff', 'submit', { summary: '初稿', evidence: [] });
    await act('approval.head', 'return', { reason: '请补充佐证材料' });
    await act('finance.staff', 'submit', { summary: '补充后', evidence: ['佐证.pdf'] });
    await act('approval.head', 'approve', { comment: '同意' });
    await waitFor(
      'finance’s three notifications',
      async () => (await listing('finance.staff')).unreadCount === 3,
      30_000,
    );
  }, 60_000);

  it('badge = unreadCount; mark one, open one, mark all; the colleague keeps their own unread state', async () => {
    const taskId = stack.plan.tasks[0].id;
    const before = await listing('finance.staff', true);
    expect(before.items.map((item) => item.kind).sort()).toEqual([
      'report-approved',
      'report-returned',
      'task-assigned',
    ]);
    // Every one is about finance's assignment, so each leads to its task.
    expect(before.items.map((item) => item.link)).toEqual(Array(3).fill(`/tasks/${taskId}`));

    const page = await signIn('finance.staff');
    await badgeShows(page, String(before.unreadCount));
    await page.getByRole('link', { name: /^通知( \d+)?$/ }).click();
    await page.getByRole('heading', { name: /^通知/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/notifications');
    const entries = page.locator('li[data-notification]');
    await entries.nth(2).waitFor();
    // Newest first, as the API orders them; unread ones marked; China time; the work kinds read 通知.
    expect(await entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-notification')))).toEqual(
      before.items.map((item) => item.id),
    );
    expect(await page.locator('li[data-unread="true"]').count()).toBe(3);
    for (const item of before.items) {
      const text = (await entry(page, item.id).textContent()) ?? '';
      expect(text).toContain(item.title);
      expect(text).toContain(chinaTime.format(new Date(item.createdAt)));
      expect(await entry(page, item.id).locator('.tag').textContent()).toBe('通知');
    }

    await screenshot(page, 'notifications');

    // 标为已读 on the oldest: the badge drops by one at once; the colleague still has it unread.
    const [newest, , oldest] = before.items;
    await entry(page, oldest.id).getByRole('button', { name: '标为已读' }).click();
    await badgeShows(page, '2');
    await waitFor(
      'the entry to show read',
      async () => (await entry(page, oldest.id).getAttribute('data-unread')) === null,
      10_000,
    );
    expect(await entry(page, oldest.id).getByRole('button', { name: '标为已读' }).count()).toBe(0);
    const colleague = await listing('finance.head');
    expect(colleague.items.find((item) => item.id === oldest.id)?.readAt).toBeNull();
    expect(colleague.unreadCount).toBe(3);

    // Clicking an entry marks it read and opens its task inside the console (no reload: the session stays).
    await entry(page, newest.id).getByRole('link', { name: newest.title }).click();
    await page.waitForURL(`${origin()}/tasks/${taskId}`);
    await page.getByRole('heading', { name: /完善村级代办服务机制/ }).waitFor();
    await badgeShows(page, '1');
    expect((await listing('finance.staff')).items.find((item) => item.id === newest.id)?.readAt).toEqual(
      expect.any(String),
    );

    // 全部标为已读: the badge goes; 未读 is then empty; the colleague still has all three.
    await page.getByRole('link', { name: /^通知( \d+)?$/ }).click();
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await page.getByRole('status').getByText('已将 1 条通知标为已读。').waitFor();
    await badgeShows(page, null);
    expect((await listing('finance.staff')).unreadCount).toBe(0);
    expect((await listing('finance.head')).unreadCount).toBe(3);
    await page.getByRole('button', { name: '未读', exact: true }).click();
    await page.getByText('暂无通知').waitFor();
    await page.getByRole('button', { name: '全部', exact: true }).click();
    await entries.nth(2).waitFor();
    // The kind filter asks the API for that kind only: finance has no 截止提醒.
    await page.getByLabel('类型').selectOption({ label: '截止提醒' });
    await page.getByText('暂无通知').waitFor();
  });
});
