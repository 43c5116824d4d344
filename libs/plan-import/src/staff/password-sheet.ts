import { Workbook } from 'exceljs';

export interface IssuedPassword {
  username: string;
  displayName: string;
  unitName: string;
  password: string;
}

export const PASSWORD_SHEET_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The one-time passwords of an import, as an .xlsx to hand out: made once, in memory, never stored.
 * Each must be changed at first login.
 */
export async function writePasswordSheet(passwords: readonly IssuedPassword[]): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('初始密码');
  sheet.columns = [
    { header: '用户名', key: 'username', width: 24 },
    { header: '姓名', key: 'displayName', width: 16 },
    { header: '单位', key: 'unitName', width: 24 },
    { header: '初始密码（首次登录须修改）', key: 'password', width: 30 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const entry of passwords) sheet.addRow(entry);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
