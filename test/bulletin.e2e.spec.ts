import { readFileSync } from 'node:fs';
import path from 'node:path';
import { shanghaiDate } from '@county/domain';
import { assignmentPolicy, ownDatabase, queryRows, twoTaskList, useStack, waitFor } from '@county/test-kit';
import { paragraphsOf, readDocxBlocks, tableAfter } from './support/docx-text';

interface Bulletin {
  id: string;
  period: string;
  trigger: string;
  version: number;
  title: string;
  issueNumber: string;
  generatedBy: string | null;
  fileSha256: string;
  fileSize: number;
  figures: { tasks: number; redTasks: number; overdue: number; callsRaised: number; flagged: number };
}
interface Dashboard {
  tasks: { byLight: Record<string, number>; total: number };
  assignments: {
    total: number;
    units: Array<{ unitName: string; total: number; approved: number; overdue: number; open: { red: number } }>;
  };
  calls: { total: number; units: Array<{ unitName: string; received: number; responded: number }> };
}
interface Problem {
  status: number;
  code: string;
  detail: string;
}

/**
 * Must show 1 of issue 17's 督查通报: on the real stack (API, worker, Temporal, PostgreSQL) with the seed list imported,
 * approvals, an overdue
 * unit whose work climbed to 挂牌督办 and got a leader's 批示, and a 乡呼县应 call, the supervisor generates the
 * bulletin; the .docx, read back with the plan importer's zip reader, says what GET /dashboard says.
 */
describe('督查通报 (.docx) on demand', () => {
  jest.setTimeout(180_000);
  // Its own database: the bulletin's figures are all of the county's, so other suites' rows would move them.
  const database = ownDatabase('bulletin');
  const stack = useStack({
    databaseUrl: database.url,
    worker: true,
    // Levels 1, 2 and 3 at 0, 2 and 4 s past the deadline: 挂牌督办 within the test.
    plan: { text: twoTaskList(), policy: assignmentPolicy({ remind: 1, ladder: [0, 2, 4] }) },
    users: ['supervisor', 'leader', 'approval.head', 'finance.staff', 'gaoren.staff', 'civil-affairs.staff'],
  });
  afterAll(() => database.drop());
  const rows = <T>(sql: string, parameters: unknown[] = []) => queryRows<T>(sql, parameters, database.url);
  const period = () => shanghaiDate(new Date()).slice(0, 7);
  const download = (who: string, id: string) =>
    fetch(`${stack.api.baseUrl}/bulletins/${id}/content`, { headers: { authorization: `Bearer ${stack.token(who)}` } });
  const instruction = '请县财政局本周内完成代办流程规范，逾期不办的约谈主要负责人。';
  let first: Bulletin;

  beforeAll(async () => {
    // The seed list too (its 16 tasks due in 2027, every unit of the county in the ranking), with fixed-length steps so
    // nothing waits on a working-day calendar.
    await stack.importAndStart(
      readFileSync(path.resolve(__dirname, '../seeds/pingluo-2021-grassroots-reform-task-list.txt'), 'utf8'),
      {
        year: '2027',
        policy: JSON.stringify({
          assignment: {
            escalateAfter: [
              { after: 'PT0S', level: 1 },
              { after: 'P3D', level: 2 },
              { after: 'P7D', level: 3 },
            ],
          },
        }),
      },
      { startTimeoutMs: 180_000, databaseUrl: database.url },
    );
    // Task 1: 县财政局 reports and the lead unit approves it (on time: the deadline is in 2027).
    const onTime = stack.assignmentOf('finance', 1);
    await stack.assignments.submit('finance.staff', onTime.id);
    expect((await stack.assignments.act('approval.head', onTime.id, 'approve', { comment: '同意' })).status).toBe(200);

    // Task 2: its deadline is moved 2 s ahead; 县财政局 lets it pass and climbs to level 3.
    const late = stack.assignmentOf('finance', 2);
    const task2 = stack.plan.tasks.find((task) => task.no === 2)!;
    expect((await stack.tasks.changeDeadline(task2.id, new Date(Date.now() + 2000), '提前检查')).status).toBe(200);
    await waitFor(
      'the 挂牌督办 (level 3) of 县财政局 on task 2, and task 2 in red',
      async () => {
        const [row] = await rows<{ level: number; light: string }>(
          `SELECT a.escalation_level AS level, t.light FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id = $1`,
          [late.id],
        );
        return row?.level === 3 && row.light === 'red';
      },
      30_000,
    );
    const [escalation] = await rows<{ id: string }>(`SELECT id FROM escalations WHERE subject_id = $1 AND level = 3`, [
      late.id,
    ]);
    const written = await stack.as('leader', 'POST', `/escalations/${escalation.id}/instructions`, {
      body: instruction,
    });
    expect(written.status).toBe(201);

    // A 乡呼县应 call from 高仁乡 to 县水务局, raised now (in the period).
    expect((await stack.calls.raise('gaoren.staff', 'water')).status).toBe(201);
  }, 240_000);

  it('refuses a malformed or future period, and anyone but the supervision office, changing nothing', async () => {
    const count = async () => (await rows<{ n: number }>('SELECT count(*)::int AS n FROM bulletins'))[0].n;
    for (const bad of ['2026-13', '2026/11', 'Q4', '', '2026-Q5']) {
      const answer = await stack.as<Problem>('supervisor', 'POST', '/bulletins', { period: bad });
      expect({ bad, status: answer.status, code: answer.body.code }).toEqual({
        bad,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const next = new Date(Date.now() + 40 * 24 * 3600 * 1000);
    const future = await stack.as<Problem>('supervisor', 'POST', '/bulletins', {
      period: shanghaiDate(next).slice(0, 7),
    });
    expect(future.status).toBe(400);
    expect(future.body.detail).toContain('尚未开始');
    expect((await stack.as('supervisor', 'POST', '/bulletins', { period: period(), extra: 1 })).status).toBe(400);
    for (const who of ['finance.staff', 'approval.head', 'leader']) {
      expect((await stack.as(who, 'POST', '/bulletins', { period: period() })).status).toBe(403);
    }
    expect(await count()).toBe(0);
  });

  it('the supervisor generates it; the .docx says what GET /dashboard says', async () => {
    const created = await stack.as<Bulletin>('supervisor', 'POST', '/bulletins', { period: period() });
    expect(created.status).toBe(201);
    first = created.body;
    const [year, month] = period().split('-').map(Number);
    expect(first).toMatchObject({
      period: period(),
      trigger: 'manual',
      version: 1,
      title: `平罗县改革任务督查通报（${year}年${month}月）`,
      issueNumber: `${year}年第${month}期`,
    });
    expect(first.generatedBy).toEqual(expect.any(String));
    const dashboard = (await stack.as<Dashboard>('supervisor', 'GET', '/dashboard')).body;

    const file = await download('supervisor', first.id);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(file.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent(`${first.title}.docx`)}`,
    );
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.length).toBe(first.fileSize);
    const blocks = readDocxBlocks(bytes);
    const text = paragraphsOf(blocks);

    expect(text).toContain(first.title);
    expect(text).toContain(first.issueNumber);
    expect(text.some((line) => line.startsWith(`全县共有改革任务 ${dashboard.tasks.total} 项`))).toBe(true);
    expect(text.some((line) => line.startsWith(`承办事项共 ${dashboard.assignments.total} 项`))).toBe(true);
    expect(dashboard.tasks.byLight.red).toBe(1);

    const red = tableAfter(blocks, '二、红灯任务')!;
    expect(red[0]).toEqual(['序号', '任务', '牵头单位', '时限']);
    expect(red.slice(1)).toEqual([['2', '规范代办服务流程', '县审批局', '2027年6月底前']]);

    const overdueUnits = dashboard.assignments.units.filter((unit) => unit.overdue > 0);
    expect(overdueUnits.map((unit) => unit.unitName)).toContain('县财政局');
    const overdueLine = text.find((line) => line.startsWith('以下单位有逾期未完成的承办事项'))!;
    for (const unit of overdueUnits) expect(overdueLine).toContain(`${unit.unitName}（${unit.overdue} 项）`);

    // The ranking: the dashboard's rows, in its order, with its numbers.
    const ranking = tableAfter(blocks, '四、单位排名')!;
    expect(ranking.slice(1).map((row) => [row[1], row[2], row[3], row[6], row[7]])).toEqual(
      dashboard.assignments.units.map((unit) => [
        unit.unitName,
        String(unit.total),
        String(unit.approved),
        String(unit.overdue),
        String(unit.open.red),
      ]),
    );
    expect(ranking.slice(1).map((row) => row[0])).toEqual(
      dashboard.assignments.units.map((_, index) => String(index + 1)),
    );

    // 乡呼县应: the dashboard's call rows, and the call raised in the period.
    expect(dashboard.calls.total).toBe(1);
    const calls = tableAfter(blocks, '五、乡呼县应情况')!;
    expect(calls.slice(1).map((row) => [row[1], row[2], row[3]])).toEqual(
      dashboard.calls.units.map((unit) => [unit.unitName, String(unit.received), String(unit.responded)]),
    );
    expect(text.some((line) => line.includes(`累计收到呼叫 ${dashboard.calls.total} 件`))).toBe(true);
    expect(text.some((line) => line.includes('本期新收到呼叫 1 件'))).toBe(true);

    // 挂牌督办 with the leader's 批示.
    const flaggedAt = text.findIndex((line) => line.includes('任务“规范代办服务流程”（县财政局）'));
    expect(flaggedAt).toBeGreaterThan(text.indexOf('六、挂牌督办事项'));
    expect(text.some((line) => line.startsWith('领导批示') && line.endsWith(instruction))).toBe(true);

    // The lead unit's own part of task 2 went the same way: every level-3 escalation is listed.
    const [{ flagged }] = await rows<{ flagged: number }>(
      'SELECT count(*)::int AS flagged FROM escalations WHERE level = 3',
    );
    expect(flagged).toBeGreaterThanOrEqual(1);
    expect(text.filter((line) => /^\d+\. 任务“/.test(line))).toHaveLength(flagged);
    expect(first.figures).toEqual({
      tasks: dashboard.tasks.total,
      redTasks: 1,
      overdue: overdueUnits.reduce((sum, unit) => sum + unit.overdue, 0),
      onTimeRate: 1,
      callsRaised: 1,
      flagged,
    });
  });

  it('reaches every unit and the leaders once, with a link to the 通报 page', async () => {
    const [{ notified, units }] = await rows<{ notified: number; units: number }>(
      `SELECT (SELECT count(*)::int FROM notifications WHERE kind = 'bulletin.published' AND subject_id = $1) AS notified,
              (SELECT count(*)::int FROM units WHERE retired_at IS NULL) AS units`,
      [first.id],
    );
    expect(notified).toBe(units);
    for (const who of ['finance.staff', 'leader', 'gaoren.staff']) {
      const mine = await stack.as<{ items: Array<{ subjectId: string; link: string; title: string }> }>(
        who,
        'GET',
        '/notifications?kind=bulletin.published',
      );
      expect(mine.body.items.filter((item) => item.subjectId === first.id)).toEqual([
        expect.objectContaining({ link: '/bulletins', title: `督查通报已印发：${first.title}` }),
      ]);
    }
    const [audit] = await rows<{ action: string }>(`SELECT action FROM audit_events WHERE subject_id = $1`, [first.id]);
    expect(audit.action).toBe('bulletin.generated');
  });

  it('every user reads the list and downloads; a second one is the next version', async () => {
    const again = await stack.as<Bulletin>('supervisor', 'POST', '/bulletins', { period: period() });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ version: 2, issueNumber: `${first.issueNumber}（第2版）` });
    for (const who of ['finance.staff', 'gaoren.staff', 'leader', 'supervisor']) {
      const list = await stack.as<{ items: Bulletin[] }>(who, 'GET', '/bulletins');
      expect({ who, ids: list.body.items.map((item) => item.id) }).toEqual({ who, ids: [again.body.id, first.id] });
      expect((await stack.as<Bulletin>(who, 'GET', `/bulletins/${first.id}`)).body.id).toBe(first.id);
      expect((await download(who, first.id)).status).toBe(200);
    }
    for (const missing of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const answer = await stack.as<Problem>('finance.staff', 'GET', `/bulletins/${missing}`);
      expect(answer.status).toBe(404);
      expect((await download('finance.staff', missing)).status).toBe(404);
    }
    expect((await fetch(`${stack.api.baseUrl}/bulletins`)).status).toBe(401);
  });
});
