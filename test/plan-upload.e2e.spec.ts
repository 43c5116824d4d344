import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePlanDocument, readTextTable } from '@county/plan-import';
import { ONE_TASK_LIST, queryRows, useStack } from '@county/test-kit';
import { buildDocx } from './support/docx';
import { buildHostileDocx, withCharacterReferences } from './support/hostile-docx';
import { pollFromAnotherProcess } from './support/health-poller';
import { FormPart, postForm, postFormFromAnotherProcess } from './support/multipart';
import { clerkXlsxOf, withParts } from './support/clerk-xlsx';

const HEALTH_BUDGET_MS = 300;
const POLL_EVERY_MS = 50;
/** Costly to read: every element is a paragraph the reader must open and close. */
const PARAGRAPH = '<w:p><w:r><w:t>测试任务清单内容</w:t></w:r></w:p>';

const plansCount = async () =>
  (await queryRows<{ count: number }>('SELECT count(*)::int AS count FROM plans'))[0].count;
const problemOf = (text: string) => JSON.parse(text) as { status: number; code: string; detail: string };

describe('uploads the API cannot be made to choke on', () => {
  const stack = useStack({ users: ['supervisor'] });
  let idle: number[];

  beforeAll(async () => {
    // The first health check opens the Temporal connection; that is start-up, not what is measured here.
    expect((await fetch(`${stack.baseUrl}/health`)).status).toBe(200);
    // What /health takes on this machine with nothing else going on, printed beside the figures under load.
    idle = (await healthWhile(new Promise((resolve) => setTimeout(resolve, 500)))).latencies;
  });

  const upload = (route: '/plans' | '/plans/preview', parts: FormPart[]) =>
    postForm(`${stack.baseUrl}${route}`, stack.token('supervisor'), parts);
  const fileNamed = (filename: string, bytes: Uint8Array): FormPart => ({ name: 'file', filename, bytes });

  /** Polls /health every 50 ms from another process while `work` runs; returns each answer's latency. */
  async function healthWhile<T>(work: Promise<T>): Promise<{ result: T; latencies: number[] }> {
    const poller = pollFromAnotherProcess(`${stack.baseUrl}/health`, POLL_EVERY_MS);
    try {
      // Let the poller start before the work does, so the whole of the work is watched.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { result: await work, latencies: await poller.stop() };
    } finally {
      await poller.stop();
    }
  }

  it.each([
    ['claims 4 KB, inflates to 600 MB', { inflatedMb: 600, totalMb: 10, claimedSize: 4096 }, /解压后超过 32 MB/],
    // Under the old 80 MB cap: the old reader inflated it on the event loop (/health waited about 0.9 s).
    [
      'claims 79 MB, inflates to 600 MB',
      { inflatedMb: 600, totalMb: 10, claimedSize: 79 * 1024 * 1024 },
      /解压后超过 32 MB/,
    ],
    // Honest headers and under the cap, but seconds of reading: only the parse worker keeps /health answering.
    [
      'is 100 KB and unpacks to 31 MB of paragraphs',
      { inflatedMb: 31, unit: PARAGRAPH, claimedSize: 31 * 1024 * 1024 },
      /没有含 序号 \| 主要任务 .* 各列的表格/,
    ],
  ])('keeps /health under 300 ms while refusing a .docx that %s', async (what, shape, reason) => {
    const hostile = await buildHostileDocx(shape);
    const before = await plansCount();
    // Work on the event loop (the old reader's 0.9–4.4 s stalls) shows in every attempt; one slow answer on a
    // busy 2-core machine does not repeat. So the best of up to three attempts must keep within the budget.
    const worstOfAttempts: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { result, latencies } = await healthWhile(
        postFormFromAnotherProcess(`${stack.baseUrl}/plans/preview`, stack.token('supervisor'), [
          fileNamed('hostile.docx', hostile),
        ]),
      );
      expect(result.status).toBe(422);
      expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(problemOf(result.text)).toMatchObject({ code: 'INVALID_DOCUMENT', detail: expect.stringMatching(reason) });
      expect(latencies.length).toBeGreaterThan(0);
      expect(latencies.filter((latency) => latency < 0)).toEqual([]); // no /health answered other than 200
      worstOfAttempts.push(Math.max(...latencies));
      console.log(
        `/health during a ${(hostile.length / 1024 / 1024).toFixed(1)} MB .docx that ${what} (attempt ${attempt}): ` +
          `${latencies.length} answers, worst ${Math.max(...latencies).toFixed(0)} ms (idle: worst ${Math.max(...idle).toFixed(0)} ms)`,
      );
      if (Math.max(...latencies) < HEALTH_BUDGET_MS) break;
    }
    expect(await plansCount()).toBe(before);
    expect(Math.min(...worstOfAttempts)).toBeLessThan(HEALTH_BUDGET_MS);
  });

  it('keeps /health under 300 ms while refusing an .xlsx whose sheet is 28 MB of rows without a task table', async () => {
    const row = '<row><c t="inlineStr"><is><t>renwu</t></is></c></row>';
    const sheet = `<worksheet><sheetData>${row.repeat(Math.floor((28 * 1024 * 1024) / row.length))}</sheetData></worksheet>`;
    const hostile = withParts(await clerkXlsxOf(ONE_TASK_LIST), { 'xl/worksheets/sheet1.xml': sheet });
    const before = await plansCount();
    const worstOfAttempts: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { result, latencies } = await healthWhile(
        postFormFromAnotherProcess(`${stack.baseUrl}/plans/preview`, stack.token('supervisor'), [
          fileNamed('hostile.xlsx', hostile),
        ]),
      );
      expect(result.status).toBe(422);
      expect(problemOf(result.text)).toMatchObject({
        code: 'INVALID_DOCUMENT',
        detail: expect.stringMatching(/没有找到表头行/),
      });
      expect(latencies.filter((latency) => latency < 0)).toEqual([]);
      worstOfAttempts.push(Math.max(...latencies));
      console.log(
        `/health during a ${(hostile.length / 1024).toFixed(0)} KB .xlsx of 28 MB rows (attempt ${attempt}): ` +
          `${latencies.length} answers, worst ${Math.max(...latencies).toFixed(0)} ms (idle: worst ${Math.max(...idle).toFixed(0)} ms)`,
      );
      if (Math.max(...latencies) < HEALTH_BUDGET_MS) break;
    }
    expect(await plansCount()).toBe(before);
    expect(Math.min(...worstOfAttempts)).toBeLessThan(HEALTH_BUDGET_MS);
  });

  describe('an Excel task list', () => {
    const SEED = readFileSync(path.resolve(__dirname, '../seeds/pingluo-2021-grassroots-reform-task-list.txt'));

    it('previews the seed list as .xlsx exactly as the .txt, and imports an .xlsx as a plan of format xlsx', async () => {
      const preview = await upload('/plans/preview', [fileNamed('清单.xlsx', await clerkXlsxOf(SEED))]);
      expect(preview.status).toBe(200);
      const body = JSON.parse(preview.text) as { format: string; plan: unknown };
      expect(body.format).toBe('xlsx');
      expect(body.plan).toEqual(JSON.parse(JSON.stringify(parsePlanDocument(SEED))));
      const fromText = JSON.parse((await upload('/plans/preview', [fileNamed('清单.txt', SEED)])).text) as {
        plan: unknown;
      };
      expect(body.plan).toEqual(fromText.plan);

      const title = `Excel 清单 ${randomUUID()}`;
      const before = await plansCount();
      const imported = await upload('/plans', [
        fileNamed('list.xlsx', await clerkXlsxOf(ONE_TASK_LIST.replace('测试任务清单', title))),
      ]);
      expect(imported.status).toBe(201);
      expect(JSON.parse(imported.text)).toMatchObject({ title, sourceFormat: 'xlsx', sourceFilename: 'list.xlsx' });
      expect(await plansCount()).toBe(before + 1);
    });

    it('refuses an .xlsx with a bad row (422 naming sheet and row), storing nothing', async () => {
      const bad = await clerkXlsxOf(SEED.toString('utf8').replace('\n\t3\n', '\n\t三\n'));
      const before = await plansCount();
      for (const route of ['/plans/preview', '/plans'] as const) {
        const response = await upload(route, [fileNamed('bad.xlsx', bad)]);
        expect(response.status).toBe(422);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(problemOf(response.text)).toMatchObject({
          code: 'INVALID_DOCUMENT',
          line: 5,
          sheet: '任务清单',
          detail: '工作表「任务清单」第 5 行：序号须为正整数，实际是“三”',
        });
      }
      expect(await plansCount()).toBe(before);
    });
  });

  describe('text that cannot be stored', () => {
    const table = readTextTable(Buffer.from(ONE_TASK_LIST));
    const cells = table.rows.map((row) => row.cells.map((cell) => cell.text));

    it.each([
      ['a NUL in a task cell', 2, 1, '任务\u0000', /^第 2 行：“主要任务”单元格不得含有 NUL 字符/],
      [
        'an unpaired surrogate in a unit cell',
        2,
        4,
        '县审批局\ud800',
        /^第 2 行：“牵头单位”单元格须为有效的 Unicode 文本/,
      ],
    ])('refuses a .docx with %s (422 naming its row), storing nothing', async (_, row, column, text, detail) => {
      const edited = cells.map((cellsOfRow, index) =>
        index === row - 1 ? cellsOfRow.map((cell, at) => (at === column ? text : cell)) : cellsOfRow,
      );
      // buildDocx writes a lone surrogate as U+FFFD, as any UTF-8 encoder must; an XML character reference
      // is how a .docx really carries one.
      const docx = withCharacterReferences(buildDocx(`标题 ${randomUUID()}`, edited));
      const before = await plansCount();
      const response = await upload('/plans', [fileNamed('bad.docx', docx)]);
      expect(response.status).toBe(422);
      expect(problemOf(response.text)).toMatchObject({
        code: 'INVALID_DOCUMENT',
        line: row,
        detail: expect.stringMatching(detail),
      });
      expect(await plansCount()).toBe(before);
    });

    it('refuses a .txt with a NUL on line 12 (422 naming it)', async () => {
      const lines = ONE_TASK_LIST.split('\n');
      lines[11] = `${lines[11]}\u0000`;
      const response = await upload('/plans/preview', [fileNamed('plan.txt', Buffer.from(lines.join('\n')))]);
      expect(response.status).toBe(422);
      expect(problemOf(response.text)).toMatchObject({ code: 'INVALID_DOCUMENT', line: 12 });
    });

    const file = () =>
      fileNamed('plan.txt', Buffer.from(ONE_TASK_LIST.replace('测试任务清单', `清单 ${randomUUID()}`)));
    it.each([
      ['policy', 'a NUL', '{"assignment":{}}\u0000', /^policy: 不得含有 NUL 字符/],
      ['year', 'a NUL', '2027\u0000', /^year: 不得含有 NUL 字符/],
      ['allowNewUnits', 'a NUL', 'true\u0000', /^allowNewUnits: 不得含有 NUL 字符/],
      ['allowDuplicate', 'a NUL', '\u0000', /^allowDuplicate: 不得含有 NUL 字符/],
      [
        'policy',
        'an unpaired surrogate (as a JSON escape)',
        '{"assignment":{"remindBefore":["\\ud800"]}}',
        /^policy\.assignment\.remindBefore\[0\]: 须为有效的 Unicode 文本/,
      ],
      ['policy', '10,001 characters', `{"x":"${'a'.repeat(9_994)}"}`, /^policy: must be at most 10000 characters/],
      ['policy', '70 KB', `{"x":"${'a'.repeat(70_000)}"}`, /^policy: must be at most 65536 bytes/],
      ['year', '70 KB', '2'.repeat(70_000), /^year: must be at most 65536 bytes/],
      ['year', '1,000 digits', '2'.repeat(1000), /^year: 年份须为 2000 到 2100 之间的整数，收到的是“2{40}…”$/],
    ])('refuses the form field %s with %s (400 naming it), storing nothing', async (name, _, value, detail) => {
      const before = await plansCount();
      const response = await upload('/plans', [{ name, value }, file()]);
      expect(response.status).toBe(400);
      expect(problemOf(response.text)).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: expect.stringMatching(detail),
      });
      expect(await plansCount()).toBe(before);
    });

    it('refuses a file name with a NUL or of 300 characters, and a field sent twice (400)', async () => {
      const before = await plansCount();
      const nul = await upload('/plans', [fileNamed('plan\u0000.txt', Buffer.from(ONE_TASK_LIST))]);
      expect(nul.status).toBe(400);
      expect(problemOf(nul.text).detail).toMatch(/^file: 文件名不得含有 NUL 字符/);
      const long = await upload('/plans', [fileNamed(`${'名'.repeat(300)}.txt`, Buffer.from(ONE_TASK_LIST))]);
      expect(long.status).toBe(400);
      expect(problemOf(long.text).detail).toMatch(/^file: 文件名不得超过 255 个字符/);
      const twice = await upload('/plans', [{ name: 'year', value: '2027' }, { name: 'year', value: '2028' }, file()]);
      expect(twice.status).toBe(400);
      expect(problemOf(twice.text).detail).toBe('year: send it once');
      expect(await plansCount()).toBe(before);
    });
  });
});
