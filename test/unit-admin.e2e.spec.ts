import { Client as PgClient } from 'pg';
import { prepareDatabase } from '@county/api';
import { login, ONE_TASK_LIST, request, TEST_DEMO_PASSWORD, useStack, waitFor } from '@county/test-kit';
import { createDatabaseIfMissing, dropDatabase } from '../scripts/src/postgres';

interface Unit {
  id: string;
  name: string;
  fullName: string;
  aliases: string[];
  retired: boolean;
  mergedInto: string | null;
  allowedActions: string[];
}

/**
 * 单位管理 (issue 14 §3): rename and merge a unit while it has open assignments. Merging changes the registry and
 * moves users, so the suite runs on a database of its own (the run's shared one keeps its units for the others).
 */
describe('unit administration: rename, merge and retire while work is open', () => {
  const name = `county_units_${process.pid}_${Date.now()}`;
  const serverUrl = new URL(process.env.DATABASE_URL!);
  const adminUrl = Object.assign(new URL(serverUrl), { pathname: '/postgres' }).toString();
  const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  const sql = async <T>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new PgClient({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await createDatabaseIfMissing(adminUrl, name);
    await prepareDatabase({ databaseUrl, demoPassword: TEST_DEMO_PASSWORD });
  }, 60_000);
  const stack = useStack({
    worker: true,
    databaseUrl,
    users: ['admin', 'supervisor', 'approval.head', 'finance.staff', 'civil-affairs.staff', 'civil-affairs.head'],
    plan: {},
  });
  afterAll(() => dropDatabase(adminUrl, name), 60_000);

  const units = async () => (await stack.as<{ items: Unit[] }>('admin', 'GET', '/units')).body.items;
  const unitNamed = async (id: string) => (await units()).find((unit) => unit.id === id)!;
  const previewUnits = async (text: string) => {
    const form = new FormData();
    form.append('file', new Blob([text]), 'plan.txt');
    const response = await fetch(`${stack.baseUrl}/plans/preview`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${stack.token('supervisor')}` },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { units: { resolved: Record<string, string>; retired: string[] } }).units;
  };
  const auditActions = async (unitId: string) =>
    (
      await sql<{ action: string }>(
        `SELECT action FROM audit_events WHERE subject_type = 'unit' AND subject_id = $1 ORDER BY seq`,
        [unitId],
      )
    ).map((row) => row.action);

  it('renames a unit: the old name stays an alias and still resolves in an import; audited', async () => {
    const renamed = await stack.as<Unit>('admin', 'PATCH', '/units/finance', { name: '县财政金融局' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: 'finance', name: '县财政金融局', retired: false });
    expect(renamed.body.aliases).toContain('县财政局');
    // The plan imported under the old name is the same unit's work: its open assignment is untouched.
    expect(stack.assignmentOf('finance').id).toBeDefined();
    expect((await previewUnits(ONE_TASK_LIST)).resolved['县财政局']).toBe('finance');
    expect(await auditActions('finance')).toEqual(['unit.renamed']);
    // Taking a name another unit carries is a conflict, and changes nothing.
    const clash = await stack.as('admin', 'PATCH', '/units/finance', { name: '县审批局' });
    expect(clash.status).toBe(409);
    expect((await unitNamed('finance')).name).toBe('县财政金融局');
  });

  it('merges 县民政局 into the renamed 县财政局 while its assignment is open: nothing is lost', async () => {
    const civil = stack.assignmentOf('civil-affairs');
    expect(civil.status).toBe('assigned');
    const oldToken = stack.token('civil-affairs.staff');

    const merged = await stack.as<Record<string, unknown>>('admin', 'POST', '/units/civil-affairs/merge', {
      intoUnitId: 'finance',
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({
      retired: { id: 'civil-affairs', retired: true, mergedInto: 'finance', allowedActions: [] },
      survivor: { id: 'finance' },
      openAssignments: 1,
      movedUsers: 2,
    });
    expect(await auditActions('civil-affairs')).toEqual(['unit.merged']);

    // The retired unit's users now belong to the survivor; their old tokens are refused at once.
    expect((await request(stack.baseUrl, 'GET', '/me', { token: oldToken })).status).toBe(401);
    const movedToken = await login(stack.baseUrl, 'civil-affairs.staff');
    expect(
      (await request<{ unit: { id: string } }>(stack.baseUrl, 'GET', '/me', { token: movedToken })).body.unit.id,
    ).toBe('finance');

    // The survivor's own staff sees the moved work in 待办 and can act on it (the workflow accepts them).
    type Inbox = { items: Array<{ kind: string; assignmentId: string | null; allowedActions: string[] }> };
    const inbox = (await stack.as<Inbox>('finance.staff', 'GET', '/inbox?limit=500')).body.items;
    expect(inbox).toContainEqual(
      expect.objectContaining({
        kind: 'work',
        assignmentId: civil.id,
        allowedActions: expect.arrayContaining(['acknowledge']),
      }),
    );
    await stack.assignments.submit('finance.staff', civil.id, { summary: '并入后由县财政金融局完成', evidence: [] });
    expect((await stack.assignments.act('approval.head', civil.id, 'approve', {})).status).toBe(200);
    await waitFor(
      'the approval in the read model',
      async () => (await stack.assignments.status(civil.id)) === 'approved',
      10_000,
    );
    const actors = await sql<{ action: string; actor_unit_id: string }>(
      `SELECT action, actor_unit_id FROM audit_events WHERE subject_id = $1 AND action = 'assignment.submit'`,
      [civil.id],
    );
    expect(actors).toEqual([{ action: 'assignment.submit', actor_unit_id: 'finance' }]);

    // A user of another unit still cannot act on it (the mapping is the survivor's only).
    const finance = stack.assignmentOf('finance');
    expect((await stack.assignments.act('approval.head', finance.id, 'acknowledge', {})).status).toBe(403);

    // The dashboard counts the moved work under the survivor; the retired unit has no row of its own.
    type Board = { assignments: { units: Array<{ unitId: string; total: number; approved: number }> } };
    const board = (await stack.as<Board>('supervisor', 'GET', '/dashboard')).body;
    const rows = board.assignments.units;
    expect(rows.find((row) => row.unitId === 'civil-affairs')).toBeUndefined();
    expect(rows.find((row) => row.unitId === 'finance')).toMatchObject({ total: 2, approved: 1 });

    // The retired unit's old name still resolves in an import — to the survivor.
    const resolution = await previewUnits(ONE_TASK_LIST);
    expect(resolution.resolved).toMatchObject({ 县民政局: 'finance', 县财政局: 'finance' });
    const plan = await stack.importAndStart(ONE_TASK_LIST);
    expect(plan.tasks[0].assignments.map((assignment) => assignment.unitId).sort()).toEqual(['approval', 'finance']);
  });

  it('a retired unit is not offered or accepted for new work; merging or retiring it again is a conflict', async () => {
    expect((await stack.as('admin', 'POST', '/units/civil-affairs/merge', { intoUnitId: 'finance' })).status).toBe(409);
    expect((await stack.as('admin', 'POST', '/units/civil-affairs/retire')).status).toBe(409);
    expect((await stack.as('admin', 'PATCH', '/units/civil-affairs', { name: '县民政新局' })).status).toBe(409);
    expect((await stack.as('admin', 'POST', '/units/finance/merge', { intoUnitId: 'finance' })).status).toBe(400);
    expect((await stack.as('admin', 'POST', '/units/finance/merge', { intoUnitId: 'nowhere' })).status).toBe(400);
    expect((await stack.as('admin', 'POST', '/units/nowhere/retire')).status).toBe(404);
    // 加签 a retired unit onto a task: refused by name.
    const task = stack.plan.tasks[0];
    const added = await stack.as<{ detail: string }>('approval.head', 'POST', `/tasks/${task.id}/units`, {
      unitId: 'civil-affairs',
      reason: '补充责任单位',
    });
    expect(added.status).toBe(400);
    expect(added.body.detail).toContain('已撤销');
  });

  it('adds a unit, retires it once it has nothing left; its name is then refused by plan import', async () => {
    const added = await stack.as<Unit>('admin', 'POST', '/units', {
      id: 'archives',
      name: '县档案馆',
      fullName: '平罗县档案馆',
      kind: 'county-dept',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: 'archives', retired: false, allowedActions: ['rename', 'merge', 'retire'] });
    expect(
      (
        await stack.as('admin', 'POST', '/units', {
          ...added.body,
          allowedActions: undefined,
          retired: undefined,
          mergedInto: undefined,
          aliases: [],
        })
      ).status,
    ).toBe(409);
    // A unit with open work is merged, not retired.
    expect((await stack.as('admin', 'POST', '/units/approval/retire')).status).toBe(409);
    const retired = await stack.as<Unit>('admin', 'POST', '/units/archives/retire');
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ retired: true, mergedInto: null });
    expect(await auditActions('archives')).toEqual(['unit.added', 'unit.retired']);

    const text = ONE_TASK_LIST.replace('\t县财政局、县民政局', '\t县档案馆');
    expect((await previewUnits(text)).retired).toEqual(['县档案馆']);
    const form = new FormData();
    form.append('file', new Blob([text]), 'plan.txt');
    form.append('allowNewUnits', 'true');
    const refused = await fetch(`${stack.baseUrl}/plans`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${stack.token('supervisor')}` },
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { retired: string[] }).retired).toEqual(['县档案馆']);
  });

  it('merges a called unit while a call waits for it: the survivor answers it; a new call to the retired unit is refused', async () => {
    const raised = await stack.calls.raise('chengguan.staff', 'justice');
    expect(raised.status).toBe(201);
    const callId = raised.body.id as string;
    expect((await stack.as('admin', 'POST', '/units/justice/merge', { intoUnitId: 'finance' })).body).toMatchObject({
      openCalls: 1,
    });
    type CallInbox = { calls: Array<{ callId: string; allowedActions: string[] }> };
    const inbox = (await stack.as<CallInbox>('finance.staff', 'GET', '/inbox?limit=500')).body.calls;
    expect(inbox).toContainEqual(
      expect.objectContaining({ callId, allowedActions: expect.arrayContaining(['respond']) }),
    );
    const responded = await stack.calls.act('finance.staff', callId, 'respond', { note: '已签收（原县司法局事项）' });
    expect({ status: responded.status, call: responded.body.status }).toEqual({ status: 200, call: 'responded' });
    // Another county unit still cannot touch it.
    expect((await stack.calls.act('approval.head', callId, 'resolve', { resolution: '越权' })).status).toBe(403);

    const refused = await stack.calls.raise('chengguan.staff', 'justice');
    expect(refused.status).toBe(400);
    expect(String((refused.body as unknown as { detail: string }).detail)).toContain('已撤销');
  });

  it('a restart keeps the administered registry (the seed only adds missing units)', async () => {
    await prepareDatabase({ databaseUrl, demoPassword: TEST_DEMO_PASSWORD });
    expect(await unitNamed('finance')).toMatchObject({ name: '县财政金融局' });
    expect(await unitNamed('civil-affairs')).toMatchObject({ retired: true, mergedInto: 'finance' });
  });
});
