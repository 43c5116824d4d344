import { Workbook } from 'exceljs';
import { zipSync } from 'fflate';
import { Role, Unit, UnitKind } from '@county/domain';
import {
  checkStaffRows,
  MAX_STAFF_FILE_BYTES,
  MAX_STAFF_ROWS,
  parseRoles,
  planStaffImport,
  readStaffTable,
  StaffFileError,
  writePasswordSheet,
} from '.';

const REGISTRY: Unit[] = [
  {
    id: 'shenpi',
    name: '县审批局',
    fullName: '平罗县行政审批服务局',
    aliases: ['审批局'],
    kind: UnitKind.CountyDepartment,
  },
  { id: 'huangqu', name: '黄渠桥镇', fullName: '平罗县黄渠桥镇人民政府', aliases: [], kind: UnitKind.Township },
  { id: 'ducha', name: '县委督查室', fullName: '中共平罗县委督查室', aliases: ['督查室'], kind: UnitKind.Supervision },
];

const HEADER = ['用户名', '姓名', '单位', '角色', '手机', '邮箱'];

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('人员');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function staffRows(count: number): unknown[][] {
  return Array.from({ length: count }, (_, index) => [
    `staff${String(index + 1).padStart(3, '0')}`,
    `工作人员${index + 1}`,
    ['县审批局', '审批局', '平罗县黄渠桥镇人民政府'][index % 3],
    index % 10 === 0 ? '负责人' : '工作人员',
    13800000000 + index,
    `staff${index + 1}@example.cn`,
  ]);
}

async function expectFileError(filename: string, bytes: Uint8Array, message: RegExp): Promise<void> {
  const read = readStaffTable(filename, bytes);
  await expect(read).rejects.toBeInstanceOf(StaffFileError);
  await expect(read).rejects.toThrow(message);
}

describe('reading a staff list', () => {
  it('reads a 300-row .xlsx into rows numbered as Excel numbers them, units matched by name, alias or full name', async () => {
    const table = await readStaffTable('名单.xlsx', await xlsx([HEADER, ...staffRows(300)]));
    expect(table.format).toBe('xlsx');
    expect(table.rows).toHaveLength(300);
    expect(table.rows[0]).toEqual({
      row: 2,
      cells: {
        用户名: 'staff001',
        姓名: '工作人员1',
        单位: '县审批局',
        角色: '负责人',
        手机: '13800000000',
        邮箱: 'staff1@example.cn',
      },
    });
    const { candidates, problems } = checkStaffRows(table.rows, REGISTRY);
    expect(problems).toEqual([]);
    expect(candidates).toHaveLength(300);
    expect(candidates.map((candidate) => candidate.unitId).slice(0, 3)).toEqual(['shenpi', 'shenpi', 'huangqu']);
    expect(candidates[0]).toMatchObject({
      username: 'staff001',
      roles: [Role.Head],
      unitName: '县审批局',
      phone: '13800000000',
    });
    expect(candidates[1].roles).toEqual([Role.Staff]);
  });

  it('reads hyperlinked, rich-text and formula cells by the text they show', async () => {
    const table = await readStaffTable(
      'a.xlsx',
      await xlsx([
        HEADER,
        [
          { richText: [{ text: 'wang' }, { text: 'li' }] },
          '王力',
          '县审批局',
          { formula: '"工作"&"人员"', result: '工作人员' },
          '',
          { text: 'wl@example.cn', hyperlink: 'mailto:wl@example.cn' },
        ],
      ]),
    );
    expect(table.rows[0].cells).toMatchObject({ 用户名: 'wangli', 角色: '工作人员', 邮箱: 'wl@example.cn' });
  });

  it('reads a UTF-8 .csv with a BOM, quoted fields and CRLF line ends, and a GB18030 one from Excel', async () => {
    const text =
      '\ufeff用户名,姓名,单位,角色\r\nzhang,"张 ""三""",审批局,"工作人员,负责人"\r\n\r\nli,李四,黄渠桥镇,staff\r\n';
    const table = await readStaffTable('名单.csv', Buffer.from(text, 'utf8'));
    expect(table.columns).toEqual(['用户名', '姓名', '单位', '角色']);
    expect(table.rows.map((row) => row.row)).toEqual([2, 4]);
    expect(table.rows[0].cells).toMatchObject({ 姓名: '张 "三"', 角色: '工作人员,负责人', 手机: '' });
    const { candidates } = checkStaffRows(table.rows, REGISTRY);
    expect(candidates[0].roles).toEqual([Role.Staff, Role.Head]);

    // 用户名,姓名,单位,角色 / wang,王五,县审批局,负责人 in GB18030 (what Excel on Chinese Windows writes).
    const gbk = Buffer.from(
      'd3c3bba7c3fb2cd0d5c3fb2cb5a5cebb2cbdc7c9ab0a77616e672ccdf5cee52ccfd8c9f3c5fabed62cb8bad4f0c8cb0a',
      'hex',
    );
    const fromExcel = await readStaffTable('gbk.csv', gbk);
    expect(fromExcel.rows[0].cells).toMatchObject({ 用户名: 'wang', 姓名: '王五', 单位: '县审批局', 角色: '负责人' });
  });

  it('refuses files that are not a staff list with a Chinese message (never a crash)', async () => {
    await expectFileError('a.xlsx', Buffer.alloc(0), /文件为空/);
    await expectFileError('a.xlsx', Buffer.from('not a zip'), /不是有效的 .xlsx/);
    await expectFileError('a.docx', await xlsx([HEADER]), /只能导入 .xlsx 或 .csv/);
    await expectFileError('a.pdf', Buffer.from('%PDF-1.4'), /只能导入 .xlsx 或 .csv/);
    await expectFileError('a.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(100, 7)]), /无法读取/);
    await expectFileError('a.xlsx', zipSync({ 'hello.txt': Buffer.from('hi') }), /无法读取|没有工作表/);
    await expectFileError('a.csv', Buffer.alloc(MAX_STAFF_FILE_BYTES + 1, 0x41), /超过 2 MB/);
    await expectFileError('a.csv', Buffer.from('用户名,姓名,单位,备注\n'), /“备注”不是可导入的列/);
    await expectFileError('a.csv', Buffer.from('用户名,姓名,角色\n'), /缺少必填列：单位/);
    await expectFileError('a.csv', Buffer.from('用户名,姓名,单位,角色,姓名\n'), /“姓名”列出现了两次/);
    await expectFileError('a.csv', Buffer.from('用户名,姓名,单位,角色\nx,"y\n'), /未闭合的引号/);
    await expectFileError('a.csv', Buffer.from('用户名,姓名,单位,角色\nx,y,z,w,extra\n'), /第 2 行第 5 列有内容/);
    await expectFileError('a.csv', Buffer.from([0xff, 0xfe, 0xfd, 0x81, 0x20]), /编码/);
    await expectFileError('a.csv', Buffer.from(''.padEnd(0) + ' \n'), /没有内容/);
  });

  it(`refuses more than ${MAX_STAFF_ROWS} rows`, async () => {
    const csv = [
      '用户名,姓名,单位,角色',
      ...Array.from({ length: MAX_STAFF_ROWS + 1 }, (_, i) => `u${i},名${i},审批局,staff`),
    ];
    await expectFileError('a.csv', Buffer.from(csv.join('\n')), /超过 2000 行/);
    const rows = Array.from({ length: MAX_STAFF_ROWS + 5 }, (_, i) => [`u${i}`, `名${i}`, '审批局', 'staff']);
    await expectFileError('a.xlsx', await xlsx([HEADER.slice(0, 4), ...rows]), /超过 2000 行/);
  });

  it('refuses a zip bomb before exceljs unpacks it, whatever its headers claim', async () => {
    const bomb = zipSync(
      {
        '[Content_Types].xml': Buffer.from('<Types/>'),
        'xl/worksheets/sheet1.xml': new Uint8Array(40 * 1024 * 1024),
      },
      { level: 9 },
    );
    expect(bomb.byteLength).toBeLessThan(MAX_STAFF_FILE_BYTES);
    await expectFileError('bomb.xlsx', bomb, /解压后超过 16 MB/);
    const manyParts = zipSync(
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}.xml`, Buffer.from('x')])),
    );
    await expectFileError('parts.xlsx', manyParts, /部件超过 200 个/);
  });
});

describe('checking the rows', () => {
  const row = (row: number, cells: Partial<Record<string, string>>) => ({
    row,
    cells: { 用户名: '', 姓名: '', 单位: '', 角色: '', 手机: '', 邮箱: '', ...cells },
  });

  it('reports each bad row by its row number and column, in Chinese, and keeps the good rows', async () => {
    const rows = staffRows(300);
    rows[9][2] = '县不存在局'; // row 11
    rows[99][3] = '科长'; // row 101
    rows[199][0] = rows[0][0]; // row 201, same username as row 2
    const table = await readStaffTable('bad.xlsx', await xlsx([HEADER, ...rows]));
    const { candidates, problems } = checkStaffRows(table.rows, REGISTRY);
    expect(candidates).toHaveLength(297);
    expect(problems).toEqual([
      { row: 11, column: '单位', message: '单位“县不存在局”不在单位名录中（按名称、全称和别名都未找到）' },
      { row: 101, column: '角色', message: expect.stringMatching(/^角色“科长”无效/) },
      { row: 201, column: '用户名', message: '用户名“staff001”与第 2 行重复' },
    ]);
  });

  it("reads a merged unit's names as the unit that took it over, and gives a retired unit no new staff", () => {
    const registry = [
      ...REGISTRY,
      {
        id: 'old-shenpi',
        name: '县政务服务中心',
        fullName: '平罗县政务服务中心',
        aliases: [],
        kind: UnitKind.CountyDepartment,
        retired: true,
        mergedInto: 'shenpi',
      },
      {
        id: 'gone',
        name: '县撤销局',
        fullName: '平罗县撤销局',
        aliases: [],
        kind: UnitKind.CountyDepartment,
        retired: true,
        mergedInto: null,
      },
    ];
    const { candidates, problems } = checkStaffRows(
      [
        row(2, { 用户名: 'merged.name', 姓名: '甲', 单位: '县政务服务中心', 角色: 'staff' }),
        row(3, { 用户名: 'merged.id', 姓名: '乙', 单位: 'old-shenpi', 角色: 'staff' }),
        row(4, { 用户名: 'retired', 姓名: '丙', 单位: '县撤销局', 角色: 'staff' }),
        row(5, { 用户名: 'retired.id', 姓名: '丁', 单位: 'gone', 角色: 'staff' }),
      ],
      registry,
    );
    expect(candidates.map((candidate) => [candidate.username, candidate.unitId])).toEqual([
      ['merged.name', 'shenpi'],
      ['merged.id', 'shenpi'],
    ]);
    expect(problems).toEqual([
      { row: 4, column: '单位', message: '单位“县撤销局”已撤销，不能再添加人员' },
      { row: 5, column: '单位', message: '单位“gone”已撤销，不能再添加人员' },
    ]);
  });

  it('checks usernames, names, phones, e-mails and unstorable text', () => {
    const { candidates, problems } = checkStaffRows(
      [
        row(2, {
          用户名: 'Zhang.San',
          姓名: '张三',
          单位: ' 县审批局 ',
          角色: 'head、staff',
          手机: '138 0000 0000',
          邮箱: 'z@x.cn',
        }),
        row(3, { 用户名: '张三', 姓名: '', 单位: '审批局', 角色: '工作人员', 手机: '12345', 邮箱: 'nope' }),
        row(4, { 用户名: 'ok', 姓名: 'a\u0000b', 单位: '审批局', 角色: '工作人员' }),
        row(5, { 用户名: 'long', 姓名: '长'.repeat(101), 单位: '审批局', 角色: 'staff' }),
        row(6, { 用户名: 'landline', 姓名: '座机', 单位: 'shenpi', 角色: 'staff', 手机: '0952-1234567' }),
      ],
      REGISTRY,
    );
    expect(candidates.map((candidate) => candidate.username)).toEqual(['Zhang.San', 'landline']);
    expect(candidates[0]).toMatchObject({ unitId: 'shenpi', roles: [Role.Staff, Role.Head], phone: '13800000000' });
    expect(problems.map(({ row, column }) => `${row}:${column}`)).toEqual([
      '3:用户名',
      '3:姓名',
      '3:手机',
      '3:邮箱',
      '4:姓名',
      '5:姓名',
    ]);
    expect(problems[0].message).toMatch(/只能用字母、数字/);
    expect(problems[4].message).toBe('姓名含有无法保存的字符');
    expect(problems[5].message).toBe('姓名不能超过 100 个字符');
  });

  it('reads roles by their Chinese names or codes, and names an unknown one', () => {
    expect(parseRoles('督查室')).toEqual([Role.Supervisor]);
    expect(parseRoles('县领导 / 管理员')).toEqual([Role.Leader, Role.Admin]);
    expect(parseRoles('HEAD；staff；负责人')).toEqual([Role.Staff, Role.Head]);
    expect(parseRoles('')).toBe('角色不能为空');
    expect(parseRoles('staff,boss')).toMatch(/^角色“boss”无效/);
  });
});

describe('planning an import against the existing users', () => {
  it('creates new usernames, leaves identical users alone, and reports a username that exists differently', () => {
    const { candidates } = checkStaffRows(
      [
        { row: 2, cells: { 用户名: 'new', 姓名: '新人', 单位: '审批局', 角色: 'staff', 手机: '', 邮箱: '' } },
        { row: 3, cells: { 用户名: 'same', 姓名: '老人', 单位: '审批局', 角色: 'staff', 手机: '', 邮箱: '' } },
        { row: 4, cells: { 用户名: 'moved', 姓名: '调人', 单位: '审批局', 角色: 'head', 手机: '', 邮箱: '' } },
      ],
      REGISTRY,
    );
    const existing = new Map([
      ['same', { username: 'same', displayName: '老人', unitId: 'shenpi', roles: ['staff'], phone: null, email: null }],
      ['moved', { username: 'moved', displayName: '调人', unitId: 'huangqu', roles: ['staff'] }],
    ]);
    const plan = planStaffImport(candidates, existing);
    expect(plan.create.map((c) => c.username)).toEqual(['new']);
    expect(plan.unchanged.map((c) => c.username)).toEqual(['same']);
    expect(plan.problems).toEqual([
      { row: 4, column: '用户名', message: expect.stringContaining('已存在，但单位、角色与现有账号不同') },
    ]);
    // Importing the same rows again once they exist: nothing to create.
    const after = new Map(candidates.map((c) => [c.username, { ...c, displayName: c.displayName }]));
    expect(planStaffImport(candidates, after)).toEqual({ create: [], unchanged: candidates, problems: [] });
  });
});

describe('the one-time password sheet', () => {
  it('is an .xlsx with one row per issued password', async () => {
    const bytes = await writePasswordSheet([
      { username: 'staff001', displayName: '工作人员1', unitName: '县审批局', password: 'Xy7-secret-1234' },
    ]);
    const workbook = new Workbook();
    await workbook.xlsx.load(bytes as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('初始密码');
    expect(sheet.getRow(1).values).toEqual([undefined, '用户名', '姓名', '单位', '初始密码（首次登录须修改）']);
    expect(sheet.getRow(2).values).toEqual([undefined, 'staff001', '工作人员1', '县审批局', 'Xy7-secret-1234']);
  });
});
