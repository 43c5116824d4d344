import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { hash } from '@node-rs/argon2';
import { createDatabaseIfMissing, dropDatabase } from '@county/scripts/dist/postgres';
import { importAndStart, ImportedPlan, ONE_TASK_LIST, queryRows, useStack } from '@county/test-kit';

const run = promisify(execFile);
const ADMIN_CLI = path.resolve(__dirname, '../scripts/dist/admin.js');

/**
 * Issue 14, must show 1: a production installation (NODE_ENV=production, no demo users) that someone can log in
 * to. create-admin → forced password change → the admin creates a supervisor, a head and a staff member →
 * they work an assignment → disabling and a role change revoke tokens at once.
 */
describe('accounts in production: from an empty database to people working an assignment', () => {
  const adminUrl = new URL(process.env.DATABASE_URL!);
  adminUrl.pathname = '/postgres';
  const database = `county_accounts_${process.pid}_${Date.now()}`;
  const databaseUrl = (() => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database}`;
    return url.toString();
  })();
  const createAdmin = (username: string) =>
    run(process.execPath, [ADMIN_CLI, 'create-admin', username], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });

  let firstAdminPassword = '';
  beforeAll(async () => {
    await createDatabaseIfMissing(adminUrl.toString(), database);
    // The command runs the migrations itself: the database is empty until then.
    const { stdout } = await createAdmin('root');
    firstAdminPassword = stdout.trim().split('\n').pop()!.trim();
  }, 120_000);

  const stack = useStack(() => ({
    worker: true,
    databaseUrl,
    apiEnv: { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), DEMO_PASSWORD: '' },
  }));

  afterAll(async () => {
    await dropDatabase(adminUrl.toString(), database).catch(() => undefined);
  });

  type LoginBody = { accessToken: string; user: { id: string; mustChangePassword: boolean }; code?: string };
  type Problem = { code: string; detail: string; passwordChangeRequired?: boolean };
  type Account = { id: string; username: string; roles: string[]; disabled: boolean; allowedActions: string[] };
  const loginAs = (username: string, password: string) =>
    stack.request<LoginBody>('POST', '/auth/login', { body: { username, password } });
  const call = <T = Problem>(token: string, method: string, route: string, body?: unknown) =>
    stack.request<T>(method, route, { token, body });

  /** Logs in with the one-time password and replaces it; the new token. */
  const firstLogin = async (username: string, oneTime: string, newPassword: string) => {
    const first = await loginAs(username, oneTime);
    expect(first.status).toBe(200);
    expect(first.body.user.mustChangePassword).toBe(true);
    const changed = await call<LoginBody>(first.body.accessToken, 'POST', '/auth/password', {
      currentPassword: oneTime,
      newPassword,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    return changed.body.accessToken;
  };

  let admin = '';
  const ids: Record<string, string> = {};
  const passwords: Record<string, string> = {};

  it('has no demo users, and create-admin refuses a user that exists (changing nothing)', async () => {
    for (const demo of ['admin', 'supervisor', 'finance.staff']) {
      expect((await loginAs(demo, process.env.DEMO_PASSWORD || 'test-demo-password')).status).toBe(401);
    }
    expect(firstAdminPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    const before = await queryRows<{ password_hash: string }>(`SELECT password_hash FROM users`, [], databaseUrl);
    await expect(createAdmin('root')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('已存在') });
    expect(await queryRows(`SELECT password_hash FROM users`, [], databaseUrl)).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it('first login with the one-time password allows only changing it (and /me, logout)', async () => {
    const first = await loginAs('root', firstAdminPassword);
    expect(first.status).toBe(200);
    expect(first.body.user.mustChangePassword).toBe(true);
    const oneTimeToken = first.body.accessToken;

    for (const [method, route] of [
      ['GET', '/users'],
      ['GET', '/units'],
      ['GET', '/inbox?limit=500'],
    ]) {
      const refused = await call(oneTimeToken, method, route);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toContain('请先修改密码');
      expect(refused.body.passwordChangeRequired).toBe(true);
    }
    const me = await call<{ mustChangePassword: boolean }>(oneTimeToken, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.mustChangePassword).toBe(true);

    // The password rules, in Chinese, naming the field; a wrong current password is refused too.
    for (const [body, message] of [
      [{ currentPassword: firstAdminPassword, newPassword: 'short' }, '至少需要 10 个字符'],
      [{ currentPassword: firstAdminPassword, newPassword: 'root-2027-password' }, '不能包含用户名'],
      [{ currentPassword: firstAdminPassword, newPassword: 'password123' }, '过于常见'],
      [{ currentPassword: 'not-the-password', newPassword: '督查室-管理-2027' }, '当前密码不正确'],
    ] as const) {
      const refused = await call(oneTimeToken, 'POST', '/auth/password', body);
      expect(refused.status).toBe(400);
      expect(refused.body.detail).toContain(message);
    }

    const changed = await call<LoginBody>(oneTimeToken, 'POST', '/auth/password', {
      currentPassword: firstAdminPassword,
      newPassword: '督查室-管理-2027',
    });
    expect(changed.status).toBe(200);
    admin = changed.body.accessToken;
    // The one-time token is revoked with the password it came from; the new one works everywhere.
    expect((await call(oneTimeToken, 'GET', '/me')).status).toBe(401);
    expect((await call(admin, 'GET', '/units')).status).toBe(200);
    expect((await loginAs('root', firstAdminPassword)).status).toBe(401);
    expect((await loginAs('root', '督查室-管理-2027')).body.user.mustChangePassword).toBe(false);
  });

  it('the admin creates a supervisor, a head and a staff member; bad input is refused, naming it', async () => {
    const create = (body: Record<string, unknown>) =>
      call<{ user: Account; oneTimePassword: string } & Problem>(admin, 'POST', '/users', body);
    for (const [username, unitId, roles] of [
      ['du.cha', 'supervision', ['supervisor']],
      ['cai.head', 'finance', ['head']],
      ['cai.staff', 'finance', ['staff']],
    ] as const) {
      const created = await create({ username, displayName: `${username}姓名`, unitId, roles, phone: '13909520000' });
      expect(created.status).toBe(201);
      expect(created.body.user).toMatchObject({ username, unitId, roles, disabled: false, mustChangePassword: true });
      expect(created.body.user.allowedActions).toEqual(['edit', 'reset-password', 'disable']);
      ids[username] = created.body.user.id;
      passwords[username] = created.body.oneTimePassword;
    }

    const duplicate = await create({ username: 'cai.staff', displayName: '重复', unitId: 'finance', roles: ['staff'] });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.detail).toContain('cai.staff');
    const unknownUnit = await create({
      username: 'x.y',
      displayName: '某人',
      unitId: 'no-such-unit',
      roles: ['staff'],
    });
    expect(unknownUnit.status).toBe(400);
    expect(unknownUnit.body.detail).toContain('no-such-unit');
    const unknownRole = await create({ username: 'x.y', displayName: '某人', unitId: 'finance', roles: ['boss'] });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.detail).toContain('boss');
    const blank = await create({ username: 'x.y', displayName: '   ', unitId: 'finance', roles: ['staff'] });
    expect(blank.status).toBe(400);
    expect(blank.body.detail).toContain('displayName');
    expect(await queryRows(`SELECT 1 FROM users WHERE username = 'x.y'`, [], databaseUrl)).toHaveLength(0);

    const list = await call<{ items: Account[]; total: number }>(admin, 'GET', '/users?unitId=finance');
    expect(list.body.items.map((user) => user.username)).toEqual(['cai.head', 'cai.staff']);
    const byRole = await call<{ items: Account[]; total: number }>(admin, 'GET', '/users?role=head');
    expect(byRole.body.items.map((user) => user.username)).toEqual(['cai.head']);
    const byText = await call<{ items: Account[]; total: number }>(admin, 'GET', '/users?text=du.&limit=1');
    expect(byText.body).toMatchObject({ total: 1, items: [{ username: 'du.cha' }] });
    const paged = await call<{ items: Account[]; total: number }>(admin, 'GET', '/users?limit=2&offset=2');
    expect(paged.body.total).toBe(4);
    expect(paged.body.items.map((user) => user.username)).toEqual(['du.cha', 'root']);
  });

  let plan: ImportedPlan;
  const tokens: Record<string, string> = {};

  it('they log in, change their one-time passwords, and work an assignment of their unit', async () => {
    for (const username of ['du.cha', 'cai.head', 'cai.staff']) {
      tokens[username] = await firstLogin(username, passwords[username], `${username.length}号-平罗县-改革-任务`);
    }
    // Only the admin administers users: a head (or the supervisor) is refused.
    expect((await call(tokens['cai.head'], 'GET', '/users')).status).toBe(403);
    expect((await call(tokens['du.cha'], 'POST', '/users', { username: 'z.z' })).status).toBe(403);

    plan = await importAndStart(stack.api, tokens['du.cha'], ONE_TASK_LIST, {}, { databaseUrl });
    const assignment = plan.tasks[0].assignments.find((candidate) => candidate.unitId === 'finance')!;
    const acknowledged = await call<{ status: string }>(
      tokens['cai.staff'],
      'POST',
      `/assignments/${assignment.id}/acknowledge`,
      {},
    );
    expect(acknowledged.status).toBe(200);
    const submitted = await call<{ status: string }>(
      tokens['cai.head'],
      'POST',
      `/assignments/${assignment.id}/submit`,
      {
        summary: '代办清单已制定',
        evidence: [],
      },
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('submitted');
  });

  it('disabling a user makes their existing token 401 at once, and their login fails; enabling lets them in again', async () => {
    const staffToken = tokens['cai.staff'];
    expect((await call(staffToken, 'GET', '/me')).status).toBe(200);
    const disabled = await call<Account>(admin, 'PATCH', `/users/${ids['cai.staff']}`, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ disabled: true, allowedActions: ['edit', 'reset-password', 'enable'] });
    expect((await call(staffToken, 'GET', '/me')).status).toBe(401);
    expect((await loginAs('cai.staff', 'cai.staff'.length + '号-平罗县-改革-任务')).status).toBe(401);

    expect((await call(admin, 'PATCH', `/users/${ids['cai.staff']}`, { disabled: false })).status).toBe(200);
    expect((await loginAs('cai.staff', '9号-平罗县-改革-任务')).status).toBe(200);
  });

  it('a role change makes the old token 401; a phone change does not', async () => {
    const headToken = tokens['cai.head'];
    const phone = await call<Account>(admin, 'PATCH', `/users/${ids['cai.head']}`, { phone: '0952-6012345' });
    expect(phone.status).toBe(200);
    expect((await call(headToken, 'GET', '/me')).status).toBe(200);

    const demoted = await call<Account>(admin, 'PATCH', `/users/${ids['cai.head']}`, { roles: ['staff'] });
    expect(demoted.status).toBe(200);
    expect(demoted.body.roles).toEqual(['staff']);
    expect((await call(headToken, 'GET', '/me')).status).toBe(401);
    const again = await loginAs('cai.head', '8号-平罗县-改革-任务');
    expect((await call<{ roles: string[] }>(again.body.accessToken, 'GET', '/me')).body.roles).toEqual(['staff']);
  });

  it('refuses disabling yourself and removing the last admin (409), and allows it once there is another', async () => {
    const self = await call(admin, 'PATCH', `/users/${ids.root ?? (await rootId())}`, { disabled: true });
    expect(self.status).toBe(409);
    expect(self.body.detail).toContain('自己');
    const lastAdmin = await call(admin, 'PATCH', `/users/${await rootId()}`, { roles: ['supervisor'] });
    expect(lastAdmin.status).toBe(409);
    expect(lastAdmin.body.detail).toContain('最后一位系统管理员');

    expect((await call(admin, 'PATCH', `/users/${ids['du.cha']}`, { roles: ['supervisor', 'admin'] })).status).toBe(
      200,
    );
    const handedOver = await call<Account>(admin, 'PATCH', `/users/${await rootId()}`, { roles: ['supervisor'] });
    expect(handedOver.status).toBe(200);
    // root is no admin any more, and its token (under the old roles) is revoked.
    expect((await call(admin, 'GET', '/users')).status).toBe(401);
    admin = (await loginAs('du.cha', '6号-平罗县-改革-任务')).body.accessToken;
    expect((await call(admin, 'GET', '/users')).status).toBe(200);
  });

  it('a reset gives a new one-time password: the old password and tokens stop working, the next login must change it', async () => {
    const before = await loginAs('cai.staff', '9号-平罗县-改革-任务');
    const reset = await call<{ oneTimePassword: string; user: Account }>(
      admin,
      'POST',
      `/users/${ids['cai.staff']}/reset-password`,
    );
    expect(reset.status).toBe(200);
    expect((await call(before.body.accessToken, 'GET', '/me')).status).toBe(401);
    expect((await loginAs('cai.staff', '9号-平罗县-改革-任务')).status).toBe(401);
    const next = await loginAs('cai.staff', reset.body.oneTimePassword);
    expect(next.body.user.mustChangePassword).toBe(true);
    expect((await call(next.body.accessToken, 'GET', '/inbox?limit=500')).status).toBe(403);
    expect((await call(admin, 'GET', `/users/not-a-uuid`)).status).toBe(404);
    expect((await call(admin, 'POST', `/users/${randomUuid()}/reset-password`)).status).toBe(404);
  });

  it('a hash made with older parameters still logs in, and is replaced by a current argon2id one', async () => {
    const older = await hash('an-older-password-2020', { algorithm: 1, memoryCost: 4096, timeCost: 3 } as never);
    await queryRows(
      `UPDATE users SET password_hash = $1, must_change_password = false WHERE username = 'cai.head'`,
      [older],
      databaseUrl,
    );
    expect((await loginAs('cai.head', 'an-older-password-2020')).status).toBe(200);
    const [{ password_hash }] = await queryRows<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE username = 'cai.head'`,
      [],
      databaseUrl,
    );
    expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const again = await loginAs('cai.head', 'an-older-password-2020');
    expect((await call(again.body.accessToken, 'GET', '/me')).status).toBe(200);
  });

  it('recorded every change as an audit event, without any password or hash', async () => {
    const events = await queryRows<{ action: string; actor_user_id: string | null; payload: Record<string, unknown> }>(
      `SELECT action, actor_user_id, payload FROM audit_events WHERE subject_type = 'user' ORDER BY seq`,
      [],
      databaseUrl,
    );
    const actions = events.map((event) => event.action);
    expect(actions.filter((action) => action === 'user.created')).toHaveLength(4);
    expect(actions.filter((action) => action === 'user.password-changed')).toHaveLength(4);
    expect(actions).toContain('user.password-reset');
    expect(actions.filter((action) => action === 'user.updated')).toHaveLength(6);
    expect(events[0].actor_user_id).toBeNull(); // create-admin: nobody signed in
    const disabling = events.find((event) => event.action === 'user.updated')!;
    expect(disabling.payload).toMatchObject({
      before: { disabled: false },
      after: { disabled: true },
      tokensRevoked: true,
    });
    expect(JSON.stringify(events)).not.toMatch(/argon2|号-平罗县/);
  });

  it('never stores an answer holding a one-time password or a token for Idempotency-Key replay', async () => {
    const headers = { 'idempotency-key': `accounts-${Date.now()}` };
    const created = await stack.request<{ user: Account; oneTimePassword: string }>('POST', '/users', {
      token: admin,
      headers,
      body: { username: 'idem.probe', displayName: '幂等', unitId: 'finance', roles: ['staff'] },
    });
    expect(created.status).toBe(201);
    const reset = await stack.request<{ oneTimePassword: string }>(
      'POST',
      `/users/${created.body.user.id}/reset-password`,
      {
        token: admin,
        headers: { 'idempotency-key': `${headers['idempotency-key']}-reset` },
      },
    );
    expect(reset.status).toBe(200);
    const first = await loginAs('idem.probe', reset.body.oneTimePassword);
    const changed = await stack.request<LoginBody>('POST', '/auth/password', {
      token: first.body.accessToken,
      headers: { 'idempotency-key': `${headers['idempotency-key']}-password` },
      body: { currentPassword: reset.body.oneTimePassword, newPassword: '幂等-探针-密码-2027' },
    });
    expect(changed.status).toBe(200);
    const stored = JSON.stringify(await queryRows(`SELECT * FROM idempotency_keys`, [], databaseUrl));
    for (const secret of [created.body.oneTimePassword, reset.body.oneTimePassword, changed.body.accessToken]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('a unit change revokes the token too; two admins demoting each other at once: exactly one succeeds', async () => {
    const probe = await loginAs('idem.probe', '幂等-探针-密码-2027');
    const [{ id: probeId }] = await queryRows<{ id: string }>(
      `SELECT id FROM users WHERE username = 'idem.probe'`,
      [],
      databaseUrl,
    );
    expect((await call(admin, 'PATCH', `/users/${probeId}`, { unitId: 'civil-affairs' })).status).toBe(200);
    expect((await call(probe.body.accessToken, 'GET', '/me')).status).toBe(401);

    // du.cha (admin) makes root an admin again; then each demotes the other, at the same moment.
    expect((await call(admin, 'PATCH', `/users/${await rootId()}`, { roles: ['supervisor', 'admin'] })).status).toBe(
      200,
    );
    const rootToken = (await loginAs('root', '督查室-管理-2027')).body.accessToken;
    const answers = await Promise.all([
      call(admin, 'PATCH', `/users/${await rootId()}`, { roles: ['supervisor'] }),
      call(rootToken, 'PATCH', `/users/${ids['du.cha']}`, { roles: ['supervisor'] }),
    ]);
    // The loser is refused as the last admin (409) — or, if the winner committed before its guard ran, its token
    // was revoked with its roles (401). Either way one admin is left, never none.
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const [{ admins }] = await queryRows<{ admins: number }>(
      `SELECT count(*)::int AS admins FROM users WHERE 'admin' = ANY(roles) AND NOT disabled`,
      [],
      databaseUrl,
    );
    expect(admins).toBe(1);
  });

  const rootId = async () => {
    const [{ id }] = await queryRows<{ id: string }>(`SELECT id FROM users WHERE username = 'root'`, [], databaseUrl);
    return id;
  };
  const randomUuid = () => '0f0e0d0c-0b0a-4908-8706-050403020100';
});
