import { Page } from 'playwright-core';
import { createApiDocument } from '@county/api';
import {
  assignmentPolicy,
  clickAndConfirm as act,
  describeInBrowser,
  DESKTOP,
  expectNoHorizontalScroll,
  PHONE,
  ONE_TASK_LIST,
  PATIENT_CALL_POLICY,
  queryRows,
  useBrowser,
  useStack,
  waitFor,
  waitForCall,
} from '@county/test-kit';
import { clerkXlsxOf } from './support/clerk-xlsx';

/**
 * The staff console in a real browser (Debian's Chromium, headless) against the real API, worker, Temporal and
 * PostgreSQL: everything a user does here is clicks and typing; only the plan import (setup) uses the API.
 */

/** Red from the second level on (DESIGN §4), reached 2 s after the deadline; level 3 stays far away. */
const FAST_POLICY = assignmentPolicy({ remind: 3, ladder: [0, 2, 600] });

describeInBrowser('staff console in the browser', () => {
  jest.setTimeout(120_000);
  const taskTitle = `完善村级代办服务机制（界面测试 ${Math.random().toString(36).slice(2, 8)}）`;

  const stack = useStack({
    worker: true,
    // Calls answer within ten minutes here: nothing escalates while the browser clicks through.
    apiEnv: { CALL_POLICY: PATIENT_CALL_POLICY },
    plan: { text: ONE_TASK_LIST.replace('完善村级代办服务机制', taskTitle), policy: FAST_POLICY },
  });

  const task = () => stack.plan.tasks[0];
  const assignmentOf = (unitId: string) => task().assignments.find((assignment) => assignment.unitId === unitId)!;
  const assignmentRow = async (unitId: string) =>
    (
      await queryRows<{ status: string; light: string }>('SELECT status, light FROM assignments WHERE id = $1', [
        assignmentOf(unitId).id,
      ])
    )[0];

  const origin = () => stack.api.origin;
  /** Console errors and uncaught page errors; each test must end with none it did not cause on purpose. */
  const { openPage: openContext, signIn, problems, forgive, screenshot } = useBrowser(origin);
  /** The county's time zone (the kit's default), so datetime inputs mean Beijing time whatever the machine's zone is. */
  const openPage = (viewport = DESKTOP) => openContext({ viewport });

  const card = (page: Page, text: string) => page.locator('article', { hasText: text });

  /** A `datetime-local` value `seconds` from now in Beijing time (with non-zero seconds, which inputs keep as typed). */
  function beijingLocal(secondsFromNow: number): string {
    let at = Date.now() + secondsFromNow * 1000;
    if (new Date(at).getUTCSeconds() === 0) at += 1000;
    return new Date(at + 8 * 3_600_000).toISOString().slice(0, 19);
  }

  it('the header shows who is signed in, with unit and role; a wrong password is refused inline', async () => {
    const page = await openPage();
    await page.goto(`${origin()}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel('用户名').fill('finance.staff');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('用户名或密码不正确');
    // The browser reports the refused login (401) as a failed resource; that one was asked for.
    forgive(/status of 401/);

    await signIn(page, 'finance.staff');
    const who = await page.getByTestId('who').textContent();
    expect(who).toContain('县财政局');
    expect(who).toContain('工作人员');
    // Deep links survive a reload: the API answers index.html for the console's paths.
    await page.goto(`${origin()}/tasks/${task().id}`);
    await page.getByRole('heading', { name: taskTitle }).waitFor();
  });

  it('乡呼县应: a township raises a call, the county unit responds and resolves, the township evaluates', async () => {
    const subject = `高标准农田灌溉渠系损毁需农业农村局现场勘查 ${Math.random().toString(36).slice(2, 6)}`;
    const page = await openPage();
    await signIn(page, 'chengguan.staff');
    await page.getByRole('link', { name: '乡呼县应' }).click();
    const form = page.getByRole('form', { name: '发起呼叫' });
    await form.getByLabel('呼叫部门').selectOption('agriculture');
    await form.getByLabel('事项').fill(subject);
    await form.getByLabel('情况说明').fill('两个自然村灌溉渠系损毁，乡镇无专业力量，请求县农业农村局派员勘查。');
    await form.getByRole('button', { name: '发起呼叫' }).click();
    await card(page, subject).waitFor();
    const [{ id: callId }] = await queryRows<{ id: string }>('SELECT id FROM calls WHERE subject = $1', [subject]);

    await signIn(page, 'agriculture.staff');
    const countyCall = card(page, subject);
    await countyCall.getByText('待签收', { exact: true }).waitFor();
    await act(page, countyCall, '签收', { '签收说明（可选）': '已安排专人对接' });
    await waitForCall('responded', callId, (row) => row.status === 'responded');
    // The inbox follows without a reload: the same card now asks to resolve.
    await act(page, countyCall, '办结', { 办理结果: '已派员现场勘查，列入本年度渠系修复计划。' });
    await countyCall.waitFor({ state: 'detached' });

    await signIn(page, 'chengguan.staff');
    const evaluate = card(page, subject);
    await evaluate.getByText('待评价', { exact: true }).waitFor();
    await act(page, evaluate, '评价', { 评价结果: 'satisfied', '评价意见（可选）': '响应及时' });
    await evaluate.waitFor({ state: 'detached' });
    const closed = await waitForCall('closed', callId, (row) => row.status === 'closed');
    expect(closed).toMatchObject({ rating: 'satisfied', to_unit_id: 'agriculture', from_unit_id: 'chengguan' });

    // The calls page shows the whole story to the township.
    await page.getByRole('link', { name: '乡呼县应' }).click();
    await card(page, subject).getByText('评价：满意').waitFor();
  });

  it('a responsible unit submits, a bad extension request is refused inline, and the lead head approves', async () => {
    const page = await openPage();
    await signIn(page, 'finance.staff');
    const work = card(page, taskTitle);
    await act(page, work, '签收');
    await work.getByRole('button', { name: '提交', exact: true }).waitFor();

    // An extension must lie ahead: the refusal appears in the dialog, in Chinese and naming the field.
    await work.getByRole('button', { name: '申请延期' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel('申请延至').fill('2026-01-05T10:00:05');
    await dialog.getByLabel('延期理由').fill('等待上级文件');
    const before = problems.length;
    await dialog.getByRole('button', { name: '确认' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain('申请的新时限');
    expect(problems.slice(before)).toEqual([expect.stringMatching(/status of 400/)]);
    problems.splice(before);
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });

    await act(page, work, '提交', { 办理情况摘要: '已制定代办清单并完成首轮代办员培训。' });
    await waitFor('submitted', async () => (await assignmentRow('finance')).status === 'submitted', 20_000, 200);
    await work.waitFor({ state: 'detached' });
    await screenshot(page, 'staff-inbox-desktop');

    await signIn(page, 'approval.head');
    const review = page.locator('article', { hasText: taskTitle }).filter({ hasText: '县财政局' });
    await review.getByText('待审核', { exact: true }).waitFor();
    await act(page, review, '审核通过', { '审核意见（可选）': '同意' });
    await waitFor('approved', async () => (await assignmentRow('finance')).status === 'approved', 20_000, 200);
    await review.waitFor({ state: 'detached' });

    // The task page: measures, goals, every unit, and the approval on the timeline.
    await page.goto(`${origin()}/tasks/${task().id}`);
    await page.getByText('推进措施').waitFor();
    await page.locator('tr[data-unit="finance"]').getByText('已审核通过').waitFor();
    await page.locator('.timeline').getByText('审核通过').first().waitFor();
    expect(await page.locator('.timeline').textContent()).toContain('提交办理结果');
    await screenshot(page, 'staff-task-desktop');
  });

  it('the supervisor moves the deadline from the board and watches the lights turn red', async () => {
    const page = await openPage();
    await signIn(page, 'supervisor');
    await page.getByRole('link', { name: '督查看板' }).click();
    // The board opens on the plan with the most open work (other suites' plans share this database): pick ours.
    await page.getByLabel('选择任务清单').selectOption(stack.plan.id);
    const row = page.locator(`tr[data-task="${task().id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-light')).toBe('green');
    expect(await row.locator('[data-unit="civil-affairs"]').getAttribute('data-light')).toBe('green');

    await act(page, row, '调整时限', { 新的完成时限: beijingLocal(6), 调整理由: '界面测试：提前到期' });
    // No reload: the board polls, and the overdue unit's light, the task's light and the queue follow.
    await page.locator(`tr[data-task="${task().id}"][data-light="red"]`).waitFor({ timeout: 40_000 });
    await row.locator('[data-unit="civil-affairs"][data-light="red"]').waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-unit="finance"]').getAttribute('data-light')).toBe('green');
    expect((await assignmentRow('civil-affairs')).light).toBe('red');
    await page.getByTestId('escalations').getByText('县民政局').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('task-ranking').getByText('县民政局').waitFor();
    // The summary tiles count the red assignment too (whatever other plans in the database add).
    await page
      .getByTestId('单位承办-red')
      .filter({ hasNotText: /^逾期 0$/ })
      .waitFor({ timeout: 10_000 });
    await screenshot(page, 'staff-board-desktop');
    await expectNoHorizontalScroll(page, 'board at 1366');
  });

  it('the main pages fit a 1280×800 screen and a 390-px phone without horizontal scrolling', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await openPage(viewport);
      await signIn(page, 'supervisor');
      for (const [what, url, ready] of [
        ['inbox', '/', /^任务待办/],
        ['tasks', '/tasks', /^任务$/],
        ['task', `/tasks/${task().id}`, /^办理时间线$/],
        ['calls', '/calls', /^全部呼叫$/],
        ['board', '/board', /^单位排名 · 乡呼县应$/],
        ['import', '/import', /^导入任务清单$/],
      ] as const) {
        await page.goto(`${origin()}${url}`);
        await page.getByRole('heading', { name: ready }).waitFor();
        // Wait until the lists are loaded, so the measurement sees the real content.
        await page.getByText('正在加载…').first().waitFor({ state: 'detached' });
        await expectNoHorizontalScroll(page, `${what} at ${viewport.width}px`);
        if (name === 'phone' && ['task', 'board'].includes(what)) await screenshot(page, `staff-${what}-phone`);
      }
      if (name === 'phone') {
        await signIn(page, 'civil-affairs.staff');
        await card(page, taskTitle).waitFor();
        await expectNoHorizontalScroll(page, 'inbox with a task at 390px');
        await screenshot(page, 'staff-inbox-phone');
      }
    }
  });

  it('the import preview names a task whose 完成时限 was not understood, before anything is imported', async () => {
    const page = await openPage();
    await signIn(page, 'supervisor');
    await page.goto(`${origin()}/import`);
    await page.getByRole('heading', { name: /^导入任务清单$/ }).waitFor();
    const list = ONE_TASK_LIST.replace('\t2027年6月底前', '\t按上级要求');
    expect(list).not.toBe(ONE_TASK_LIST);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '任务清单.txt', mimeType: 'text/plain', buffer: Buffer.from(list, 'utf8') });
    await page.getByRole('button', { name: '预览' }).click();
    await expect(page.getByTestId('unknown-deadlines').textContent()).resolves.toContain(
      '第1项（完成时限“按上级要求”）',
    );
  });

  it('the import page takes an .xlsx and shows its warnings by sheet and row', async () => {
    const page = await openPage();
    await signIn(page, 'supervisor');
    await page.goto(`${origin()}/import`);
    await page.getByRole('heading', { name: /^导入任务清单$/ }).waitFor();
    const input = page.locator('input[type=file]');
    expect(await input.getAttribute('accept')).toContain('.xlsx');
    const list = ONE_TASK_LIST.replace('\t2027年6月底前', '\t按上级要求');
    await input.setInputFiles({
      name: '任务清单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await clerkXlsxOf(list)),
    });
    await page.getByRole('button', { name: '预览' }).click();
    await expect(page.locator('ul.warnings li').first().textContent()).resolves.toBe(
      '工作表「任务清单」第 3 行：任务 1：完成时限“按上级要求”无法识别，请导入后设置',
    );
    await expect(page.getByText('格式：xlsx').count()).resolves.toBe(1);
  });

  it('serves the OpenAPI document the lint and the console types are built from', async () => {
    const served = (await (await fetch(`${origin()}/api/docs/openapi.json`)).json()) as unknown;
    expect(served).toEqual(JSON.parse(JSON.stringify(await createApiDocument())));
  });

  /** The button each allowedActions entry shows as (actions.ts), to compare the page with the API's answer. */
  const BUTTON_LABELS: Record<string, string> = {
    acknowledge: '签收',
    progress: '报告进展',
    submit: '提交',
    withdraw: '撤回',
    requestExtension: '申请延期',
    approve: '审核通过',
    return: '退回',
    reassign: '转办',
    setHandler: '指定承办人',
    urge: '催办',
  };

  it('buttons are exactly allowedActions: a lead head and its staff differ on one report; a reassigned unit has none', async () => {
    const title = `推行一窗通办（按钮测试 ${Math.random().toString(36).slice(2, 8)}）`;
    const own = await stack.importAndStart(ONE_TASK_LIST.replace('完善村级代办服务机制', title));
    const ownTask = own.tasks[0];
    const idOf = (unitId: string) => ownTask.assignments.find((assignment) => assignment.unitId === unitId)!.id;
    const statusOf = async (id: string) =>
      (await queryRows<{ status: string }>('SELECT status FROM assignments WHERE id = $1', [id]))[0]?.status;

    // Setup through the API: 县财政局 signs for its part and submits it, so it waits for the lead unit's review.
    for (const [verb, body] of [
      ['acknowledge', {}],
      ['submit', { summary: '已梳理一窗通办事项清单。', evidence: [] }],
    ] as const) {
      const answer = await stack.assignments.act('finance.staff', idOf('finance'), verb, body);
      expect({ verb, status: answer.status }).toEqual({ verb, status: 200 });
    }
    await waitFor('submitted', async () => (await statusOf(idOf('finance'))) === 'submitted', 20_000, 200);

    /** What GET /tasks/:id says `username` may do to the unit's assignment, as button labels. */
    const allowedLabels = async (username: string, unitId: string) => {
      const detail = await stack.tasks.get<{ assignments: Array<{ id: string; allowedActions: string[] }> }>(
        ownTask.id,
        username,
      );
      expect(detail.status).toBe(200);
      const assignment = detail.body.assignments.find((candidate) => candidate.id === idOf(unitId))!;
      return assignment.allowedActions.map((action) => BUTTON_LABELS[action] ?? `unmapped ${action}`);
    };
    /** The buttons the task page shows `username` on the unit's row, once the row shows `statusLabel`. */
    const rowButtons = async (page: Page, username: string, unitId: string, statusLabel: string) => {
      await signIn(page, username);
      await page.goto(`${origin()}/tasks/${ownTask.id}`);
      const row = page.locator(`tr[data-unit="${unitId}"]`).filter({ hasText: statusLabel });
      await row.waitFor();
      return row.getByRole('button').allTextContents();
    };

    const page = await openPage();
    // The lead unit's head and staff see the same submitted report differently: only the head signs off.
    const headButtons = await rowButtons(page, 'approval.head', 'finance', '已提交待审核');
    expect(headButtons).toEqual(['审核通过', '退回', '催办']);
    expect(headButtons).toEqual(await allowedLabels('approval.head', 'finance'));
    await screenshot(page, 'buttons-lead-head');
    const staffButtons = await rowButtons(page, 'approval.staff', 'finance', '已提交待审核');
    expect(staffButtons).toEqual([]);
    expect(staffButtons).toEqual(await allowedLabels('approval.staff', 'finance'));
    // …while the staff member does get buttons where the server allows them: the lead unit's own part.
    const ownPart = await rowButtons(page, 'approval.staff', 'approval', '待签收');
    expect(ownPart).toContain('签收');
    expect(ownPart).toEqual(await allowedLabels('approval.staff', 'approval'));
    await screenshot(page, 'buttons-lead-staff');

    // 县民政局 has its work to do until the supervision office reassigns it from the task page.
    const before = await rowButtons(page, 'civil-affairs.staff', 'civil-affairs', '待签收');
    expect(before).toEqual(expect.arrayContaining(['签收', '申请延期']));
    expect(before).toEqual(await allowedLabels('civil-affairs.staff', 'civil-affairs'));
    const supervisorButtons = await rowButtons(page, 'supervisor', 'civil-affairs', '待签收');
    expect(supervisorButtons).toEqual(await allowedLabels('supervisor', 'civil-affairs'));
    const civilAffairsRow = page.locator('tr[data-unit="civil-affairs"]');
    await act(page, civilAffairsRow, '转办', { 转办至: 'market-regulation', 转办理由: '职能调整，转市场监管局办理' });
    await waitFor('reassigned', async () => (await statusOf(idOf('civil-affairs'))) === 'reassigned', 20_000, 200);

    for (const username of ['civil-affairs.staff', 'civil-affairs.head']) {
      expect({ username, buttons: await rowButtons(page, username, 'civil-affairs', '已转办') }).toEqual({
        username,
        buttons: [],
      });
      expect(await allowedLabels(username, 'civil-affairs')).toEqual([]);
      // Nor does the old unit's inbox offer the task any more.
      await page.goto(`${origin()}/`);
      await page.getByText('正在加载…').first().waitFor({ state: 'detached' });
      expect({ username, cards: await card(page, title).count() }).toEqual({ username, cards: 0 });
    }
    await screenshot(page, 'buttons-reassigned-unit');
    // The new unit has the work now, with its buttons.
    await signIn(page, 'market-regulation.staff');
    await page.goto(`${origin()}/tasks/${ownTask.id}`);
    await page.locator('tr[data-unit="market-regulation"]').getByRole('button', { name: '签收' }).waitFor();

    // A rule the old console re-coded wrongly: it offered 申请延期 by status alone, also after the deadline had
    // passed (which the server refuses, DESIGN §4.5). The deadline moves to a few seconds from now, then passes.
    const moved = await stack.tasks.changeDeadline(ownTask.id, new Date(Date.now() + 3_000), '界面测试：时限已过');
    expect(moved.status).toBe(200);
    await waitFor(
      "the lead unit's deadline to pass",
      async () => {
        const [row] = await queryRows<{ passed: boolean }>(
          'SELECT due_at < now() AS passed FROM assignments WHERE id = $1',
          [idOf('approval')],
        );
        return row?.passed === true;
      },
      20_000,
      200,
    );
    const overdue = await rowButtons(page, 'approval.staff', 'approval', '待签收');
    expect(overdue).toContain('签收');
    expect(overdue).not.toContain('申请延期');
    expect(overdue).toEqual(await allowedLabels('approval.staff', 'approval'));
  });
});
