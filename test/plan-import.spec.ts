import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import {
  parsePlanDocument,
  parsePlanDocumentInWorker,
  PlanParseError,
  readTextTable,
  WORKER_PARSE_LIMITS,
} from '@county/plan-import';
import { buildDocx } from './support/docx';
import { asZip64, buildHostileDocx, withCharacterReferences } from './support/hostile-docx';

const ROOT = path.resolve(__dirname, '..');
const SEED = path.join(ROOT, 'seeds/pingluo-2021-grassroots-reform-task-list.txt');
const GOLDEN = path.join(__dirname, 'golden/pingluo-2021-grassroots-reform-task-list.plan.json');
const CLI = path.join(ROOT, 'libs/plan-import/dist/cli.js');

function runCli(file: string) {
  const result = spawnSync(process.execPath, [CLI, file], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeTemp(name: string, content: string | Uint8Array): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'plan-import-')), name);
  writeFileSync(file, content);
  return file;
}

describe('the seed task list', () => {
  const seed = readFileSync(SEED);

  it('parses to the reviewed golden JSON, through the CLI exactly as printed', () => {
    const result = runCli(SEED);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('has 16 tasks with the details the document states', () => {
    const plan = parsePlanDocument(seed);
    expect(plan.title).toBe('平罗县推进基层整合审批服务执法力量改革工作任务清单');
    expect(plan.tasks.map((task) => task.no)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(plan.warnings).toEqual([]);

    const task = (no: number) => plan.tasks[no - 1];
    // The deadline cell of task 7 starts with an empty line (a lone TAB).
    expect(task(7).deadline).toEqual({ text: '2021年5月底前', date: '2021-05-31', kind: 'month-end' });
    // 2021年4月10前: the document's typo for 4月10日前.
    expect(task(6).deadline).toEqual({ text: '2021年4月10前', date: '2021-04-10', kind: 'date' });
    expect(task(10).responsibleUnits).toEqual(expect.arrayContaining(['县人民法院', '县检察院']));
    expect(task(6).responsibleUnits).toContain('市生态环境局平罗分局'); // "市生态环境局平罗分局等相关部门"
    expect(task(6)).toMatchObject({
      leadUnits: ['县委编办', '县司法局'],
      allTownships: true,
      relatedDepartments: true,
    });
    expect(task(1)).toMatchObject({
      leadUnits: ['县委编办'],
      responsibleUnits: [],
      allTownships: true,
      relatedDepartments: false,
    });
    expect(task(4)).toMatchObject({ responsibleUnits: [], relatedDepartments: true }); // 县相关部门，各乡镇
    // A goal whose line is indented with spaces is still item 3, and numbering is gone.
    expect(task(1).goals).toEqual([
      '强化乡镇党委领导作用，构建更好服务群众、简约精干的基层组织架构。',
      '乡镇统一组建党建工作办公室，加强基层党建工作。',
      '规范挂牌机构。',
    ]);
    // "[bookmark: …]" artefacts are removed.
    expect(JSON.stringify(plan)).not.toContain('bookmark');
    expect(task(8).measures).toHaveLength(6);
  });

  it('parses identically from a .docx holding the same table', () => {
    const table = readTextTable(seed);
    const docx = buildDocx(
      table.title,
      table.rows.map((row) => row.cells.map((cell) => cell.text)),
      { before: ['附件1', ''] },
    );
    expect(parsePlanDocument(docx)).toEqual(parsePlanDocument(seed));
    // And through the CLI, by content rather than file name.
    expect(JSON.parse(runCli(writeTemp('task-list.docx', docx)).stdout)).toEqual(
      JSON.parse(readFileSync(GOLDEN, 'utf8')),
    );
  });
});

describe('numbered items and unit cells', () => {
  const document = (measures: string, units: string) =>
    Buffer.from(
      [
        '清单',
        '\t序号',
        '\t主要任务',
        '\t推进措施',
        '\t预期目标',
        '\t牵头单位',
        '\t责任单位',
        '\t完成时限',
        '',
        '\t1',
        '\t任务',
        `\t${measures}`,
        '\t1.目标',
        '\t县审批局',
        `\t${units}`,
        '\t长期坚持',
        '',
      ].join('\n'),
    );

  it.each([
    ['1.甲\n2、乙\n3．丙\n（4）丁\n(5)戊', ['甲', '乙', '丙', '丁', '戊']],
    ['1.甲的前半\n后半\n2.乙', ['甲的前半后半', '乙']],
    ['没有编号的一项', ['没有编号的一项']],
  ])('splits %j', (measures, expected) => {
    expect(parsePlanDocument(document(measures, '县财政局')).tasks[0].measures).toEqual(expected);
  });

  it('splits units on 、，, and reads the 各乡镇 / 等相关部门 / 等部门 markers', () => {
    const task = parsePlanDocument(document('1.做', '县财政局等相关部门，县民政局,县人社局等部门、各乡镇')).tasks[0];
    expect(task).toMatchObject({
      responsibleUnits: ['县财政局', '县民政局', '县人社局'],
      allTownships: true,
      relatedDepartments: true,
    });
    expect(task.deadline).toEqual({ text: '长期坚持', date: null, kind: 'ongoing' });
  });
});

describe('the header row', () => {
  it('is recognised by its text even when header cells are split over lines or into extra cells', () => {
    const header = [
      '\t序',
      '号',
      '\t主要',
      '\t任务',
      '\t推进措施',
      '\t预期目标',
      '\t牵头单位',
      '\t责任',
      '单位',
      '\t完成',
      '\t时限',
    ];
    const text = [
      '清单',
      ...header,
      '',
      '\t1',
      '\t任务',
      '\t1.做',
      '\t1.成',
      '\t县审批局',
      '\t各乡镇',
      '\t2021年底前',
      '',
    ].join('\n');
    expect(parsePlanDocument(Buffer.from(text)).tasks[0]).toMatchObject({
      no: 1,
      deadline: { date: '2021-12-31', kind: 'year-end' },
    });
  });
});

describe('malformed documents', () => {
  const expectCliError = (file: string, pattern: RegExp) => {
    const result = runCli(file);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  };

  it('an empty file', () => {
    const file = writeTemp('empty.txt', '');
    expectCliError(file, new RegExp(`^${escape(file)}:1: 文件是空的\\n$`));
  });

  it('a row with 6 cells names the row line', () => {
    const lines = readFileSync(SEED, 'utf8').split('\n');
    const deadlineLine = lines.indexOf('\t2021年4月10日前', 30); // task 2's last cell, line 34
    lines.splice(deadlineLine, 1);
    const file = writeTemp('six-cells.txt', lines.join('\n'));
    expectCliError(file, new RegExp(`^${escape(file)}:25: 这一行有 6 个单元格，应为 7 个（序号、主要任务`));
  });

  it('a 序号 that is not a number', () => {
    const file = writeTemp('bad-number.txt', readFileSync(SEED, 'utf8').replace('\n\t3\n', '\n\t三\n'));
    expectCliError(file, new RegExp(`^${escape(file)}:36: 序号须为正整数，实际是“三”`));
  });

  it('garbage bytes', () => {
    const garbage = Buffer.from([0x0a, 0x0a, 0xff, 0xfe, 0x00, 0x81, 0xc3, 0x28]);
    const file = writeTemp('garbage.txt', garbage);
    expectCliError(file, new RegExp(`^${escape(file)}:3: 文件不是 UTF-8 编码的文本`));
  });

  it('a zip that is not a .docx', () => {
    const file = writeTemp('not-word.docx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]));
    expectCliError(file, /: 该文件看起来是 \.docx 或 \.xlsx（zip 压缩包），但无法解压$/m);
  });

  it('a 10 MB file is refused by its size, before parsing', () => {
    const file = writeTemp('huge.txt', Buffer.alloc(10 * 1024 * 1024 + 1, 'a'));
    expectCliError(file, /:0: 文件超过 10 MB 的上限$/m);
    expect(() => parsePlanDocument(Buffer.alloc(10 * 1024 * 1024 + 1, 'a'))).toThrow(
      '文件大小为 10 MB，超过 10 MB 的上限',
    );
  });

  it('a document without the header row', () => {
    const file = writeTemp('no-header.txt', '标题\n\t1\n\t2\n');
    expectCliError(file, /:2: 表头行应为 序号 \| 主要任务/);
  });
});

describe('text that cannot be stored', () => {
  const seedText = readFileSync(SEED, 'utf8');
  const table = readTextTable(Buffer.from(seedText));
  const cells = table.rows.map((row) => row.cells.map((cell) => cell.text));
  const docxWith = (title: string, row: number, column: number, text: string) =>
    withCharacterReferences(
      buildDocx(
        title,
        cells.map((cellsOfRow, index) =>
          index === row - 1 ? cellsOfRow.map((cell, at) => (at === column ? text : cell)) : cellsOfRow,
        ),
      ),
    );
  const refusal = (bytes: Uint8Array) => {
    try {
      parsePlanDocument(bytes);
    } catch (error) {
      if (error instanceof PlanParseError) return { line: error.line, message: error.message };
      throw error;
    }
    throw new Error('the document was accepted');
  };

  it('a NUL in a .txt names its line, from the CLI too', () => {
    const lines = seedText.split('\n');
    lines[6] = `${lines[6]}\u0000`;
    const file = writeTemp('plan.txt', lines.join('\n'));
    expect(refusal(Buffer.from(lines.join('\n')))).toMatchObject({ line: 7 });
    const result = runCli(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${escape(file)}:7: 文件含有二进制数据（NUL 字节）`));
  });

  it('a NUL or an unpaired surrogate in a .docx cell (&#0;, &#xD800;) names its row and column', () => {
    expect(refusal(docxWith(table.title, 3, 2, '1.措施\u0000'))).toEqual({
      line: 3,
      message: '“推进措施”单元格不得含有 NUL 字符（U+0000）',
    });
    expect(refusal(docxWith(table.title, 17, 5, '县财政局\ud800'))).toEqual({
      line: 17,
      message: '“责任单位”单元格须为有效的 Unicode 文本（含有未配对的 UTF-16 代理项）',
    });
    const file = writeTemp('plan.docx', docxWith(table.title, 3, 2, '\u0000'));
    expect(runCli(file).stderr).toBe(`${file}:3: “推进措施”单元格不得含有 NUL 字符（U+0000）\n`);
  });

  it('an unpaired surrogate in a .docx title', () => {
    expect(refusal(docxWith(`${table.title}\ud800`, 2, 1, cells[1][1]))).toEqual({
      line: null,
      message: '标题须为有效的 Unicode 文本（含有未配对的 UTF-16 代理项）',
    });
  });
});

describe('limits on what one plan may hold', () => {
  const row = (no: number, title = '任务') =>
    ['', `\t${no}`, `\t${title}`, '\t1.做', '\t1.成', '\t县审批局', '\t县财政局', '\t长期坚持'].join('\n');
  const list = (rows: string[]) =>
    Buffer.from(
      [
        '清单',
        ...['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'].map((c) => `\t${c}`),
        ...rows,
        '',
      ].join('\n'),
    );

  it('500 tasks, and no more', () => {
    const rows = Array.from({ length: 501 }, (_, index) => row(index + 1));
    expect(parsePlanDocument(list(rows.slice(0, 500))).tasks).toHaveLength(500);
    const lineOf501 = 1 + 7 + 500 * 8 + 2; // title, header cells, 500 rows of 8 lines, then the blank line
    expect(() => parsePlanDocument(list(rows))).toThrow(
      new PlanParseError(lineOf501, '表格中的任务超过 500 项（一份清单最多 500 项）；请把清单拆成几份分别导入'),
    );
  });

  it('a cell longer than its column allows names the cell', () => {
    expect(parsePlanDocument(list([row(1, '任'.repeat(500))])).tasks[0].title).toHaveLength(500);
    expect(() => parsePlanDocument(list([row(1, '任'.repeat(501))]))).toThrow(
      new PlanParseError(11, '“主要任务”单元格有 501 个字符，超过 500 个字符的上限'),
    );
  });
});

describe('a .docx with more than the task table', () => {
  it('takes the task table and the last paragraph before it, whatever other tables and text surround them', () => {
    const p = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;
    const tr = (cells: string[]) => `<w:tr>${cells.map((cell) => `<w:tc>${p(cell)}</w:tc>`).join('')}</w:tr>`;
    const header = ['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'];
    const task = ['1', '任务', '1.做', '1.成', '县审批局', '县财政局', '长期坚持'];
    const body = [
      p('附件'),
      `<w:tbl>${tr(['不是', '任务表'])}${tr(task)}</w:tbl>`,
      p('真正的标题'),
      '<w:p/>',
      `<w:tbl>${tr(header)}${tr(task)}</w:tbl>`,
      p('之后的文字'),
      `<w:tbl>${tr(header)}${tr(['2', ...task.slice(1)])}</w:tbl>`,
    ].join('');
    const docx = zipSync({
      'word/document.xml': strToU8(`<?xml version="1.0"?><w:document><w:body>${body}</w:body></w:document>`),
    });
    const plan = parsePlanDocument(docx);
    expect(plan.title).toBe('真正的标题');
    expect(plan.tasks.map((parsed) => parsed.no)).toEqual([1]);
  });
});

describe('a .docx built to make the reader work', () => {
  const seed = readFileSync(SEED);

  it('is refused as soon as word/document.xml inflates past 32 MB, whatever its headers claim', () => {
    return buildHostileDocx({ inflatedMb: 200 }).then((bomb) => {
      const started = Date.now();
      expect(() => parsePlanDocument(bomb)).toThrow(
        '该 .docx 不予导入：其中的 word/document.xml 解压后超过 32 MB（一份任务清单只有几百 KB）',
      );
      // Inflating all 200 MB would take several times this; the cap stops it at 32 MB.
      expect(Date.now() - started).toBeLessThan(2_000);
      const file = writeTemp('bomb.docx', bomb);
      expect(runCli(file)).toMatchObject({
        status: 1,
        stdout: '',
        stderr: expect.stringMatching(/:0: 该 \.docx 不予导入/),
      });
    });
  });

  it('is read when its central directory uses zip64 fields', () => {
    const table = readTextTable(seed);
    const docx = buildDocx(
      table.title,
      table.rows.map((row) => row.cells.map((cell) => cell.text)),
    );
    expect(parsePlanDocument(asZip64(docx))).toEqual(parsePlanDocument(seed));
  });

  it('parses in a worker thread exactly as in process, refusals included', async () => {
    expect(await parsePlanDocumentInWorker(seed)).toEqual(parsePlanDocument(seed));
    const broken = Buffer.from('标题\n\t序号\n');
    await expect(parsePlanDocumentInWorker(broken)).rejects.toEqual(
      new PlanParseError(
        2,
        '表头行应为 序号 | 主要任务 | 推进措施 | 预期目标 | 牵头单位 | 责任单位 | 完成时限，实际是“序号”',
      ),
    );
    await expect(parsePlanDocumentInWorker(broken)).rejects.toBeInstanceOf(PlanParseError);
  });

  it('is stopped in the worker when it takes too long, and the next parse works', async () => {
    // 31 MB of paragraphs: under the size cap, but seconds of reading.
    const slow = await buildHostileDocx({ inflatedMb: 31, unit: '<w:p><w:r><w:t>任务</w:t></w:r></w:p>' });
    await expect(parsePlanDocumentInWorker(slow, { ...WORKER_PARSE_LIMITS, timeoutMs: 200 })).rejects.toThrow(
      new PlanParseError(null, '读取该文件超过 0.2 秒，已停止（不像是任务清单）'),
    );
    expect((await parsePlanDocumentInWorker(seed)).tasks).toHaveLength(16);
  });
});

describe('the parser never fails with anything but a PlanParseError', () => {
  const seedText = readFileSync(SEED, 'utf8');
  const parsesOrExplains = (bytes: Uint8Array) => {
    try {
      const plan = parsePlanDocument(bytes);
      expect(Array.isArray(plan.tasks)).toBe(true);
    } catch (error) {
      if (!(error instanceof PlanParseError)) throw error;
      expect(error.message.length).toBeGreaterThan(0);
    }
  };

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => parsesOrExplains(bytes)),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary text built from the table export alphabet', () => {
    const token = fc.constantFrom(
      '\t',
      '\n',
      '\r\n',
      ' ',
      '1',
      '2.',
      '（3）',
      '序号',
      '县财政局',
      '、',
      '各乡镇',
      '等相关部门',
      '2021年5月底前',
      '[bookmark: x]',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 300 }), (tokens) => parsesOrExplains(Buffer.from(tokens.join('')))),
      { numRuns: 2000 },
    );
  });

  it('on random edits of the real seed list', () => {
    const lines = seedText.split('\n');
    const edit = fc.record({
      at: fc.nat(lines.length - 1),
      kind: fc.constantFrom('delete', 'duplicate', 'tab', 'untab', 'blank'),
      count: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        const edited = [...lines];
        for (const { at, kind, count } of edits) {
          const index = Math.min(at, edited.length - 1);
          if (kind === 'delete') edited.splice(index, count);
          if (kind === 'duplicate') edited.splice(index, 0, ...edited.slice(index, index + count));
          if (kind === 'tab') edited[index] = `\t${edited[index] ?? ''}`;
          if (kind === 'untab') edited[index] = (edited[index] ?? '').replace(/^\t/, '');
          if (kind === 'blank') edited.splice(index, 0, '');
        }
        parsesOrExplains(Buffer.from(edited.join('\n')));
      }),
      { numRuns: 1000 },
    );
  });

  it('on .docx files with random cell contents', () => {
    const cellText = fc.string({ maxLength: 40 });
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.array(fc.array(cellText, { minLength: 0, maxLength: 9 }), { maxLength: 6 }),
        (title, rows) => {
          parsesOrExplains(
            buildDocx(title, [
              ['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'],
              ...rows,
            ]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
