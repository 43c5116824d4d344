import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readTextTable } from '@county/plan-import';
import { buildDocx } from './support/docx';
import { queryRows, request, RunningApi, useStack } from '@county/test-kit';

const SEED = readFileSync(path.resolve(__dirname, '../seeds/pingluo-2021-grassroots-reform-task-list.txt'));

interface Upload {
  file?: { name: string; bytes: Uint8Array };
  fields?: Record<string, string>;
}

async function upload(api: RunningApi, route: string, token: string | undefined, { file, fields = {} }: Upload) {
  const form = new FormData();
  if (file) form.append('file', new Blob([file.bytes]), file.name);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await fetch(`${api.baseUrl}${route}`, {
    method: 'POST',
    body: form,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    // The tests walk deep into these JSON answers; typing each shape would only restate the assertions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: (await response.json()) as Record<string, any>,
  };
}

/** Each import of the seed gets distinct bytes (an appended blank line) unless a test wants a duplicate. */
let variant = 0;
const freshSeed = () => ({ name: 'task-list.txt', bytes: Buffer.concat([SEED, Buffer.from('\n'.repeat(++variant))]) });

async function countRows(table: 'plans' | 'tasks' | 'assignments'): Promise<number> {
  return Number((await queryRows<{ count: string }>(`SELECT count(*) FROM ${table}`))[0].count);
}

describe('plan import over HTTP', () => {
  const stack = useStack({ users: ['supervisor'] });

  it('previews the seed list: 16 tasks, every unit resolved, nothing stored', async () => {
    const before = await countRows('plans');
    const response = await upload(stack.api, '/plans/preview', stack.token('supervisor'), { file: freshSeed() });
    expect(response.status).toBe(200);
    expect(response.body.plan.tasks).toHaveLength(16);
    expect(response.body.units.unresolved).toEqual([]);
    expect(response.body.units.resolved).toMatchObject({
      县审批局: 'approval',
      县人民法院: 'court',
      市生态环境局平罗分局: 'ecology-branch',
    });
    expect(response.body.format).toBe('txt');
    expect(await countRows('plans')).toBe(before);
  });

  it('imports the seed list: plan, 16 tasks, one assignment per task × unit, deadlines moved by year', async () => {
    const response = await upload(stack.api, '/plans', stack.token('supervisor'), {
      file: freshSeed(),
      fields: { year: '2027' },
    });
    expect(response.status).toBe(201);
    const plan = response.body;
    expect(plan.tasks).toHaveLength(16);
    expect(plan.deadlineYear).toBe(2027);
    expect(plan.sourceSha256).toMatch(/^[0-9a-f]{64}$/);

    const task = (no: number) => plan.tasks.find((candidate: { no: number }) => candidate.no === no);
    expect(task(7).deadline).toEqual({
      text: '2021年5月底前',
      date: '2027-05-31',
      kind: 'month-end',
      dueAt: '2027-05-31T15:59:59.000Z',
    });
    // Task 1: lead 县委编办, responsible 各乡镇 → 1 lead + 13 township assignments.
    const roles = (no: number) =>
      task(no).assignments.map(
        (assignment: { unitId: string; role: string }) => `${assignment.role}:${assignment.unitId}`,
      );
    expect(roles(1)).toHaveLength(14);
    expect(roles(1)).toContain('lead:staffing-office');
    expect(roles(1)).toContain('responsible:hongyazi');
    // Task 10: 1 lead, 10 named responsible units including the court and procuratorate, 13 townships.
    expect(roles(10)).toHaveLength(1 + 10 + 13);
    expect(roles(10)).toEqual(
      expect.arrayContaining(['lead:political-legal', 'responsible:court', 'responsible:procuratorate']),
    );
    expect(task(10).leadUnitIds).toEqual(['political-legal']);

    const listed = await request<{ items: Array<{ id: string }> }>(stack.baseUrl, 'GET', '/plans', {
      token: stack.token('supervisor'),
    });
    expect(listed.body.items.find((item) => item.id === plan.id)).toMatchObject({ taskCount: 16 });
    const fetched = await request<{ tasks: Array<{ assignments: unknown[] }> }>(
      stack.baseUrl,
      'GET',
      `/plans/${plan.id}`,
      {
        token: stack.token('supervisor'),
      },
    );
    expect(fetched.body.tasks[0].assignments).toHaveLength(14);
    expect(
      (await request(stack.baseUrl, 'GET', '/plans/not-a-plan', { token: stack.token('supervisor') })).status,
    ).toBe(404);
  });

  it('imports a .docx of the same table the same way', async () => {
    const table = readTextTable(SEED);
    const docx = buildDocx(
      `${table.title}（Word 版）`,
      table.rows.map((row) => row.cells.map((cell) => cell.text)),
    );
    const response = await upload(stack.api, '/plans', stack.token('supervisor'), {
      file: { name: 'list.docx', bytes: docx },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      sourceFormat: 'docx',
      sourceFilename: 'list.docx',
      title: `${table.title}（Word 版）`,
    });
    expect(response.body.tasks).toHaveLength(16);
  });

  it('refuses a second import of the same file with 409, unless allowDuplicate=true', async () => {
    const file = freshSeed();
    const first = await upload(stack.api, '/plans', stack.token('supervisor'), { file });
    expect(first.status).toBe(201);
    const plansBefore = await countRows('plans');
    const again = await upload(stack.api, '/plans', stack.token('supervisor'), { file });
    expect(again.status).toBe(409);
    expect(again.type).toMatch(/^application\/problem\+json/);
    expect(again.body.code).toBe('DUPLICATE_PLAN');
    // The person is told which plan it became and what to tick; a client reads existingPlanIds.
    expect(again.body.existingPlanIds).toEqual([first.body.id]);
    expect(again.body.detail).toBe(
      `该文件已经导入过，导入为《${first.body.title}》；如确需再次导入，请勾选“仍要再次导入”。`,
    );
    expect(await countRows('plans')).toBe(plansBefore);
    expect(
      (await upload(stack.api, '/plans', stack.token('supervisor'), { file, fields: { allowDuplicate: 'true' } }))
        .status,
    ).toBe(201);
  });

  it('refuses unresolved unit names with 422 listing them, unless allowNewUnits=true', async () => {
    const text = SEED.toString('utf8').replace('\t县财政局\n', '\t县未来局\n') + '\n\n\n\n\n\n\n\n\n\n\n\n\n\n';
    const file = { name: 'unknown-unit.txt', bytes: Buffer.from(text) };
    const counts = [await countRows('plans'), await countRows('tasks'), await countRows('assignments')];
    const refused = await upload(stack.api, '/plans', stack.token('supervisor'), { file });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'UNRESOLVED_UNITS', unresolved: ['县未来局'] });
    expect(refused.body.detail).toMatch(/^以下单位不在单位名录中：县未来局。/);
    expect([await countRows('plans'), await countRows('tasks'), await countRows('assignments')]).toEqual(counts);

    const accepted = await upload(stack.api, '/plans', stack.token('supervisor'), {
      file,
      fields: { allowNewUnits: 'true' },
    });
    expect(accepted.status).toBe(201);
    const task13 = accepted.body.tasks.find((task: { no: number }) => task.no === 13);
    expect(task13.leadUnitIds[0]).toMatch(/^unit-[0-9a-f]{10}$/);
  });

  it('answers a malformed document with 422 naming the line, and stores nothing', async () => {
    const before = await countRows('plans');
    const response = await upload(stack.api, '/plans', stack.token('supervisor'), {
      file: { name: 'bad.txt', bytes: Buffer.from('标题\n\t序号\n') },
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'INVALID_DOCUMENT', line: 2 });
    expect(response.body.detail).toMatch(/^第 2 行：表头行应为 序号 \| 主要任务/);
    expect(await countRows('plans')).toBe(before);
  });

  it('rejects a request without a file, with an unknown field, or with a bad year (400)', async () => {
    expect(
      (await upload(stack.api, '/plans', stack.token('supervisor'), { fields: { year: '2027' } })).body,
    ).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const unknown = await upload(stack.api, '/plans', stack.token('supervisor'), {
      file: freshSeed(),
      fields: { status: 'closed' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('status');
    expect(
      (await upload(stack.api, '/plans', stack.token('supervisor'), { file: freshSeed(), fields: { year: 'next' } }))
        .status,
    ).toBe(400);
  });

  it('stores the plan policy laid over the defaults, and rejects an invalid one naming the field', async () => {
    const before = await countRows('plans');
    const invalid = await upload(stack.api, '/plans', stack.token('supervisor'), {
      file: freshSeed(),
      fields: { policy: JSON.stringify({ assignment: { remindBefore: ['P3D', '-PT1H'] } }) },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.detail).toContain('policy.assignment.remindBefore[1]: "-PT1H" is negative');
    expect(invalid.body.errors).toEqual([
      { field: 'policy.assignment.remindBefore[1]', problems: [expect.stringContaining('negative')] },
    ]);
    expect(await countRows('plans')).toBe(before);

    const accepted = await upload(stack.api, '/plans', stack.token('supervisor'), {
      file: freshSeed(),
      fields: { policy: JSON.stringify({ assignment: { remindBefore: ['PT10S'], acknowledgeWithin: 'PT30S' } }) },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.policy.assignment).toMatchObject({
      remindBefore: ['PT10S'],
      acknowledgeWithin: 'PT30S',
      reviewWithin: { workdays: 3 },
    });
    expect(accepted.body.policy.call.urgent.respondWithin).toBe('PT2H');
  });

  it('refuses a file over 10 MB with 413', async () => {
    const response = await upload(stack.api, '/plans/preview', stack.token('supervisor'), {
      file: { name: 'huge.txt', bytes: Buffer.alloc(10 * 1024 * 1024 + 1, 'a') },
    });
    expect(response.status).toBe(413);
  });

  it('answers 401 without a token and 403 for users who are not supervisor or admin, storing nothing', async () => {
    const before = await countRows('plans');
    expect((await upload(stack.api, '/plans', undefined, { file: freshSeed() })).status).toBe(401);
    expect((await upload(stack.api, '/plans/preview', undefined, { file: freshSeed() })).status).toBe(401);
    for (const username of ['approval.staff', 'approval.head', 'leader', 'chengguan.head']) {
      const token = await stack.login(username);
      const response = await upload(stack.api, '/plans', token, { file: freshSeed() });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
      expect((await upload(stack.api, '/plans/preview', token, { file: freshSeed() })).status).toBe(403);
    }
    expect(await countRows('plans')).toBe(before);
    const admin = await stack.login('admin');
    expect((await upload(stack.api, '/plans/preview', admin, { file: freshSeed() })).status).toBe(200);
  });
});
