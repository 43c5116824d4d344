import { Workbook } from 'exceljs';
import { zipSync } from 'fflate';
import { queryRows, useStack } from '@county/test-kit';
import { FormPart, postForm } from './support/multipart';

/** Issue 14 §2: bulk import of staff through POST /users/import (admin only). */

const HEADER = ['用户名', '姓名', '单位', '角色', '手机', '邮箱'];
/** Registry names, an alias and a full name, as a county's own list mixes them. */
const UNIT_SPELLINGS = ['县审批局', '审批局', '平罗县行政审批服务局'];

function staffRows(count: number): unknown[][] {
  return Array.from({ length: count }, (_, index) => [
    `import.staff${String(index + 1).padStart(3, '0')}`,
    `导入人员${index + 1}`,
    UNIT_SPELLINGS[index % UNIT_SPELLINGS.length],
    index % 20 === 0 ? '负责人' : '工作人员',
    13900000000 + index,
    `import${index + 1}@example.cn`,
  ]);
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('人员名单');
  for (const row of [HEADER, ...rows]) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

interface ImportAnswer {
  dryRun: boolean;
  partial: boolean;
  totalRows: number;
  created: number;
  unchanged: number;
  problems: { row: number; column: string | null; message: string }[];
  rows: { row: number; username: string; unitId: string; outcome: string }[];
  passwordSheet: unknown;
}

const importedUsers = async () =>
  (await queryRows<{ count: number }>("SELECT count(*)::int AS count FROM users WHERE username LIKE 'import.%'"))[0]
    .count;

describe('bulk import of staff (POST /users/import)', () => {
  const stack = useStack({ users: ['admin', 'supervisor', 'approval.head'] });
  const upload = (query: string, parts: FormPart[], who = 'admin') =>
    postForm(`${stack.baseUrl}/users/import${query}`, stack.token(who), parts);
  const file = (filename: string, bytes: Uint8Array): FormPart => ({ name: 'file', filename, bytes });

  it('previews a 300-row .xlsx made here: every row would be created, units resolved by name, alias or full name, nothing written', async () => {
    const response = await upload('?dryRun=true', [file('名单.xlsx', await xlsx(staffRows(300)))]);
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as ImportAnswer;
    expect(answer).toMatchObject({ dryRun: true, partial: false, totalRows: 300, created: 300, unchanged: 0 });
    expect(answer.problems).toEqual([]);
    expect(answer.rows).toHaveLength(300);
    expect(new Set(answer.rows.map((row) => row.unitId))).toEqual(new Set(['approval']));
    expect(answer.rows[0]).toMatchObject({ row: 2, username: 'import.staff001', outcome: 'create' });
    expect(answer.passwordSheet).toBeNull();
    expect(await importedUsers()).toBe(0);
  });

  it('reports a file with three bad rows by row, column and Chinese message, and writes nothing', async () => {
    const rows = staffRows(300);
    rows[9][2] = '县不存在局'; // spreadsheet row 11
    rows[99][3] = '科长'; // row 101
    rows[199][0] = rows[0][0]; // row 201: the username of row 2 again
    const bytes = await xlsx(rows);

    const preview = JSON.parse((await upload('?dryRun=true', [file('bad.xlsx', bytes)])).text) as ImportAnswer;
    expect(preview.created).toBe(297);
    expect(preview.problems).toEqual([
      { row: 11, column: '单位', message: '单位“县不存在局”不在单位名录中（按名称、全称和别名都未找到）' },
      { row: 101, column: '角色', message: expect.stringMatching(/^角色“科长”无效/) },
      { row: 201, column: '用户名', message: '用户名“import.staff001”与第 2 行重复' },
    ]);

    const refused = await upload('', [file('bad.xlsx', bytes)]);
    expect(refused.status).toBe(422);
    const problem = JSON.parse(refused.text) as { code: string; detail: string; problems: ImportAnswer['problems'] };
    expect(problem.code).toBe('INVALID_DOCUMENT');
    expect(problem.detail).toMatch(/有 3 处错误，未导入任何人员/);
    expect(problem.problems.map((p) => `${p.row}:${p.column}`)).toEqual(['11:单位', '101:角色', '201:用户名']);
    expect(await importedUsers()).toBe(0);
  });

  it('reads a .csv (UTF-8 with BOM) the same way', async () => {
    const csv = '\ufeff用户名,姓名,单位,角色\r\nimport.csv1,甲,审批局,"工作人员,负责人"\r\n';
    const answer = JSON.parse(
      (await upload('?dryRun=true', [file('名单.csv', Buffer.from(csv))])).text,
    ) as ImportAnswer;
    expect(answer).toMatchObject({ totalRows: 1, created: 1, problems: [] });
  });

  it('compares with the users that exist: a demo user listed unchanged is left alone, one listed differently is an error', async () => {
    const csv = [
      '用户名,姓名,单位,角色',
      'approval.head,县审批局负责人,县审批局,负责人',
      'approval.staff,别的名字,县审批局,工作人员',
    ].join('\n');
    const answer = JSON.parse((await upload('?dryRun=true', [file('a.csv', Buffer.from(csv))])).text) as ImportAnswer;
    expect(answer).toMatchObject({ created: 0, unchanged: 1 });
    expect(answer.rows).toEqual([expect.objectContaining({ username: 'approval.head', outcome: 'unchanged' })]);
    expect(answer.problems).toEqual([
      { row: 3, column: '用户名', message: expect.stringContaining('已存在，但姓名与现有账号不同') },
    ]);
  });

  it('answers hostile or wrong files with a 4xx problem, never a 500', async () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(40 * 1024 * 1024) }, { level: 9 });
    const cases: [string, FormPart[], string, number, RegExp][] = [
      ['a zip bomb', [file('bomb.xlsx', bomb)], '?dryRun=true', 422, /解压后超过 16 MB/],
      ['garbage named .xlsx', [file('a.xlsx', Buffer.from('PK\u0003\u0004garbage'))], '?dryRun=true', 422, /无法读取/],
      ['a .docx', [file('a.docx', await xlsx([]))], '?dryRun=true', 422, /只能导入 .xlsx 或 .csv/],
      ['over 2 MB', [file('a.csv', Buffer.alloc(2 * 1024 * 1024 + 1, 0x41))], '?dryRun=true', 413, /超过 2 MB/],
      ['an unknown column', [file('a.csv', Buffer.from('用户名,密码\n'))], '?dryRun=true', 422, /“密码”不是可导入的列/],
      ['an unknown field', [{ name: 'note', value: 'x' }], '?dryRun=true', 400, /note should not exist/],
      ['no file', [], '?dryRun=true', 400, /请上传人员名单/],
      [
        'two files',
        [file('a.csv', Buffer.from('x')), file('b.csv', Buffer.from('y'))],
        '?dryRun=true',
        413, // the multipart plugin stops at the second file itself
        /一个文件|exactly one|files/,
      ],
      ['dryRun=maybe', [file('a.csv', Buffer.from('x'))], '?dryRun=maybe', 400, /dryRun must be true or false/],
    ];
    for (const [name, parts, query, status, detail] of cases) {
      const response = await upload(query, parts);
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((JSON.parse(response.text) as { detail: string }).detail).toMatch(detail);
    }
    const notMultipart = await fetch(`${stack.baseUrl}/users/import?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notMultipart.status).toBe(400);
    expect(await importedUsers()).toBe(0);
  });

  it('is for admins only: the supervision office and a unit head get 403', async () => {
    const bytes = await xlsx(staffRows(2));
    for (const who of ['supervisor', 'approval.head']) {
      const response = await upload('?dryRun=true', [file('a.xlsx', bytes)], who);
      expect({ who, status: response.status }).toEqual({ who, status: 403 });
    }
  });
});
