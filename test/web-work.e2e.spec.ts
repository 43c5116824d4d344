import { Locator, Page } from 'playwright-core';
import {
  clickAndConfirm as act,
  describeInBrowser,
  DESKTOP,
  expectNoHorizontalScroll,
  ImportedPlan,
  ONE_TASK_LIST,
  ownDatabase,
  PHONE,
  queryRows,
  useBrowser,
  useStack,
  Viewport,
  waitFor,
} from '@county/test-kit';

/**
 * The day's work in a real browser against the real API, worker, Temporal and PostgreSQL (issue 18): 待办 grouped
 * and named by task list, what a unit sent listed with its status until it is decided, extension decisions, 退回
 * and resubmission, a progress report, and the lead unit's 汇总 through to the supervision office's 销号 — with
 * the lead unit's own row offering no 签收 or 申请延期 once every responsible unit is approved.
 */
const FIRST_LIST = '第一批基层审批服务任务清单（界面测试）';
const SECOND_LIST = '第二批基层审批服务任务清单（界面测试）';
const TASK = '1. 完善村级代办服务机制';

describeInBrowser('the day’s work: 待办, 已报送 and 销号 in the console', () => {
  jest.setTimeout(180_000);
  // Its own database: the inbox holds this suite's two lists and nothing else.
  const database = ownDatabase('work');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    users: ['supervisor', 'approval.head', 'approval.staff', 'finance.staff', 'civil-affairs.staff'],
    plan: { text: ONE_TASK_LIST.replace('测试任务清单', FIRST_LIST) },
  });
  afterAll(() => database.drop());
  let second: ImportedPlan;
  beforeAll(async () => {
    second = await stack.importAndStart(ONE_TASK_LIST.replace('测试任务清单', SECOND_LIST));
  }, 60_000);

  const origin = () => stack.api.origin;
  const { openPage, signIn, screenshot } = useBrowser(origin);
  const first = () => stack.plan;
  const assignmentOf = (plan: ImportedPlan, unitId: string) =>
    plan.tasks[0].assignments.find((assignment) => assignment.unitId === unitId)!;
  const row = async (assignmentId: string) =>
    (
      await queryRows<{ status: string; due_at: Date | null }>(
        'SELECT status, due_at FROM assignments WHERE id = $1',
        [assignmentId],
        database.url,
      )
    )[0];
  const taskStatus = async (taskId: string) =>
    (await queryRows<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [taskId], database.url))[0].status;
  const waitForStatus = (assignmentId: string, status: string) =>
    waitFor(`${assignmentId} ${status}`, async () => (await row(assignmentId)).status === status, 20_000, 200);

  /** The 任务待办 cards of one list (a plan's group on 待办). */
  const cardsOf = (page: Page, plan: ImportedPlan): Locator =>
    page.getByRole('region', { name: '任务待办' }).locator(`section.plan-group[data-plan="${plan.id}"] article`);
  const sent = (page: Page) => page.getByTestId('sent');
  const sentItem = (page: Page, plan: ImportedPlan, kind: string) =>
    sent(page).locator(`li[data-kind="${kind}"][data-task="${plan.tasks[0].id}"]`);
  const page = async (who: string, viewport: Viewport = DESKTOP) => {
    const opened = await openPage({ viewport });
    await signIn(opened, who);
    return opened;
  };

  it('待办 groups the same task of two lists under each list’s name, the own unit highlighted (1366 and 390 px)', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const inbox = await page('finance.staff', viewport);
      for (const [plan, title] of [
        [first(), FIRST_LIST],
        [second, SECOND_LIST],
      ] as const) {
        const group = inbox.locator(`section.plan-group[data-plan="${plan.id}"]`);
        await group.getByRole('heading', { name: title }).waitFor();
        await expect(cardsOf(inbox, plan).count()).resolves.toBe(1);
        expect(await cardsOf(inbox, plan).getByRole('link').textContent()).toBe(TASK);
        // The card names the reader's own unit, highlighted.
        await cardsOf(inbox, plan).locator('.tag.mine', { hasText: '县财政局' }).waitFor();
      }
      // The API names each row's list.
      type Items = { items: Array<{ planId: string; planTitle: string; taskTitle: string }> };
      const rows = (await stack.as<Items>('finance.staff', 'GET', '/inbox?limit=500')).body.items;
      expect(rows.map(({ planId, planTitle }) => ({ planId, planTitle }))).toEqual(
        expect.arrayContaining([
          { planId: first().id, planTitle: FIRST_LIST },
          { planId: second.id, planTitle: SECOND_LIST },
        ]),
      );
      // Both lists' cards read the same: only their groups tell them apart.
      expect(await inbox.locator('.plan-heading .plan-title').allTextContents()).toEqual(
        expect.arrayContaining([FIRST_LIST, SECOND_LIST]),
      );
      await expect(sent(inbox).textContent()).resolves.toContain('本单位暂无等待审核的报送');
      await expectNoHorizontalScroll(inbox, `待办 at ${viewport.width}px`);
      await screenshot(inbox, `work-inbox-${name}`);
    }
  });

  it('a progress report, then a submission: the report waits under 已报送，待审核 with its status', async () => {
    const finance = assignmentOf(first(), 'finance');
    const inbox = await page('finance.staff');
    const card = cardsOf(inbox, first());
    await act(inbox, card, '签收', { '签收说明（可选）': '已安排专人办理' });
    await waitForStatus(finance.id, 'acknowledged');
    await act(inbox, card, '报告进展', { 进展情况: '代办清单已起草，正在征求意见。', '完成比例（%）': '60' });
    await waitForStatus(finance.id, 'in-progress');
    const [progress] = await queryRows<{ payload: { percent: number; note: string } }>(
      `SELECT payload FROM audit_events WHERE subject_id = $1 AND action = 'assignment.progress'`,
      [finance.id],
      database.url,
    );
    expect(progress.payload).toMatchObject({ percent: 60, note: '代办清单已起草，正在征求意见。' });
    // The task page shows the reported percentage with the unit's row highlighted as the reader's own.
    await inbox.goto(`${origin()}/tasks/${first().tasks[0].id}`);
    await inbox.locator('tr.mine[data-unit="finance"]').getByText('办理中').waitFor();
    await inbox.getByTestId('unit-reports').locator('[data-unit="finance"]').getByText('60%').first().waitFor();

    await inbox.goto(`${origin()}/`);
    await act(inbox, cardsOf(inbox, first()), '提交', { 办理情况摘要: '代办清单已印发，代办员培训完成。' });
    await waitForStatus(finance.id, 'submitted');
    // Gone from the work to do, but not gone: listed with whose decision it waits for.
    await waitFor('the card to leave', async () => (await cardsOf(inbox, first()).count()) === 0, 15_000);
    const item = sentItem(inbox, first(), 'report');
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toContain('待牵头单位审核');
    expect(await item.textContent()).toContain(TASK);
    await expect(sent(inbox).getByRole('heading', { name: FIRST_LIST }).count()).resolves.toBe(1);
    // The other list's identical task is still to do.
    await expect(cardsOf(inbox, second).count()).resolves.toBe(1);
    await screenshot(inbox, 'work-sent-desktop');
  });

  it('退回 with a reason, then the unit resubmits and the lead unit’s head approves', async () => {
    const finance = assignmentOf(first(), 'finance');
    const head = await page('approval.head');
    const review = cardsOf(head, first()).filter({ hasText: '县财政局' }).filter({ hasText: '待审核' });
    await review.waitFor();
    await act(head, review, '退回', { 退回理由: '请补充代办员培训签到表。' });
    await waitForStatus(finance.id, 'returned');

    const unit = await page('finance.staff');
    const card = cardsOf(unit, first());
    await card.getByText('请补充代办员培训签到表。').waitFor();
    await expect(sentItem(unit, first(), 'report').count()).resolves.toBe(0);
    await act(unit, card, '提交', { 办理情况摘要: '已补充培训签到表。' });
    await waitForStatus(finance.id, 'submitted');
    await sentItem(unit, first(), 'report').waitFor({ timeout: 15_000 });

    await head.reload();
    await act(head, review, '审核通过', { '审核意见（可选）': '同意' });
    await waitForStatus(finance.id, 'approved');
    await unit.reload();
    await sent(unit).waitFor(); // the inbox has loaded
    await waitFor(
      'the sent report to leave',
      async () => (await sentItem(unit, first(), 'report').count()) === 0,
      15_000,
    );
  });

  it('extension requests: listed as sent, rejected with a reason, asked again and approved', async () => {
    const civil = assignmentOf(first(), 'civil-affairs');
    const unit = await page('civil-affairs.staff');
    const request = async (reason: string) => {
      await act(unit, cardsOf(unit, first()), '申请延期', { 申请延至: '2027-08-31T18:00:05', 延期理由: reason });
      const item = sentItem(unit, first(), 'extension');
      await item.waitFor({ timeout: 15_000 });
      expect(await item.textContent()).toContain('待督查室审批');
      expect(await item.textContent()).toContain(reason);
    };
    await request('需等待自治区统一版本的代办清单。');
    await screenshot(unit, 'work-extension-desktop');
    // Another unit's 待办 does not list it: 已报送 is the reader's own unit's.
    type Sent = { sent: Array<{ kind: string; unitId: string; planTitle: string }> };
    const sentOf = async (who: string) => (await stack.as<Sent>(who, 'GET', '/inbox?limit=500')).body.sent;
    expect(await sentOf('civil-affairs.staff')).toContainEqual(
      expect.objectContaining({ kind: 'extension', unitId: 'civil-affairs', planTitle: FIRST_LIST }),
    );
    expect((await sentOf('finance.staff')).filter((item) => item.kind === 'extension')).toEqual([]);

    const supervisor = await page('supervisor');
    await supervisor.getByRole('link', { name: '督查看板' }).click();
    const pending = (reason: string) => supervisor.locator('article', { hasText: reason });
    await pending('需等待自治区统一版本的代办清单。').waitFor({ timeout: 15_000 });
    await act(supervisor, pending('需等待自治区统一版本的代办清单。'), '不予批准', { 理由: '按原时限推进。' });
    const decided = async (status: string) =>
      queryRows<{ status: string; comment: string | null }>(
        'SELECT status, comment FROM extension_requests WHERE assignment_id = $1 AND status = $2',
        [civil.id, status],
        database.url,
      );
    await waitFor('the rejection', async () => (await decided('rejected')).length === 1, 15_000);
    expect((await decided('rejected'))[0].comment).toBe('按原时限推进。');
    await unit.reload();
    await sent(unit).waitFor(); // the inbox has loaded
    await waitFor(
      'the rejected request to leave',
      async () => (await sentItem(unit, first(), 'extension').count()) === 0,
      15_000,
    );
    const before = (await row(civil.id)).due_at!.getTime();

    await request('村级代办点建设需结合换届，申请延期两个月。');
    await supervisor.reload();
    await act(supervisor, pending('村级代办点建设需结合换届，申请延期两个月。'), '批准延期', {
      '意见（可选）': '同意',
    });
    await waitFor('the approval', async () => (await decided('approved')).length === 1, 15_000);
    await waitFor('the new deadline', async () => (await row(civil.id)).due_at!.getTime() > before, 20_000, 200);
    expect((await row(civil.id)).due_at!.toISOString()).toBe(new Date('2027-08-31T10:00:05Z').toISOString());
  });

  it('提交汇总 → 销号: the lead unit’s own row loses 签收 and 申请延期 once every unit is approved', async () => {
    const task = first().tasks[0];
    const civil = assignmentOf(first(), 'civil-affairs');
    const lead = assignmentOf(first(), 'approval');
    // While the units work, the lead unit's own row is work of its own.
    const leadActions = async () =>
      (await stack.assignments.get<{ assignment: { allowedActions: string[] } }>(lead.id, 'approval.staff')).body
        .assignment.allowedActions;
    expect(await leadActions()).toEqual(expect.arrayContaining(['acknowledge', 'requestExtension']));
    await stack.assignments.submit('civil-affairs.staff', civil.id, { summary: '代办点已全部挂牌。', evidence: [] });
    const head = await page('approval.head');
    const review = cardsOf(head, first()).filter({ hasText: '县民政局' }).filter({ hasText: '待审核' });
    await act(head, review, '审核通过');
    await waitFor(
      'awaiting consolidation',
      async () => (await taskStatus(task.id)) === 'awaiting-consolidation',
      20_000,
      200,
    );

    // Its row offers no work now, in the API and on the task page, and a direct request is refused (409).
    expect(await leadActions()).not.toEqual(expect.arrayContaining(['acknowledge']));
    expect(await leadActions()).not.toEqual(expect.arrayContaining(['requestExtension']));
    const acknowledge = await stack.assignments.act('approval.staff', lead.id, 'acknowledge', {});
    expect({ status: acknowledge.status, code: acknowledge.body.code }).toEqual({ status: 409, code: 'CONFLICT' });
    const extension = await stack.extensions.request('approval.staff', lead.id, {
      requestedDueAt: '2027-09-30T10:00:00Z',
      reason: '汇总需要时间',
    });
    expect({ status: extension.status, code: extension.body.code }).toEqual({ status: 409, code: 'CONFLICT' });
    const staff = await page('approval.staff');
    await staff.goto(`${origin()}/tasks/${task.id}`);
    const leadRow = staff.locator('tr.mine[data-unit="approval"]');
    await leadRow.waitFor();
    await expect(leadRow.getByRole('button', { name: '签收', exact: true }).count()).resolves.toBe(0);
    await expect(leadRow.getByRole('button', { name: '申请延期' }).count()).resolves.toBe(0);

    // 汇总: the head's 待办 asks for it; once sent it waits under 已报送 for the supervision office.
    await head.reload();
    const consolidate = cardsOf(head, first()).filter({ hasText: '待汇总' });
    await act(head, consolidate, '提交汇总', { 汇总报告: '各责任单位均已完成，代办服务覆盖全部行政村。' });
    await waitFor(
      'awaiting verification',
      async () => (await taskStatus(task.id)) === 'awaiting-verification',
      20_000,
      200,
    );
    const sentConsolidation = sentItem(head, first(), 'consolidation');
    await sentConsolidation.waitFor({ timeout: 15_000 });
    expect(await sentConsolidation.textContent()).toContain('待督查室核验销号');
    await screenshot(head, 'work-consolidated-desktop');

    const supervisor = await page('supervisor');
    const verify = cardsOf(supervisor, first()).filter({ hasText: '待销号' });
    await verify.waitFor({ timeout: 15_000 });
    await screenshot(supervisor, 'work-verify-desktop');
    await act(supervisor, verify, '销号', { '意见（可选）': '核验属实' });
    await waitFor('closed', async () => (await taskStatus(task.id)) === 'closed', 20_000, 200);
    await waitFor('the card to leave', async () => (await verify.count()) === 0, 15_000);
    await head.reload();
    await sent(head).waitFor(); // the inbox has loaded
    await waitFor('the 汇总 to leave 已报送', async () => (await sentConsolidation.count()) === 0, 15_000);
  });

  it('待办, 已报送 and 已办 fit a 390-px phone, the own unit highlighted', async () => {
    // The second list: finance submits there, so its phone 待办 shows a sent item beside the first list's approval.
    await stack.assignments.submit('finance.staff', assignmentOf(second, 'finance').id);
    const phone = await page('finance.staff', PHONE);
    await sentItem(phone, second, 'report').waitFor({ timeout: 15_000 });
    await expectNoHorizontalScroll(phone, '待办 with a sent report at 390px');
    await screenshot(phone, 'work-sent-phone');
    await phone.getByRole('link', { name: '已办' }).click();
    await phone.getByRole('heading', { name: '已办' }).waitFor();
    await phone.getByRole('button', { name: '本单位' }).click();
    await phone.locator('.done-list .mine', { hasText: '县财政局' }).first().waitFor({ timeout: 15_000 });
    await expectNoHorizontalScroll(phone, '已办 at 390px');
    await screenshot(phone, 'work-done-phone');
    await phone.goto(`${origin()}/tasks/${first().tasks[0].id}`);
    await phone.locator('tr.mine[data-unit="finance"]').waitFor();
    await expectNoHorizontalScroll(phone, 'task page at 390px');
    await screenshot(phone, 'work-task-phone');
  });
});
