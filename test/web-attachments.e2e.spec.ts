import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Locator, Page } from 'playwright-core';
import {
  clickAndConfirm as act,
  describeInBrowser,
  ownDatabase,
  useBrowser,
  PATIENT_CALL_POLICY,
  useStack,
  waitFor,
} from '@county/test-kit';
import { docxFile, exeFile, jpegFile, pdfFile } from './support/files';

interface AssignmentDetail {
  assignment: { status: string };
}

/**
 * 佐证材料 in a real browser against the real API, worker, Temporal and PostgreSQL (issue 16): a responsible unit
 * attaches files to its report, the lead unit's head decides with the report and its files in front of them, the
 * unit sees why it came back, and the consolidation dialog lists every unit's approved report with its files.
 */
describeInBrowser('佐证材料 in the console', () => {
  jest.setTimeout(240_000);
  // Its own database: the inbox cards are this suite's plan alone, whatever ran before.
  const database = ownDatabase('web_attachments');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    plan: {},
    // Calls answer within ten minutes here: nothing escalates while the browser clicks through.
    apiEnv: { CALL_POLICY: PATIENT_CALL_POLICY },
  });
  afterAll(() => database.drop());
  const origin = () => stack.api.origin;
  // A refused upload (415) is a failed resource the console logs; the dialog shows it on purpose.
  const { signedInPage, signIn, forgive, screenshot } = useBrowser(origin, { ignoreConsole: /status of 415/ });

  /** Real files on disk, as a user picks them: a PDF, a photo, a Word document and a program posing as a PDF. */
  const folder = mkdtempSync(path.join(tmpdir(), 'county-web-attachments-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer) => {
    const where = path.join(folder, name);
    writeFileSync(where, bytes);
    return where;
  };
  const plan = file('整改方案.pdf', pdfFile('整改方案'));
  const photo = file('现场照片.jpg', jpegFile());
  const minutes = file('会议纪要.docx', docxFile());
  const program = file('整改报告.pdf', exeFile());

  const finance = () => stack.assignmentOf('finance');
  const statusOf = async (unitId: string) =>
    (await stack.as<AssignmentDetail>('approval.head', 'GET', `/assignments/${stack.assignmentOf(unitId).id}`)).body
      .assignment.status;
  const waitForStatus = (unitId: string, status: string) =>
    waitFor(`${unitId} ${status}`, async () => (await statusOf(unitId)) === status, 20_000, 200);

  /** The open dialog after clicking `button` in `scope`. */
  async function openDialog(page: Page, scope: Locator, button: string): Promise<Locator> {
    await scope.getByRole('button', { name: button, exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    return dialog;
  }

  /** The PDF in `scope` opens in a new tab from a blob: URL (the content route needs the token, no plain link can). */
  async function expectPdfOpensAsBlob(page: Page, scope: Locator, name: string) {
    const popup = page.waitForEvent('popup');
    await scope.getByRole('button', { name, exact: true }).click();
    const tab = await popup;
    await waitFor('the PDF tab to load a blob: URL', async () => tab.url().startsWith('blob:'), 10_000, 100);
    expect(new URL(tab.url().slice('blob:'.length)).origin).toBe(origin());
    await tab.close();
  }

  it('a refused file (an .exe named .pdf) shows the Chinese reason in the dialog, which stays open', async () => {
    const page = await signedInPage('finance.staff');
    const work = page.locator('article', { hasText: '完善村级代办服务机制' });
    await act(page, work, '签收');
    const dialog = await openDialog(page, work, '提交');
    await dialog.getByLabel('办理情况摘要', { exact: true }).fill('已制定代办清单。');
    await dialog.locator('input[type=file]').setInputFiles([program]);
    await dialog.getByRole('button', { name: '确认' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('「整改报告.pdf」未能上传');
    expect(await alert.textContent()).toContain('只接受 PDF');
    forgive(/status of 415/);
    // Nothing was sent: the report is not submitted.
    expect(await statusOf('finance')).toBe('acknowledged');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('a unit submits two files; the head returns it with both in view; it resubmits; approved; consolidated', async () => {
    const summary = '已制定代办清单并完成首轮代办员培训，方案和现场照片见附件。';
    const staff = await signedInPage('finance.staff');
    const work = staff.locator('article', { hasText: '完善村级代办服务机制' });
    const submit = await openDialog(staff, work, '提交');
    await submit.getByLabel('办理情况摘要', { exact: true }).fill(summary);
    await submit.locator('input[type=file]').setInputFiles([plan, photo]);
    await submit.getByRole('button', { name: '确认' }).click();
    await submit.waitFor({ state: 'detached', timeout: 20_000 });
    await waitForStatus('finance', 'submitted');

    // The lead unit's head sees the report on the review card and again in the 退回 dialog.
    const head = await signedInPage('approval.head');
    const review = head.locator('article', { hasText: '待审核' }).filter({ hasText: '县财政局' });
    await review.getByText(summary).waitFor({ timeout: 20_000 });
    for (const name of ['整改方案.pdf', '现场照片.jpg']) await review.getByRole('button', { name }).waitFor();
    const returning = await openDialog(head, review, '退回');
    const shown = returning.getByTestId('report');
    await shown.getByText(summary).waitFor();
    // The photo is previewed in place (the test JPEG is too small to decode: the element is what can be checked).
    await shown.locator('img.thumbnail[alt="现场照片.jpg"]').waitFor();
    expect(await shown.locator('img.thumbnail').getAttribute('src')).toMatch(/^blob:/);
    await screenshot(head, 'attachments-return-dialog');
    await expectPdfOpensAsBlob(head, shown, '整改方案.pdf');
    await returning.getByLabel('退回理由', { exact: true }).fill('请补充培训签到表');
    await returning.getByRole('button', { name: '确认' }).click();
    await returning.waitFor({ state: 'detached' });
    await waitForStatus('finance', 'returned');

    // The unit sees why, and resubmits with a new file.
    await signIn(staff, 'finance.staff');
    const returned = staff.locator('article', { hasText: '完善村级代办服务机制' });
    await returned.getByTestId('returned-reason').getByText('请补充培训签到表').waitFor({ timeout: 20_000 });
    const again = await openDialog(staff, returned, '提交');
    await again.getByLabel('办理情况摘要', { exact: true }).fill('已补充培训签到表（见会议纪要）。');
    await again.locator('input[type=file]').setInputFiles([minutes]);
    await again.getByRole('button', { name: '确认' }).click();
    await again.waitFor({ state: 'detached', timeout: 20_000 });
    await waitForStatus('finance', 'submitted');

    await signIn(head, 'approval.head');
    const second = head.locator('article', { hasText: '待审核' }).filter({ hasText: '县财政局' });
    await second.getByText('已补充培训签到表（见会议纪要）。').waitFor({ timeout: 20_000 });
    const approving = await openDialog(head, second, '审核通过');
    await approving.getByTestId('report').getByRole('button', { name: '会议纪要.docx' }).waitFor();
    await approving.getByRole('button', { name: '确认' }).click();
    await approving.waitFor({ state: 'detached' });
    await waitForStatus('finance', 'approved');

    // 县民政局 reports through the API; with both units approved the task waits for the lead unit's 汇总.
    const civil = stack.assignmentOf('civil-affairs').id;
    for (const [who, verb, body] of [
      ['civil-affairs.staff', 'acknowledge', {}],
      ['civil-affairs.staff', 'submit', { summary: '已完成民政代办事项梳理。', evidence: [] }],
    ] as const) {
      expect((await stack.assignments.act(who, civil, verb, body)).status).toBe(200);
    }
    await waitForStatus('civil-affairs', 'submitted');
    expect((await stack.assignments.act('approval.head', civil, 'approve', {})).status).toBe(200);
    await waitForStatus('civil-affairs', 'approved');

    await head.reload();
    const consolidate = head.locator('article', { hasText: '待汇总' });
    await consolidate.waitFor({ timeout: 30_000 });
    const dialog = await openDialog(head, consolidate, '提交汇总');
    const reports = dialog.getByTestId('consolidation-reports');
    const financeReport = reports.locator('[data-unit="finance"]');
    await financeReport.getByText('已补充培训签到表（见会议纪要）。').waitFor();
    await financeReport.getByRole('button', { name: '会议纪要.docx' }).waitFor();
    await reports.locator('[data-unit="civil-affairs"]').getByText('已完成民政代办事项梳理。').waitFor();
    await screenshot(head, 'attachments-consolidate-dialog');
    await dialog.getByLabel('汇总报告', { exact: true }).fill('两家责任单位均已完成，汇总报告见附件。');
    await dialog.locator('input[type=file]').setInputFiles([plan]);
    await dialog.getByRole('button', { name: '确认' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    await waitFor(
      'the task to await verification',
      async () =>
        (await stack.as<{ status: string }>('approval.head', 'GET', `/tasks/${stack.plan.tasks[0].id}`)).body.status ===
        'awaiting-verification',
      20_000,
      200,
    );

    // The supervision office verifies with the consolidated report and its file in the 销号 dialog.
    const supervisor = await signedInPage('supervisor');
    const verify = supervisor.locator('article', { hasText: '待销号' });
    await verify.waitFor({ timeout: 20_000 });
    const closing = await openDialog(supervisor, verify, '销号');
    const consolidated = closing.getByTestId('consolidated-report');
    await consolidated.getByText('两家责任单位均已完成，汇总报告见附件。').waitFor();
    await consolidated.getByRole('button', { name: '整改方案.pdf' }).waitFor();
    await closing.getByRole('button', { name: '确认' }).click();
    await closing.waitFor({ state: 'detached', timeout: 20_000 });

    // The task page keeps every step of the unit's report, files included.
    await head.goto(`${origin()}/tasks/${stack.plan.tasks[0].id}`);
    const financeCard = head.getByTestId('unit-reports').locator(`[data-unit="${finance().unitId}"]`);
    await financeCard.getByText('报告记录').click();
    const history = financeCard.getByTestId('report-history');
    await history.getByText('请补充培训签到表').waitFor();
    for (const name of ['整改方案.pdf', '现场照片.jpg', '会议纪要.docx']) {
      await history.getByRole('button', { name }).waitFor();
    }
    await screenshot(head, 'attachments-task-history');

    // 领导批示: a county leader writes one on the task page; it is pinned there, and the units see it.
    const leader = await signedInPage('leader');
    await leader.goto(`${origin()}/tasks/${stack.plan.tasks[0].id}`);
    const instructing = await openDialog(leader, leader.locator('.task-page > .actions'), '批示');
    await instructing.getByLabel('批示内容').fill('经验做法要及时总结推广。');
    await instructing.getByRole('button', { name: '确认' }).click();
    await instructing.waitFor({ state: 'detached', timeout: 20_000 });
    await leader.getByLabel('领导批示').getByText('经验做法要及时总结推广。').waitFor();
    await staff.goto(`${origin()}/tasks/${stack.plan.tasks[0].id}`);
    await staff.getByLabel('领导批示').getByText('经验做法要及时总结推广。').waitFor();
    // The staff member cannot write one: the button is the server's allowedActions, and a leader's alone.
    expect(await staff.getByRole('button', { name: '批示', exact: true }).count()).toBe(0);
    const notified = await stack.as<{ items: Array<{ kind: string }> }>('finance.staff', 'GET', '/notifications');
    expect(notified.body.items.some((item) => item.kind === 'leader-instruction')).toBe(true);
    await screenshot(staff, 'attachments-instruction-seen');
  });

  it('乡呼县应: a township photo goes with its call; after 不满意 the county unit sees why and what it did', async () => {
    const subject = `村道塌方需交通局现场处置 ${Math.random().toString(36).slice(2, 6)}`;
    const township = await signedInPage('chengguan.staff');
    await township.getByRole('link', { name: '乡呼县应' }).click();
    const form = township.getByRole('form', { name: '发起呼叫' });
    await form.getByLabel('呼叫部门').selectOption('transport');
    await form.getByLabel('事项').fill(subject);
    await form.getByLabel('情况说明').fill('村道塌方约二十米，乡镇无处置力量。');
    await form.getByLabel(/^佐证材料/).setInputFiles([photo]);
    await form.getByRole('button', { name: '发起呼叫' }).click();
    await township.locator('article', { hasText: subject }).waitFor({ timeout: 20_000 });

    // The county unit resolves it with the township's photo in front of it, and attaches its own report.
    const county = await signedInPage('transport.staff');
    const called = county.locator('article', { hasText: subject });
    await act(county, called, '签收');
    await called.getByRole('button', { name: '办结', exact: true }).waitFor({ timeout: 20_000 });
    const resolving = await openDialog(county, called, '办结');
    await resolving.getByTestId('call-materials').getByRole('button', { name: '现场照片.jpg' }).waitFor();
    await resolving.getByLabel('办理结果', { exact: true }).fill('已设置警示标志，抢修方案见附件。');
    await resolving.locator('input[type=file]').setInputFiles([plan]);
    await resolving.getByRole('button', { name: '确认' }).click();
    await resolving.waitFor({ state: 'detached', timeout: 20_000 });

    // The township reads the resolution and its file, and is not satisfied.
    await signIn(township, 'chengguan.staff');
    const evaluate = township.locator('article', { hasText: subject });
    await evaluate.getByRole('button', { name: '评价', exact: true }).waitFor({ timeout: 20_000 });
    const evaluating = await openDialog(township, evaluate, '评价');
    const resolution = evaluating.getByTestId('call-materials');
    await resolution.getByText('已设置警示标志，抢修方案见附件。').waitFor();
    await resolution.getByRole('button', { name: '整改方案.pdf' }).waitFor();
    await evaluating.getByLabel('评价结果', { exact: true }).selectOption('dissatisfied');
    await evaluating.getByLabel('评价意见（可选）', { exact: true }).fill('只设了警示标志，道路仍未通行');
    await evaluating.getByRole('button', { name: '确认' }).click();
    await evaluating.waitFor({ state: 'detached', timeout: 20_000 });

    // Reopened: the county unit's card says what the township said and what the unit did last time.
    await signIn(county, 'transport.staff');
    const reopened = county.locator('article', { hasText: subject }).getByTestId('reopened');
    await reopened.getByText('只设了警示标志，道路仍未通行', { exact: false }).waitFor({ timeout: 20_000 });
    expect(await reopened.textContent()).toContain('已设置警示标志，抢修方案见附件。');
    await reopened.getByRole('button', { name: '整改方案.pdf' }).waitFor();
    await screenshot(county, 'attachments-reopened-call');
  });
});
