import { Page } from 'playwright-core';
import {
  callPolicy,
  clickAndConfirm as act,
  describeInBrowser,
  DESKTOP,
  expectNoHorizontalScroll,
  ownDatabase,
  PHONE,
  queryRows,
  useBrowser,
  useStack,
  waitFor,
} from '@county/test-kit';

/**
 * The call page (/calls/:id) in a real browser against the real API, worker, Temporal and PostgreSQL (issue 18): a
 * township raises a call, it goes unanswered past its limit and escalates, the supervision office hands it to
 * another county unit (转办) with a reason, that unit signs for and resolves it from the call page, and the township
 * evaluates it there with a comment. The page shows the whole trail: who passed it from where to where and why.
 */
describeInBrowser('the call page: a call’s whole trail in the console', () => {
  jest.setTimeout(180_000);
  const database = ownDatabase('call-page');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    users: ['supervisor', 'chengguan.staff', 'transport.staff', 'health.staff'],
    // Signing for it is due 3 s after raising (so it escalates while nobody answers); the rest waits long after.
    apiEnv: { CALL_POLICY: callPolicy({ respond: 3, resolve: 600, ladder: [0, 600, 1200], autoClose: 600 }) },
  });
  afterAll(() => database.drop());
  const origin = () => stack.api.origin;
  const { openPage, signIn, screenshot } = useBrowser(origin);
  const subject = `村道边坡塌方需交通部门现场处置（界面测试 ${Math.random().toString(36).slice(2, 6)}）`;
  const reason = '塌方点位于卫生院出入通道，由县卫生健康局牵头协调处置。';
  let callId = '';

  const callRow = async () =>
    (
      await queryRows<{ status: string; to_unit_id: string; escalation_level: number }>(
        'SELECT status, to_unit_id, escalation_level FROM calls WHERE id = $1',
        [callId],
        database.url,
      )
    )[0];
  const waitForCall = (what: string, predicate: (row: Awaited<ReturnType<typeof callRow>>) => boolean) =>
    waitFor(what, async () => predicate(await callRow()), 40_000, 200);
  const signedIn = async (who: string, viewport = DESKTOP) => {
    const page = await openPage({ viewport });
    await signIn(page, who);
    return page;
  };
  const trail = (page: Page) => page.getByTestId('call-trail');
  const entry = (page: Page, action: string) => trail(page).locator(`li[data-action="${action}"]`);

  it('a township raises a call from 乡呼县应 and opens its page from the subject', async () => {
    const page = await signedIn('chengguan.staff');
    await page.getByRole('link', { name: '乡呼县应' }).click();
    const form = page.getByRole('form', { name: '发起呼叫' });
    await form.getByLabel('呼叫部门').selectOption('transport');
    await form.getByLabel('事项').fill(subject);
    await form.getByLabel('情况说明').fill('连续降雨致村道边坡塌方，乡镇无专业机械，请求县交通局派员处置。');
    await form.getByRole('button', { name: '发起呼叫' }).click();
    await page.getByRole('link', { name: subject }).click();
    await page.getByRole('heading', { name: subject, level: 1 }).waitFor();
    callId = /\/calls\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await entry(page, 'call.raised').waitFor();
    expect(await page.getByTestId('call-status').textContent()).toBe('待签收');
    // The township reads the call; only the called unit signs for it.
    await expect(page.getByRole('button', { name: '签收', exact: true }).count()).resolves.toBe(0);
  });

  it('unanswered, it escalates; the supervision office hands it on (转办) with a reason', async () => {
    await waitForCall('level 1', (row) => row.escalation_level >= 1);
    const queue = await stack.escalations.list<{ items: Array<{ id: string; subjectId: string }> }>('limit=500');
    const escalation = queue.body.items.find((item) => item.subjectId === callId)!;
    const handled = await stack.escalations.handle('supervisor', escalation.id, {
      action: 'reassign',
      note: reason,
      toUnitId: 'health',
    });
    expect(handled.status).toBe(200);
    await waitForCall('reassigned', (row) => row.to_unit_id === 'health' && row.status === 'raised');
  });

  it('the new unit signs for it and resolves it on the call page; the township evaluates it there', async () => {
    const county = await signedIn('health.staff');
    await county.goto(`${origin()}/calls/${callId}`);
    await county.getByRole('heading', { name: subject, level: 1 }).waitFor();
    await act(county, county.locator('.call-page > .actions'), '签收', { '签收说明（可选）': '已联系乡镇，今日到场' });
    await waitForCall('responded', (row) => row.status === 'responded');
    await act(county, county.locator('.call-page > .actions'), '办结', {
      办理结果: '已协调县交通局机械清理塌方，通道恢复通行。',
    });
    await waitForCall('resolved', (row) => row.status === 'resolved');
    // The old unit no longer has it to answer.
    const old = await signedIn('transport.staff');
    await old.goto(`${origin()}/calls/${callId}`);
    await entry(old, 'call.resolved').waitFor({ timeout: 15_000 });
    await expect(old.locator('.call-page > .actions').count()).resolves.toBe(0);

    const township = await signedIn('chengguan.staff');
    await township.goto(`${origin()}/calls/${callId}`);
    await entry(township, 'call.resolved').waitFor({ timeout: 15_000 });
    await act(township, township.locator('.call-page > .actions'), '评价', {
      评价结果: 'satisfied',
      '评价意见（可选）': '转办及时，处置到位',
    });
    await waitForCall('closed', (row) => row.status === 'closed');
  });

  it('the call page shows the trail with the 转办’s units and reason and the evaluation’s comment (1366 and 390 px)', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await signedIn('chengguan.staff', viewport);
      await page.goto(`${origin()}/calls/${callId}`);
      await entry(page, 'call.evaluated').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('call-status').textContent()).toBe('已关闭');
      const actions = await trail(page)
        .locator('li')
        .evaluateAll((items) =>
          items.map((item) => (item as unknown as { dataset: { action: string } }).dataset.action),
        );
      // In order: raised, its limit, the escalation, the 转办 (the supervision office's handling and the move), the
      // new limit, then signing, resolving and the evaluation.
      const order = [
        'call.raised',
        'call.escalated',
        'call.reassigned',
        'call.responded',
        'call.resolved',
        'call.evaluated',
      ];
      expect(actions.filter((action) => order.includes(action) && action !== 'call.escalated')).toEqual(
        order.filter((action) => action !== 'call.escalated'),
      );
      expect(actions.indexOf('call.escalated')).toBeLessThan(actions.indexOf('call.reassigned'));
      expect(actions).toContain('escalation.reassign');
      const move = entry(page, 'call.reassigned');
      expect(await move.getByTestId('reassign-trail').textContent()).toBe('县交通局 → 县卫生健康局');
      expect(await move.textContent()).toContain(`转办理由：${reason}`);
      expect(await entry(page, 'call.escalated').first().textContent()).toContain('一级');
      expect(await entry(page, 'call.responded').textContent()).toContain('签收说明：已联系乡镇，今日到场');
      expect(await entry(page, 'call.resolved').textContent()).toContain('办理结果：已协调县交通局机械清理塌方');
      const evaluation = await entry(page, 'call.evaluated').textContent();
      expect(evaluation).toContain('满意');
      expect(evaluation).toContain('评价意见：转办及时，处置到位');
      expect(evaluation).toContain('呼叫已关闭');
      // The township's own unit stands out where the page names it.
      await page.locator('.call-facts .mine', { hasText: '城关镇' }).waitFor();
      await expectNoHorizontalScroll(page, `call page at ${viewport.width}px`);
      await screenshot(page, `call-page-${name}`);
    }
  });
});
