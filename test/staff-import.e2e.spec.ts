import { Workbook } from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
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

const createdEvents = async () =>
  (
    await queryRows<{ count: number }>(
      "SELECT count(*)::int AS count FROM audit_events WHERE action = 'user.created' AND payload->>'username' LIKE 'import.%'",
    )
  )[0].count;
const usersFingerprint = async () =>
  (
    await queryRows<{ md5: string }>(
      "SELECT md5(string_agg(u::text, '|' ORDER BY u.username)) AS md5 FROM users u WHERE username LIKE 'import.%'",
    )
  )[0].md5;

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

  it('imports the 300 rows: 300 users, each created through the POST /users path (audited, one-time password), the passwords once as an .xlsx', async () => {
    const auditBefore = await createdEvents();
    const response = await upload('', [file('名单.xlsx', await xlsx(staffRows(300)))]);
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as ImportAnswer;
    expect(answer).toMatchObject({ dryRun: false, partial: false, totalRows: 300, created: 300, unchanged: 0 });
    expect(answer.problems).toEqual([]);
    expect(answer.rows.every((row) => row.outcome === 'created')).toBe(true);
    expect(await importedUsers()).toBe(300);
    expect((await createdEvents()) - auditBefore).toBe(300);
    const stored = await queryRows<{ unit_id: string; roles: string[]; phone: string; must_change_password: boolean }>(
      "SELECT unit_id, roles, phone, must_change_password FROM users WHERE username = 'import.staff001'",
    );
    expect(stored).toEqual([
      { unit_id: 'approval', roles: ['head'], phone: '13900000000', must_change_password: true },
    ]);

    const sheet = answer.passwordSheet as { filename: string; contentType: string; base64: string };
    expect(sheet.filename).toMatch(/^初始密码-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(sheet.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new Workbook();
    await workbook.xlsx.load(Buffer.from(sheet.base64, 'base64') as never);
    const rows = workbook.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(rows).toHaveLength(301);
    const [, username, displayName, unitName, password] = rows[1];
    expect({ username, displayName, unitName }).toEqual({
      username: 'import.staff001',
      displayName: '导入人员1',
      unitName: '县审批局',
    });
    expect(new Set(rows.slice(1).map((row) => row[4])).size).toBe(300);
    // The password in the sheet is the user's: it logs in (and must be changed first, per POST /users).
    const login = await fetch(`${stack.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'import.staff001', password }),
    });
    expect(login.status).toBe(200);
    // Never stored: no table holds a password in clear.
    const leaked = await queryRows<{ count: number }>(
      'SELECT count(*)::int AS count FROM idempotency_keys WHERE response_text LIKE $1',
      [`%${String(password)}%`],
    );
    expect(leaked[0].count).toBe(0);
  }, 240_000);

  it('importing the same file again changes nothing: every row unchanged, no password sheet, no user or audit event added', async () => {
    const users = await usersFingerprint();
    const auditBefore = await createdEvents();
    const response = await upload('', [file('名单.xlsx', await xlsx(staffRows(300)))]);
    expect(response.status).toBe(200);
    const answer = JSON.parse(response.text) as ImportAnswer;
    expect(answer).toMatchObject({ created: 0, unchanged: 300, problems: [], passwordSheet: null, partial: false });
    expect(answer.rows.every((row) => row.outcome === 'unchanged')).toBe(true);
    expect(await usersFingerprint()).toBe(users);
    expect(await createdEvents()).toBe(auditBefore);
  }, 120_000);

  it('with partial=true imports only the valid rows of a file with errors, and says so', async () => {
    const rows = [...staffRows(300), ...staffRows(305).slice(300)]; // 5 new rows after the 300 that exist
    rows[301][2] = '县不存在局'; // row 303
    const answer = JSON.parse(
      (await upload('?partial=true', [file('more.xlsx', await xlsx(rows))])).text,
    ) as ImportAnswer;
    expect(answer).toMatchObject({ partial: true, created: 4, unchanged: 300 });
    expect(answer.problems).toEqual([{ row: 303, column: '单位', message: expect.stringContaining('县不存在局') }]);
    expect(await importedUsers()).toBe(304);
  }, 120_000);

  it('ignores an Idempotency-Key: the answer holds one-time passwords, which are never stored for replay', async () => {
    const csv = '用户名,姓名,单位,角色\nimport.idem,甲,审批局,工作人员\n';
    const send = () =>
      postForm(`${stack.baseUrl}/users/import`, stack.token('admin'), [file('a.csv', Buffer.from(csv))], {
        headers: { 'idempotency-key': 'staff-import-1' },
      });
    const first = JSON.parse((await send()).text) as ImportAnswer & { passwordSheet: { base64: string } };
    expect(first.created).toBe(1);
    const stored = await queryRows('SELECT 1 FROM idempotency_keys WHERE key = $1', ['staff-import-1']);
    expect(stored).toEqual([]);
    // A retry with the same key runs again (not replayed) and, the user existing now, creates nothing.
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.parse(again.text)).toMatchObject({ created: 0, unchanged: 1, passwordSheet: null });
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
    const users = await usersFingerprint();
    const notMultipart = await fetch(`${stack.baseUrl}/users/import?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token('admin')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notMultipart.status).toBe(400);
    expect(await usersFingerprint()).toBe(users);
  });

  it('refuses a file built to be slow to read (422), while /health keeps answering', async () => {
    // 200,000 rows of inline text: 14 MB of XML in a 900 KB .xlsx, about five seconds of exceljs. It is read in
    // a worker thread (readStaffTableInWorker: a timeout, its own heap, one parse at a time with plan imports);
    // exceljs also yields while it reads, so /health answered in about 0.2 s even when it was read in-process.
    const rows = Array.from(
      { length: 200_000 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>x</t></is></c></row>`,
    );
    const parts = unzipSync(new Uint8Array(await xlsx([])));
    parts['xl/worksheets/sheet1.xml'] = Buffer.from(
      `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`,
    );
    const slow = zipSync(parts, { level: 9 });
    expect(slow.byteLength).toBeLessThan(2 * 1024 * 1024);
    const started = Date.now();
    const upload_ = upload('?dryRun=true', [file('slow.xlsx', slow)]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const healthStarted = Date.now();
    const health = await fetch(`${stack.baseUrl}/health`);
    const healthMs = Date.now() - healthStarted;
    const response = await upload_;
    const uploadMs = Date.now() - started;
    console.log(`slow .xlsx: refused after ${uploadMs} ms; /health meanwhile answered in ${healthMs} ms`);
    expect(response.status).toBe(422);
    expect(JSON.parse(response.text).detail).toMatch(/超过 2000 行/);
    expect(health.status).toBe(200);
    expect(healthMs).toBeLessThan(Math.max(1_000, uploadMs / 3));
  });

  it('is for admins only: the supervision office and a unit head get 403', async () => {
    const bytes = await xlsx(staffRows(2));
    for (const who of ['supervisor', 'approval.head']) {
      const response = await upload('?dryRun=true', [file('a.xlsx', bytes)], who);
      expect({ who, status: response.status }).toEqual({ who, status: 403 });
    }
  });
});
