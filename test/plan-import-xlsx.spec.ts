import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import {
  detectFormat,
  parsePlanDocument,
  parsePlanDocumentInWorker,
  ParsedPlan,
  PlanParseError,
  readTextTable,
  serialDateText,
} from '@county/plan-import';
import { ONE_TASK_LIST, twoTaskList } from '@county/test-kit';
import { buildClerkXlsx, clerkXlsxOf, withParts } from './support/clerk-xlsx';

const ROOT = path.resolve(__dirname, '..');
const SEED = path.join(ROOT, 'seeds/pingluo-2021-grassroots-reform-task-list.txt');
const GOLDEN = path.join(__dirname, 'golden/pingluo-2021-grassroots-reform-task-list.plan.json');
const CLI = path.join(ROOT, 'libs/plan-import/dist/cli.js');
const SHEET = '任务清单';
const seed = readFileSync(SEED);
const seedText = seed.toString('utf8');

function runCli(file: string) {
  const result = spawnSync(process.execPath, [CLI, file], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeTemp(name: string, content: Uint8Array): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'plan-import-xlsx-')), name);
  writeFileSync(file, content);
  return file;
}

/** The plan without where its warnings are: a sheet row is not a text line, everything else must be equal. */
const withoutLocations = (plan: ParsedPlan) => ({
  ...plan,
  warnings: plan.warnings.map((warning) => warning.message),
});

function refusal(bytes: Uint8Array): { line: number | null; sheet: string | undefined; message: string } {
  try {
    parsePlanDocument(bytes);
  } catch (error) {
    if (error instanceof PlanParseError) return { line: error.line, sheet: error.sheet, message: error.message };
    throw error;
  }
  throw new Error('the workbook was accepted');
}

/** The task-list lists the .txt specs parse, as a clerk would hand them over in Excel. */
const limitsRow = (no: number) =>
  ['', `\t${no}`, '\t任务', '\t1.做', '\t1.成', '\t县审批局', '\t县财政局', '\t长期坚持'].join('\n');
const header = ['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'].map((c) => `\t${c}`);
const numberedItems = (measures: string, units: string) =>
  [
    '清单',
    ...header,
    '',
    '\t1',
    '\t任务',
    `\t${measures}`,
    '\t1.目标',
    '\t县审批局',
    `\t${units}`,
    '\t长期坚持',
    '',
  ].join('\n');
const LISTS: Array<[string, string]> = [
  ['the seed list (16 tasks)', seedText],
  ['the test kit one-task list', ONE_TASK_LIST],
  ['the test kit two-task list, one deadline not understood', twoTaskList('按上级要求')],
  ['numbered items in every style', numberedItems('1.甲\n2、乙\n3．丙\n（4）丁\n(5)戊', '县财政局')],
  [
    'wrapped items and unit markers',
    numberedItems('1.甲的前半\n后半\n2.乙', '县财政局等相关部门，县民政局,县人社局等部门、各乡镇'),
  ],
  [
    '500 tasks, the most a plan may hold',
    ['清单', ...header, ...Array.from({ length: 500 }, (_, i) => limitsRow(i + 1)), ''].join('\n'),
  ],
];

describe('an .xlsx task list', () => {
  it.each(LISTS)('%s parses to the same plan as the .txt', async (_, text) => {
    const xlsx = await clerkXlsxOf(text);
    expect(detectFormat(xlsx)).toBe('xlsx');
    const fromText = parsePlanDocument(Buffer.from(text));
    const fromWorkbook = parsePlanDocument(xlsx);
    expect(withoutLocations(fromWorkbook)).toEqual(withoutLocations(fromText));
    for (const warning of fromWorkbook.warnings) expect(warning.sheet).toBe(SHEET);
  });

  it('the seed list as a clerk lays it out: merged title, merged 牵头单位 and 完成时限, multi-line cells', async () => {
    const xlsx = await clerkXlsxOf(seed);
    const sheetXml = strFromU8(unzipSync(xlsx)['xl/worksheets/sheet1.xml']);
    // Tasks 1–2 share 县委编办 and 4–5 县审批局 (rows 3–4, 6–7), tasks 8–10 a 完成时限 (rows 10–12): the first cell holds it.
    expect(sheetXml).toContain('<mergeCell ref="A1:G1"/>');
    expect(sheetXml).toContain('<mergeCell ref="E3:E4"/>');
    expect(sheetXml).toContain('<mergeCell ref="E6:E7"/>');
    expect(sheetXml).toContain('<mergeCell ref="G10:G12"/>');
    const plan = parsePlanDocument(xlsx);
    expect(plan).toEqual(parsePlanDocument(seed)); // no warnings: nothing in it is odd
    expect(plan.tasks[1].leadUnits).toEqual(['县委编办']);
    expect(plan.tasks[4].leadUnits).toEqual(['县审批局']);
    // And through the CLI, by content rather than file name, as the reviewed golden JSON.
    const result = runCli(writeTemp('task-list.bin', xlsx));
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('is found on the first sheet holding the header row, behind a cover sheet; warnings name that sheet', async () => {
    const xlsx = await clerkXlsxOf(twoTaskList('按上级要求'), {
      sheetName: '附件1',
      sheetsBefore: [{ name: '封面', rows: [['平罗县任务清单'], ['序号', '主要任务']] }],
    });
    const plan = parsePlanDocument(xlsx);
    expect(plan.title).toBe('测试任务清单');
    expect(plan.warnings).toEqual([
      { line: 4, sheet: '附件1', message: '任务 2：完成时限“按上级要求”无法识别，请导入后设置' },
    ]);
  });

  it('reads inline strings, rich text runs, phonetic runs, escapes and prefixed elements written by other tools', () => {
    const si = (xml: string) => `<si>${xml}</si>`;
    const strings = [
      si('<t>序号</t>'),
      si('<r><rPr><b/></rPr><t>主要</t></r><r><t xml:space="preserve">任务</t></r>'),
      si('<t>推进措施</t><rPh sb="0" eb="1"><t>すいしん</t></rPh>'),
      si('<t>1.甲_x000D_\n2.乙</t>'),
    ];
    const c = (ref: string, inner: string, type = 'inlineStr') => `<x:c r="${ref}" t="${type}">${inner}</x:c>`;
    const inline = (ref: string, text: string) => c(ref, `<x:is><x:t>${text}</x:t></x:is>`);
    const rows = [
      `<x:row r="2">${inline('B2', '  标题 &amp; 说明  ')}</x:row>`,
      `<x:row r="4">${c('B4', '<x:v>0</x:v>', 's')}${c('C4', '<x:v>1</x:v>', 's')}${c('D4', '<x:v>2</x:v>', 's')}${[
        ['E4', '预期目标'],
        ['F4', '牵头单位'],
        ['G4', '责任单位'],
        ['H4', '完成&#10;时限'],
      ]
        .map(([ref, text]) => inline(ref, text))
        .join('')}</x:row>`,
      `<x:row r="9"><x:c r="B9"><x:v>1</x:v></x:c>${inline('C9', '任务')}${c('D9', '<x:v>3</x:v>', 's')}${inline(
        'E9',
        '1.成',
      )}${inline('F9', '县审批局')}${inline('G9', '县财政局')}${inline('H9', '2027年6月底前')}</x:row>`,
    ];
    const xlsx = minimalXlsx(
      `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${rows.join(
        '',
      )}</x:sheetData></x:worksheet>`,
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.join('')}</sst>`,
    );
    expect(parsePlanDocument(xlsx)).toEqual({
      title: '标题 & 说明',
      tasks: [
        expect.objectContaining({
          no: 1,
          title: '任务',
          measures: ['甲', '乙'],
          leadUnits: ['县审批局'],
          responsibleUnits: ['县财政局'],
          deadline: { text: '2027年6月底前', date: '2027-06-30', kind: 'month-end' },
        }),
      ],
      warnings: [],
    });
  });

  it('reads a 完成时限 stored as an Excel date as the date it shows, with a warning', async () => {
    const xlsx = await clerkXlsxOf(ONE_TASK_LIST, {
      edit: (sheet) => {
        sheet.getCell('G3').value = new Date(Date.UTC(2027, 5, 30));
        sheet.getCell('G3').numFmt = 'yyyy"年"m"月"d"日"';
      },
    });
    const plan = parsePlanDocument(xlsx);
    expect(plan.tasks[0].deadline).toEqual({ text: '2027年6月30日前', date: '2027-06-30', kind: 'date' });
    expect(plan.warnings).toEqual([
      { line: 3, sheet: SHEET, message: 'G3 单元格的完成时限是 Excel 日期（序列值 46568），按“2027年6月30日前”导入' },
    ]);
  });

  it('counts Excel serial dates as Excel does, 1900 leap-year bug and 1904 system included', () => {
    expect(serialDateText(1)).toBe('1900年1月1日前');
    expect(serialDateText(59)).toBe('1900年2月28日前');
    expect(serialDateText(60)).toBeNull(); // 29 February 1900, which Excel counts and the calendar does not
    expect(serialDateText(61)).toBe('1900年3月1日前');
    expect(serialDateText(46568.75)).toBe('2027年6月30日前');
    expect(serialDateText(0, true)).toBe('1904年1月1日前');
    expect(serialDateText(45106, true)).toBe('2027年6月30日前');
    expect(serialDateText(2_958_466)).toBeNull();
  });
});

describe('merged cells', () => {
  it('read alike in a .docx (w:vMerge, w:gridSpan) and an .xlsx: a range merged down counts in every row', async () => {
    const text = twoTaskList();
    const p = (line: string) => `<w:p><w:r><w:t>${line}</w:t></w:r></w:p>`;
    const tc = (cell: string, properties = '') =>
      `<w:tc><w:tcPr>${properties}</w:tcPr>${cell.split('\n').map(p).join('')}</w:tc>`;
    const rows = readTextTable(Buffer.from(text)).rows.map((row) => row.cells.map((cell) => cell.text));
    // Task 2 repeats task 1's 牵头单位 (县审批局): in Word, merged down; the title spans the whole table.
    const body = [
      `<w:tbl><w:tr>${tc('附件', '<w:gridSpan w:val="7"/>')}</w:tr></w:tbl>`,
      p('测试任务清单'),
      `<w:tbl>${rows
        .map(
          (cells, index) =>
            `<w:tr>${cells
              .map((cell, at) =>
                at !== 4 || index === 0
                  ? tc(cell)
                  : index === 1
                    ? tc(cell, '<w:vMerge w:val="restart"/>')
                    : tc('', '<w:vMerge/>'),
              )
              .join('')}</w:tr>`,
        )
        .join('')}</w:tbl>`,
    ].join('');
    const docx = zipSync({
      'word/document.xml': strToU8(`<?xml version="1.0"?><w:document><w:body>${body}</w:body></w:document>`),
    });
    const fromText = parsePlanDocument(Buffer.from(text));
    expect(fromText.tasks[1].leadUnits).toEqual(['县审批局']);
    expect(parsePlanDocument(docx)).toEqual(fromText);
    const xlsx = await clerkXlsxOf(text);
    expect(strFromU8(unzipSync(xlsx)['xl/worksheets/sheet1.xml'])).toContain('<mergeCell ref="E3:E4"/>');
    expect(parsePlanDocument(xlsx)).toEqual(fromText);
  });
});

describe('an .xlsx that is not a task list, or not safe to read', () => {
  it('with no task table on any sheet: the error names every sheet looked at', async () => {
    const xlsx = await buildClerkXlsx('只是一个标题', [['序号', '任务']], {
      sheetName: '说明',
      sheetsBefore: [{ name: '封面', rows: [['平罗县'], ['2021年']] }],
    });
    expect(refusal(xlsx)).toEqual({
      line: null,
      sheet: undefined,
      message:
        '在工作表「封面」「说明」中都没有找到表头行（序号 | 主要任务 | 推进措施 | 预期目标 | 牵头单位 | 责任单位 | 完成时限）：该 .xlsx 不是任务清单',
    });
  });

  it('with a bad row: the error names the sheet and row, in process, in the worker and from the CLI', async () => {
    const xlsx = await clerkXlsxOf(seedText.replace('\n\t3\n', '\n\t三\n')); // task 3 is on row 5
    const expected = { line: 5, sheet: SHEET, message: '序号须为正整数，实际是“三”' };
    expect(refusal(xlsx)).toEqual(expected);
    await expect(parsePlanDocumentInWorker(xlsx)).rejects.toMatchObject(expected);
    const file = writeTemp('bad-row.xlsx', xlsx);
    expect(runCli(file)).toEqual({
      status: 1,
      stdout: '',
      stderr: `${file}:5: 工作表「任务清单」：序号须为正整数，实际是“三”\n`,
    });
  });

  it('with text beside the table: the row is refused as too many cells, not read without it', async () => {
    const xlsx = await clerkXlsxOf(seed, {
      edit: (sheet) => {
        sheet.getCell('H4').value = '备注：已完成';
      },
    });
    expect(refusal(xlsx)).toEqual({
      line: 4,
      sheet: SHEET,
      message: '这一行有 8 个单元格，应为 7 个（序号、主要任务、推进措施、预期目标、牵头单位、责任单位、完成时限）',
    });
  });

  it('with formulas: their saved results count, never evaluated, and each is named in a warning', async () => {
    const table = readTextTable(seed);
    const xlsx = await clerkXlsxOf(seed, {
      edit: (sheet) => {
        // Saved results no evaluation could give: 1/0 is #DIV/0! and NOW() a time.
        sheet.getCell('C5').value = { formula: '1/0', result: table.rows[3].cells[2].text } as never;
        sheet.getCell('B6').value = { formula: 'NOW()', result: table.rows[4].cells[1].text } as never;
      },
    });
    expect(strFromU8(unzipSync(xlsx)['xl/worksheets/sheet1.xml'])).toMatch(/<f>1\/0<\/f>.*<f>NOW\(\)<\/f>/s);
    const plan = parsePlanDocument(xlsx);
    expect(withoutLocations({ ...plan, warnings: [] })).toEqual(withoutLocations(parsePlanDocument(seed)));
    expect(plan.warnings).toEqual([
      { line: 5, sheet: SHEET, message: 'C 列（C5）是公式，按其保存的结果导入，不重新计算' },
      { line: 6, sheet: SHEET, message: 'B 列（B6）是公式，按其保存的结果导入，不重新计算' },
    ]);
  });

  it('with a formula that has no saved result: refused, naming the cell', async () => {
    const xlsx = await clerkXlsxOf(seed, {
      edit: (sheet) => {
        sheet.getCell('D7').value = { formula: 'CONCATENATE("1.",A7)' } as never;
      },
    });
    expect(strFromU8(unzipSync(xlsx)['xl/worksheets/sheet1.xml'])).not.toMatch(/<f>CONCATENATE[^<]*<\/f><v>/);
    expect(refusal(xlsx)).toEqual({
      line: 7,
      sheet: SHEET,
      message: 'D 列（D7）是公式，且没有保存的结果：公式不会被计算，请在 Excel 中把它复制并“粘贴为数值”后再导入',
    });
  });

  it('macro-enabled (.xlsm): refused by its vbaProject.bin or by its content type', async () => {
    const xlsx = await clerkXlsxOf(seed);
    const withProject = withParts(xlsx, { 'xl/vbaProject.bin': new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]) });
    expect(refusal(withProject).message).toMatch(
      /^该工作簿启用了宏（含有宏工程 xl\/vbaProject\.bin），不予导入：宏不会被运行/,
    );
    const contentTypes = strFromU8(unzipSync(xlsx)['[Content_Types].xml']).replace(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
    );
    expect(contentTypes).toContain('macroEnabled');
    expect(refusal(withParts(xlsx, { '[Content_Types].xml': contentTypes })).message).toMatch(
      /^该工作簿启用了宏（其内容类型是启用宏的工作簿（\.xlsm））/,
    );
  });

  it('a zip that is neither a .docx nor an .xlsx, and a truncated .xlsx', async () => {
    expect(refusal(zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.text') }))).toEqual({
      line: null,
      sheet: undefined,
      message:
        '该文件是 zip 压缩包，但既不是 Word .docx（没有 word/document.xml），也不是 Excel .xlsx（没有 xl/workbook.xml）',
    });
    const xlsx = await clerkXlsxOf(seed);
    expect(refusal(xlsx.subarray(0, Math.floor(xlsx.length / 2)))).toEqual({
      line: null,
      sheet: undefined,
      message: '该文件看起来是 .docx 或 .xlsx（zip 压缩包），但无法解压',
    });
  });

  it('whose shared strings unpack past 32 MB: refused as soon as the cap is reached', async () => {
    const xlsx = await clerkXlsxOf(ONE_TASK_LIST);
    const huge = `<sst>${'<si><t>任务</t></si>'.repeat(2_200_000)}</sst>`; // about 40 MB, a few hundred KB packed
    const bomb = withParts(xlsx, { 'xl/sharedStrings.xml': huge });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    expect(refusal(bomb).message).toBe(
      '该 .xlsx 不予导入：其各部件解压后共超过 32 MB（读到 xl/sharedStrings.xml 时；一份任务清单只有几百 KB）',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('the .xlsx reader never fails with anything but a PlanParseError', () => {
  const parsesOrExplains = (bytes: Uint8Array) => {
    try {
      expect(Array.isArray(parsePlanDocument(bytes).tasks)).toBe(true);
    } catch (error) {
      if (!(error instanceof PlanParseError)) throw error;
      expect(error.message.length).toBeGreaterThan(0);
    }
  };
  const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const HEADER = ['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'];
  const letters = 'ABCDEFGHI';

  it('on sheets with random cells of every type', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 30 }).map((text) => ['inlineStr', `<is><t>${escapeXml(text)}</t></is>`]),
      fc.double().map((number) => ['n', `<v>${number}</v>`]),
      fc.nat(5).map((index) => ['s', `<v>${index}</v>`]),
      fc.constantFrom(['str', '<f>NOW()</f>'], ['e', '<v>#DIV/0!</v>'], ['b', '<v>1</v>'], ['n', '<f>1/0</f><v>2</v>']),
    );
    const row = fc.array(cell, { maxLength: 9 });
    const merge = fc.tuple(fc.nat(8), fc.nat(6), fc.nat(8), fc.nat(6));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), fc.array(merge, { maxLength: 4 }), (rows, merges) => {
        const header = `<row r="2">${HEADER.map((text, at) => `<c r="${letters[at]}2" t="inlineStr"><is><t>${text}</t></is></c>`).join('')}</row>`;
        const body = rows
          .map(
            (cells, index) =>
              `<row r="${index + 3}">${cells.map(([type, inner], at) => `<c r="${letters[at]}${index + 3}" t="${type}">${inner}</c>`).join('')}</row>`,
          )
          .join('');
        const mergeCells = merges
          .map(([c1, r1, c2, r2]) => `<mergeCell ref="${letters[c1]}${r1 + 1}:${letters[c2]}${r2 + 1}"/>`)
          .join('');
        parsesOrExplains(
          minimalXlsx(
            `<worksheet><sheetData>${header}${body}</sheetData><mergeCells>${mergeCells}</mergeCells></worksheet>`,
            '<sst><si><t>1</t></si><si><t>县审批局</t></si></sst>',
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('on sheet XML built from random SpreadsheetML tokens', () => {
    const token = fc.constantFrom(
      '<row>',
      '<row r="3">',
      '</row>',
      '<row/>',
      '<c>',
      '<c r="B2" t="s">',
      '<c t="inlineStr">',
      '<c r="ZZZZ9">',
      '</c>',
      '<v>',
      '</v>',
      '0',
      '46568',
      '<f>',
      '</f>',
      '<f t="shared" si="0"/>',
      '<is><t>',
      '</t></is>',
      '序号主要任务推进措施预期目标牵头单位责任单位完成时限',
      '<mergeCell ref="A1:A9"/>',
      '<mergeCell ref="A2:G2"/>',
      '&amp;',
      '&#0;',
      '_x000D_',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 200 }), (tokens) =>
        parsesOrExplains(minimalXlsx(`<worksheet><sheetData>${tokens.join('')}</sheetData></worksheet>`, '<sst/>')),
      ),
      { numRuns: 1000 },
    );
  });

  it('on random corruptions of a real workbook', async () => {
    const xlsx = await clerkXlsxOf(ONE_TASK_LIST);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(xlsx.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 }), (edits) => {
        const corrupted = Uint8Array.from(xlsx);
        for (const [at, byte] of edits) corrupted[at] = byte;
        parsesOrExplains(corrupted);
      }),
      { numRuns: 500 },
    );
  });
});

/** A workbook of one sheet, as a tool other than Excel or exceljs might write it. */
function minimalXlsx(sheetXml: string, sharedStringsXml: string): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>',
    ),
    'xl/worksheets/data.xml': strToU8(sheetXml),
    'xl/strings.xml': strToU8(sharedStringsXml),
  });
}
