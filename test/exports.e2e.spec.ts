import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASSIGNMENT_STATUS_LABELS, CALL_STATUS_LABELS, LIGHT_LABELS } from '@county/domain';
import type { AssignmentUnitMetrics, CallUnitMetrics, TownshipCallMetrics } from '@county/persistence';
import { useStack, waitForCall } from '@county/test-kit';
import { jpegFile, pdfFile } from './support/files';
import { postForm } from './support/multipart';
import { readXlsx, records, XlsxContent } from './support/xlsx';

const SEED = readFileSync(path.resolve(__dirname, '../seeds/pingluo-2021-grassroots-reform-task-list.txt'), 'utf8');
/** Fixed-length escalation steps, so nothing here waits on a working-day calendar for 2027. */
const POLICY = {
  assignment: {
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'P3D', level: 2 },
      { after: 'P7D', level: 3 },
    ],
  },
};
const TOWNSHIPS = new Set([
  'chengguan',
  'huangquqiao',
  'baofeng',
  'touzha',
  'yaofu',
  'chonggang',
  'taole',
  'gaozhuang',
  'lingsha',
  'qukou',
  'tongfu',
  'gaoren',
  'hongyazi',
]);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The small API's row limit: below the seed plan's assignments, above one unit's. */
const SMALL_LIMIT = 5;

interface Dashboard {
  assignments: {
    byStatus: Record<string, number>;
    byLight: Record<string, number>;
    total: number;
    units: AssignmentUnitMetrics[];
  };
  calls: { total: number; units: CallUnitMetrics[]; townships: TownshipCallMetrics[] };
}
interface TaskDetail {
  assignments: Array<{
    id: string;
    unitId: string;
    status: string;
    light: string;
    report: {
      submitted: { summary: string; at: string; attachments: Array<{ id: string }> } | null;
      progress: { percent: number; note: string; at: string; attachments: Array<{ id: string }> } | null;
    };
  }>;
}

const invert = (table: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(table).map(([code, label]) => [label, code]));
const countBy = <T>(items: T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>(
    (counts, item) => ((counts[key(item)] = (counts[key(item)] ?? 0) + 1), counts),
    {},
  );

/**
 * Must show 1 for .xlsx (issue 17): the seed list imported, some units' reports (with files), an approval and a call;
 * each export downloaded and read back with the test's own reader (test/support/xlsx.ts, not exceljs), its figures
 * compared with GET /dashboard and GET /tasks/:id; filters, a unit user's scope, the 413 limit and bad filters.
 */
describe('GET /exports/*.xlsx: the ledgers and figures, read back and compared with the dashboard', () => {
  const stack = useStack(
    {
      worker: true,
      users: ['supervisor', 'leader'],
      plan: { text: SEED, fields: { year: '2027' }, policy: POLICY, startTimeoutMs: 180_000 },
      apis: { small: { EXPORT_MAX_ROWS: String(SMALL_LIMIT) } },
    },
    240_000,
  );

  /** A task with a lead unit and two responsible county departments (not townships), found in the seed plan. */
  const pick = () => {
    for (const task of stack.plan.tasks) {
      const lead = task.assignments.find((assignment) => assignment.role === 'lead');
      const responsible = task.assignments.filter(
        (assignment) => assignment.role === 'responsible' && !TOWNSHIPS.has(assignment.unitId),
      );
      if (lead && responsible.length >= 2) return { task, lead, done: responsible[0], working: responsible[1] };
    }
    throw new Error('the seed plan has no task with two responsible departments');
  };

  const download = async (who: string, route: string, api = stack.api.baseUrl) => {
    const response = await fetch(`${api}${route}`, { headers: { authorization: `Bearer ${await stack.login(who)}` } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, bytes };
  };
  const xlsx = async (who: string, route: string): Promise<XlsxContent> => {
    const answer = await download(who, route);
    expect({ route, status: answer.status, type: answer.headers.get('content-type') }).toEqual({
      route,
      status: 200,
      type: XLSX,
    });
    return readXlsx(answer.bytes);
  };
  const dashboard = async (query = '') => (await stack.as<Dashboard>('leader', 'GET', `/dashboard${query}`)).body;
  const ok = (answer: { status: number; body: unknown }, what: string) =>
    expect({ what, status: answer.status, body: answer.status === 200 ? 'ok' : answer.body }).toMatchObject({
      what,
      status: 200,
    });
  const upload = async (who: string, name: string, bytes: Buffer) => {
    const answer = await postForm(`${stack.api.baseUrl}/attachments`, await stack.login(who), [
      { name: 'file', filename: name, bytes },
    ]);
    expect(answer.status).toBe(201);
    return (JSON.parse(answer.text) as { id: string }).id;
  };

  let chosen: ReturnType<typeof pick>;
  let callId: string;

  beforeAll(async () => {
    chosen = pick();
    const { lead, done, working } = chosen;
    const doneStaff = `${done.unitId}.staff`;
    // One unit reports progress with a file, then submits with two more, and its lead unit's head approves.
    ok(await stack.assignments.act(doneStaff, done.id, 'acknowledge'), 'acknowledge');
    const plan = await upload(doneStaff, '整改方案.pdf', pdfFile('整改方案'));
    ok(
      await stack.assignments.act(doneStaff, done.id, 'progress', {
        note: '方案已起草',
        percent: 60,
        attachmentIds: [plan],
      }),
      'progress',
    );
    const photo = await upload(doneStaff, '现场照片.jpg', jpegFile());
    const report = await upload(doneStaff, '完成报告.pdf', pdfFile('完成报告'));
    ok(
      await stack.assignments.act(doneStaff, done.id, 'submit', {
        summary: '已按要求完成整改',
        evidence: [],
        attachmentIds: [photo, report],
      }),
      'submit',
    );
    ok(await stack.assignments.act(`${lead.unitId}.head`, done.id, 'approve', { comment: '同意' }), 'approve');
    // Another reports progress only.
    ok(await stack.assignments.act(`${working.unitId}.staff`, working.id, 'acknowledge'), 'acknowledge');
    ok(
      await stack.assignments.act(`${working.unitId}.staff`, working.id, 'progress', { note: '正在推进', percent: 30 }),
      'progress',
    );
    // A township calls a county department, which signs for it.
    const raised = await stack.calls.raise('taole.staff', 'housing', { subject: '灌溉渠道维修协调' });
    expect(raised.status).toBe(201);
    callId = raised.body.id;
    ok(await stack.calls.act('housing.staff', callId, 'respond', { note: '已安排人员' }), 'respond');
    await waitForCall('the call to be responded', callId, (row) => row.status === 'responded');
  }, 120_000);

  it('the ledger has one row per assignment, with statuses and lights as the dashboard counts them', async () => {
    const answer = await download('supervisor', `/exports/ledger.xlsx?planId=${stack.plan.id}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(XLSX);
    const disposition = answer.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="ledger.xlsx"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('任务台账.xlsx');
    // A ledger names units and their reports: never kept by a cache (the API's answers all say so).
    expect(answer.headers.get('cache-control')).toBe('no-store');

    const [sheet] = readXlsx(answer.bytes).sheets;
    expect(sheet.rows[0][0]).toMatch(/^任务台账（筛选：计划：.+；导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}）$/);
    expect(sheet.rows[1]).toEqual([
      '序号',
      '主要任务',
      '牵头单位',
      '责任单位',
      '时限',
      '状态',
      '灯色',
      '进展',
      '最近报告',
      '佐证数',
    ]);
    const rows = records(sheet);
    const figures = await dashboard(`?planId=${stack.plan.id}`);
    expect(rows).toHaveLength(figures.assignments.total);
    expect(rows).toHaveLength(stack.plan.tasks.reduce((sum, task) => sum + task.assignments.length, 0));
    const statuses = invert(ASSIGNMENT_STATUS_LABELS);
    const lights = invert(LIGHT_LABELS);
    expect(countBy(rows, (row) => statuses[String(row['状态'])])).toEqual(figures.assignments.byStatus);
    expect({ green: 0, yellow: 0, red: 0, ...countBy(rows, (row) => lights[String(row['灯色'])]) }).toEqual(
      figures.assignments.byLight,
    );
    expect(figures.assignments.byStatus.approved).toBe(1);

    // The reporting units' rows say what GET /tasks/:id says of their reports.
    const detail = (await stack.as<TaskDetail>('supervisor', 'GET', `/tasks/${chosen.task.id}`)).body;
    const taskRows = rows.filter((row) => row['序号'] === chosen.task.no);
    expect(taskRows).toHaveLength(detail.assignments.length);
    const units = (await stack.as<{ items: Array<{ id: string; name: string }> }>('supervisor', 'GET', '/units')).body
      .items;
    const nameOf = (unitId: string) => units.find((unit) => unit.id === unitId)!.name;
    for (const assignment of detail.assignments) {
      const row = taskRows.find((candidate) =>
        [nameOf(assignment.unitId), `${nameOf(assignment.unitId)}（牵头）`].includes(String(candidate['责任单位'])),
      )!;
      const { submitted, progress } = assignment.report;
      const files = new Set(
        [...(submitted?.attachments ?? []), ...(progress?.attachments ?? [])].map((file) => file.id),
      );
      const latest = [
        submitted && { text: submitted.summary, at: submitted.at },
        progress && { text: progress.note, at: progress.at },
      ]
        .filter((report): report is { text: string; at: string } => Boolean(report))
        .sort((a, b) => b.at.localeCompare(a.at))[0];
      expect({ unit: assignment.unitId, row }).toMatchObject({
        unit: assignment.unitId,
        row: {
          状态: ASSIGNMENT_STATUS_LABELS[assignment.status],
          灯色: LIGHT_LABELS[assignment.light],
          进展: progress ? `${progress.percent}%` : null,
          佐证数: files.size,
          ...(latest ? { 最近报告: expect.stringContaining(latest.text) } : { 最近报告: null }),
        },
      });
    }
    const doneRow = taskRows.find((row) => String(row['责任单位']) === nameOf(chosen.done.unitId))!;
    expect(doneRow).toMatchObject({ 状态: '已审核通过', 进展: '60%', 佐证数: 3 });
    expect(doneRow['最近报告']).toMatch(/^已按要求完成整改（\d{4}-\d{2}-\d{2}）$/);
  });

  it("applies the filters, and keeps a unit's staff to its own unit's rows", async () => {
    const unitId = chosen.done.unitId;
    const held = stack.plan.tasks.flatMap((task) => task.assignments).filter((a) => a.unitId === unitId).length;
    const filtered = records(
      (await xlsx('supervisor', `/exports/ledger.xlsx?planId=${stack.plan.id}&unitId=${unitId}`)).sheets[0],
    );
    expect(filtered).toHaveLength(held);
    const own = records((await xlsx(`${unitId}.staff`, `/exports/ledger.xlsx?planId=${stack.plan.id}`)).sheets[0]);
    expect(own.map((row) => row['责任单位'])).toEqual(filtered.map((row) => row['责任单位']));
    const approved = records(
      (await xlsx('supervisor', `/exports/ledger.xlsx?planId=${stack.plan.id}&status=approved`)).sheets[0],
    );
    expect(approved.map((row) => row['序号'])).toEqual([chosen.task.no]);
    const nothingDue = await xlsx('supervisor', `/exports/ledger.xlsx?planId=${stack.plan.id}&dueTo=2000-01-01`);
    expect(records(nothingDue.sheets[0])).toEqual([]);

    const other = await download(`${unitId}.staff`, `/exports/ledger.xlsx?unitId=${chosen.working.unitId}`);
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // The call ledger of a township holds only the calls it raised or received. (陶乐镇 → 县住建局: the units of the
    // dashboard's call scenario — 高仁乡, 县水务局 … — take part in no other suite of the shared database.)
    const township = records((await xlsx('taole.staff', '/exports/calls.xlsx')).sheets[0]);
    expect(township.length).toBeGreaterThan(0);
    expect(township.every((row) => row['呼叫乡镇'] === '陶乐镇' || row['应答单位'] === '陶乐镇')).toBe(true);
  });

  it('the unit ranking has the dashboard’s per-unit figures in its order', async () => {
    const [sheet] = (await xlsx('leader', `/exports/unit-ranking.xlsx?planId=${stack.plan.id}`)).sheets;
    const figures = (await dashboard(`?planId=${stack.plan.id}`)).assignments.units;
    expect(records(sheet)).toEqual(
      figures.map((unit) => ({
        排名: unit.rank,
        单位: unit.unitName,
        承担任务数: unit.total,
        已审核通过: unit.approved,
        按时通过: unit.approvedOnTime,
        按时率: unit.onTimeRate,
        逾期未完成: unit.overdue,
        '在办·正常': unit.open.green,
        '在办·预警': unit.open.yellow,
        '在办·逾期': unit.open.red,
      })),
    );
    expect(figures.length).toBeGreaterThan(10);
  });

  it('the call ledger has one row per call; the call figures equal the dashboard’s', async () => {
    const calls = records((await xlsx('supervisor', '/exports/calls.xlsx')).sheets[0]);
    const figures = (await dashboard()).calls;
    expect(calls).toHaveLength(figures.total);
    expect(calls.find((row) => row['事项'] === '灌溉渠道维修协调')).toMatchObject({
      呼叫乡镇: '陶乐镇',
      应答单位: '县住建局',
      紧急程度: '一般',
      状态: CALL_STATUS_LABELS.responded,
      返工次数: 0,
    });
    const responded = records(
      (await xlsx('supervisor', '/exports/calls.xlsx?status=responded&toUnitId=housing')).sheets[0],
    );
    expect(responded.every((row) => row['应答单位'] === '县住建局' && row['状态'] === '办理中')).toBe(true);

    const file = await xlsx('supervisor', '/exports/call-units.xlsx');
    expect(file.sheets.map((sheet) => sheet.name)).toEqual(['县级单位应答', '乡镇呼叫']);
    const units = records(file.sheets[0]);
    expect(units).toHaveLength(figures.units.length);
    figures.units.forEach((unit, index) => {
      expect(units[index]).toMatchObject({
        排名: unit.rank,
        应答单位: unit.unitName,
        收到呼叫: unit.received,
        已签收: unit.responded,
        签收率: unit.responseRate,
        按时签收率: unit.onTimeResponseRate,
        办结率: unit.resolutionRate,
        按时办结率: unit.onTimeResolutionRate,
        满意率: unit.satisfactionRate,
        返工次数: unit.reworkCount,
      });
      const hours = units[index]['平均签收用时（小时）'];
      if (unit.averageResponseSeconds === null) expect(hours).toBeNull();
      else expect(hours as number).toBeCloseTo(unit.averageResponseSeconds / 3600, 2);
    });
    expect(records(file.sheets[1])).toEqual(
      figures.townships.map((town) => ({ 乡镇: town.unitName, 发起呼叫: town.raised })),
    );
  });

  it('refuses an export over the row limit with 413 naming it, and streams one under it', async () => {
    const small = stack.on('small').api.baseUrl;
    const over = await download('supervisor', `/exports/ledger.xlsx?planId=${stack.plan.id}`, small);
    expect(over.status).toBe(413);
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(Buffer.from(over.bytes).toString('utf8')) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 413, code: 'EXPORT_TOO_LARGE', limit: SMALL_LIMIT });
    expect(problem.detail).toContain(`上限 ${SMALL_LIMIT} 行`);
    const under = await download(
      'supervisor',
      `/exports/ledger.xlsx?planId=${stack.plan.id}&unitId=${chosen.done.unitId}`,
      small,
    );
    expect(under.status).toBe(200);
    expect(records(readXlsx(under.bytes).sheets[0]).length).toBeLessThanOrEqual(SMALL_LIMIT);
  });

  it('answers bad filters with 400 and changes nothing', async () => {
    for (const query of [
      'status=finished',
      'light=blue',
      'planId=nope',
      `planId=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      'unitId=no-such-unit',
      'dueFrom=2027-02-30',
      'dueFrom=yesterday',
      'dueFrom=2027-07-01&dueTo=2027-06-30',
      'sort=title',
    ]) {
      const answer = await download('supervisor', `/exports/ledger.xlsx?${query}`);
      expect({ query, status: answer.status, type: answer.headers.get('content-type') }).toEqual({
        query,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
    }
    expect((await download('supervisor', '/exports/calls.xlsx?status=lost')).status).toBe(400);
    expect((await download('supervisor', '/exports/unit-ranking.xlsx?planId=nope')).status).toBe(400);
  });
});
