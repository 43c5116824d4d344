import { Page } from 'playwright-core';
import {
  assignmentPolicy,
  clickAndConfirm as act,
  describeInBrowser,
  DESKTOP,
  expectNoHorizontalScroll,
  ownDatabase,
  PHONE,
  request,
  useBrowser,
  useStack,
  Viewport,
  waitFor,
} from '@county/test-kit';

/** Seconds instead of days: level 1 at the deadline, level 2 two seconds later, level 3 four seconds later. */
const FAST_POLICY = assignmentPolicy({ remind: 3, ladder: [0, 2, 4] });
const TASK_TITLE = '完善村级代办服务机制';

interface Queue {
  items: Array<{ id: string; subjectId: string; level: number }>;
}

/**
 * The escalation queue as work (issue 18) in a real browser against the real API, worker, Temporal and PostgreSQL,
 * at 1366 px and on a 390 px phone: one card per late unit naming the task, 批量催办 of two, a stale item leaving
 * once its deadline is moved out, the supervision office's 待办, and the leader's 待办 with 批示 and 已阅.
 */
describeInBrowser('the escalation queue in the console', () => {
  jest.setTimeout(240_000);
  // Its own database: the queue holds everyone's late work, and this suite counts cards.
  const database = ownDatabase('escalations');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    users: ['supervisor', 'leader'],
    plan: { policy: FAST_POLICY },
  });
  afterAll(() => database.drop());
  const origin = () => new URL(stack.baseUrl).origin;
  const kit = useBrowser(origin);
  const units = ['approval', 'finance', 'civil-affairs'];
  const assignment = (unitId: string) => stack.assignmentOf(unitId).id;

  /** Every unit of the task late and at level 3: the deadline moved to two seconds from now. */
  async function overdueRound(reason: string) {
    const moved = await stack.tasks.changeDeadline(stack.plan.tasks[0].id, new Date(Date.now() + 2_000), reason);
    expect(moved.status).toBe(200);
    await waitFor(
      'every unit at level 3 in the queue',
      async () => {
        const queue = await request<Queue>(stack.baseUrl, 'GET', '/escalations?limit=500', {
          token: stack.token('supervisor'),
        });
        return units.every((unitId) =>
          queue.body.items.some((item) => item.subjectId === assignment(unitId) && item.level === 3),
        );
      },
      60_000,
      250,
    );
  }

  async function pageAs(username: string, viewport: Viewport): Promise<Page> {
    const page = await kit.openPage({ viewport });
    await kit.signIn(page, username);
    return page;
  }

  const card = (page: Page, unitId: string, within = page.locator('body')) =>
    within.locator(`[data-testid="escalation"][data-subject="${assignment(unitId)}"]`);

  describe.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as Array<[string, Viewport]>)('at %s size', (name, viewport) => {
    it('the queue shows one card per late unit with the task title; 批量催办 of two; a stale item leaves', async () => {
      await overdueRound(`测试：逾期（${name}）`);
      const page = await pageAs('supervisor', viewport);
      await page.goto(`${origin()}/board`);
      await card(page, 'finance').waitFor({ timeout: 30_000 });
      // One card per unit whatever levels it reached, each naming the task and its unit.
      expect(await page.locator('[data-testid="escalation"]').count()).toBe(units.length);
      for (const unitId of units) expect(await card(page, unitId).count()).toBe(1);
      const finance = card(page, 'finance');
      expect(await finance.textContent()).toContain(TASK_TITLE);
      expect(await finance.textContent()).toContain('县财政局');
      expect(await finance.textContent()).toContain('三级（县领导挂牌督办）');
      expect(await finance.getByTestId('age').textContent()).toMatch(/^已持续 /);
      await expectNoHorizontalScroll(page, `the queue (${name})`);
      await kit.screenshot(page, `escalations-queue-${name}`);

      // Grouped by unit: a heading per unit.
      await page.getByLabel('分组').selectOption('unit');
      const groups = page.getByTestId('escalation-group');
      await waitFor('three unit groups', async () => (await groups.count()) === units.length, 10_000);
      expect(await groups.filter({ hasText: '县民政局' }).locator('[data-testid="escalation"]').count()).toBe(1);
      await expectNoHorizontalScroll(page, `the queue grouped by unit (${name})`);
      await kit.screenshot(page, `escalations-by-unit-${name}`);
      await page.getByLabel('分组').selectOption('task');
      await waitFor('one task group', async () => (await groups.count()) === 1, 10_000);

      // Two chosen, one 催办 for both.
      await card(page, 'finance').locator('input.select-item').check();
      await card(page, 'civil-affairs').locator('input.select-item').check();
      await act(page, page.locator('.batch-bar'), '批量催办（2）', { 催办内容: `请于本周五前报送（${name}）` });
      await page.getByTestId('batch-result').getByText('已催办 2 项。').waitFor();
      await waitFor(
        'the two handled cards to leave',
        async () => (await card(page, 'finance').count()) + (await card(page, 'civil-affairs').count()) === 0,
        15_000,
      );
      expect(await card(page, 'approval').count()).toBe(1);

      // 调整时限 moves the deadline out: the lead unit's item has lost its cause and leaves by itself.
      const moved = await stack.tasks.changeDeadline(
        stack.plan.tasks[0].id,
        new Date(Date.now() + 3_600_000),
        `测试：延期（${name}）`,
      );
      expect(moved.status).toBe(200);
      await waitFor('the stale card to leave', async () => (await card(page, 'approval').count()) === 0, 20_000);
      await page.getByText('没有待处理的升级事项。').waitFor();
    });

    it("the supervision office's 待办 lists the open items", async () => {
      await overdueRound(`测试：再次逾期（${name}）`);
      const page = await pageAs('supervisor', viewport);
      const inbox = page.getByTestId('inbox-escalations');
      await waitFor(
        'the three items in 待办',
        async () => (await inbox.locator('[data-testid="escalation"]').count()) === units.length,
        20_000,
      );
      expect(await card(page, 'finance', inbox).textContent()).toContain(TASK_TITLE);
      await expectNoHorizontalScroll(page, `the supervisor's 待办 (${name})`);
      await kit.screenshot(page, `escalations-inbox-supervisor-${name}`);
    });

    it("the leader's 待办 lists the level-3 item; 批示 is linked to the task; 已阅 takes it off 待办", async () => {
      const page = await pageAs('leader', viewport);
      const inbox = page.getByTestId('inbox-escalations');
      const finance = card(page, 'finance', inbox);
      await finance.waitFor({ timeout: 20_000 });
      expect(await finance.textContent()).toContain('三级（县领导挂牌督办）');
      const instruction = `请财政局三日内报送（${name}）`;
      await act(page, finance, '批示', { 批示内容: instruction });
      await finance.getByTestId('instruction').getByText(instruction, { exact: false }).waitFor({ timeout: 15_000 });
      await expectNoHorizontalScroll(page, `the leader's 待办 (${name})`);
      await kit.screenshot(page, `escalations-inbox-leader-${name}`);

      // The 批示 link leads to the task, where the 批示 stands pinned.
      await finance.getByRole('link', { name: '查看批示' }).click();
      const pinned = page.getByLabel('领导批示');
      await pinned.getByText(instruction, { exact: false }).waitFor({ timeout: 15_000 });
      await expectNoHorizontalScroll(page, `the task's 批示 (${name})`);
      await kit.screenshot(page, `escalations-instruction-${name}`);

      await page.goto(`${origin()}/`);
      await finance.waitFor({ timeout: 15_000 });
      await act(page, finance, '已阅');
      await waitFor('the read item to leave the leader’s 待办', async () => (await finance.count()) === 0, 15_000);
      const read = await request<{ items: Array<{ subjectId: string; readAt: string | null }> }>(
        stack.baseUrl,
        'GET',
        '/escalations?limit=500',
        { token: stack.token('leader') },
      );
      expect(read.body.items.find((item) => item.subjectId === assignment('finance'))?.readAt).toEqual(
        expect.any(String),
      );
    });
  });
});
