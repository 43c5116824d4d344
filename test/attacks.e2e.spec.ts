import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { freePort } from '@county/scripts/dist/free-port';
import {
  ImportedPlan,
  JsonResponse,
  login,
  ONE_TASK_LIST,
  openApiDocument,
  policyField,
  queryRows,
  request as sendRequest,
  RunningApi,
  startApi,
  useStack,
  waitFor,
} from '@county/test-kit';
import { pdfFile } from './support/files';
import { postForm } from './support/multipart';
import { readXlsx, records } from './support/xlsx';
import { CLIENT_ID, CLIENT_SECRET, RunningProvider, signInAtProvider, startProvider } from './support/oidc-provider';

/**
 * OWASP API Security Top 10 probes against the real API, worker, Temporal and PostgreSQL:
 * API1 object-level authorization, API3 mass assignment, API5 function-level authorization, API4 resource
 * consumption (body size, page size). API2 (alg:none, wrong key, expired tokens, login brute force → 429) is
 * covered by test/auth.e2e.spec.ts. "Nothing changes" is checked on the stored state itself: a fingerprint
 * of every table the API or the workflows write.
 */

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; schema?: { maximum?: number } }>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** Every table a request or a workflow could change (login attempts and idempotency keys are bookkeeping). */
const WATCHED_TABLES = [
  'plans',
  'tasks',
  'assignments',
  'extension_requests',
  'calls',
  'escalations',
  'notifications',
  'audit_events',
  'units',
  'users',
  'calendar_overrides',
  'calendar_years',
  'delegations',
  'channel_endpoints',
  'deliveries',
  'attachments',
  'attachment_links',
  'comments',
  'bulletins',
];

let fingerprintClient: PgClient | undefined;

/** One md5 per watched table, in one query on one connection (it runs before and after every probe). */
async function fingerprint(): Promise<Record<string, string>> {
  if (!fingerprintClient) {
    fingerprintClient = new PgClient({ connectionString: process.env.DATABASE_URL });
    await fingerprintClient.connect();
  }
  const columns = WATCHED_TABLES.map(
    (table) => `(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "${table}" t) AS "${table}"`,
  );
  return (await fingerprintClient.query(`SELECT ${columns.join(', ')}`)).rows[0] as Record<string, string>;
}

/** Waits until no background work (timers, projections) changes the stored state for a while. */
async function settle(quietMs = 2_000, timeoutMs = 60_000): Promise<void> {
  let last = JSON.stringify(await fingerprint());
  let quietSince = Date.now();
  await waitFor(
    'the stored state to stop changing',
    async () => {
      const now = JSON.stringify(await fingerprint());
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      }
      return Date.now() - quietSince >= quietMs;
    },
    timeoutMs,
    250,
  );
}

/** A valid robot or webhook (disabled: the worker never sends to it), so that only a probed field is wrong. */
const ENDPOINT_BODY = {
  unitId: 'finance',
  kind: 'webhook',
  name: '探针网关',
  url: 'https://oa.example.cn/hook',
  secret: 'probe-secret-0123456789',
  enabled: false,
};

const FAST_ESCALATION_POLICY = {
  assignment: {
    remindBefore: [],
    escalateAfter: [
      { after: 'PT0S', level: 1 },
      { after: 'PT1S', level: 2 },
      { after: 'PT2S', level: 3 },
    ],
  },
};

/** Every answer the suite got, by route: the last test checks that none was a 500, and prints the report. */
const answered: Array<{ probe: string; status: number }> = [];
async function request<T = Record<string, unknown>>(...args: Parameters<typeof sendRequest>): Promise<JsonResponse<T>> {
  const response = await sendRequest<T>(...args);
  answered.push({ probe: `${args[1]} ${args[2].split('?')[0]}`, status: response.status });
  return response;
}
/** Cases tried, by kind of probe, for the suite's report. */
const tried: Record<string, number> = {};
const count = (kind: string, cases: number) => (tried[kind] = (tried[kind] ?? 0) + cases);

describe('attacks (OWASP API Top 10)', () => {
  const stack = useStack({ worker: true, plan: {} });
  let openApi: OpenApiDocument;
  const ids: Record<string, string> = {};

  const token = (username: string) => stack.login(username);
  const finance = (of: ImportedPlan) => of.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;

  beforeAll(async () => {
    openApi = await openApiDocument<OpenApiDocument>(stack.api);
    const supervisor = await token('supervisor');

    const { plan } = stack;
    ids.plan = plan.id;
    ids.task = plan.tasks[0].id;
    ids.assignment = finance(plan).id;
    ids.user = (await queryRows<{ id: string }>(`SELECT id FROM users WHERE username = 'finance.staff'`))[0].id;

    const extension = await request<{ id: string }>(
      stack.api.baseUrl,
      'POST',
      `/assignments/${ids.assignment}/extension-requests`,
      {
        token: await token('finance.staff'),
        body: { requestedDueAt: '2027-09-30T23:59:59+08:00', reason: '等待上级文件' },
      },
    );
    expect(extension.status).toBe(201);
    ids.extensionRequest = extension.body.id;

    const call = await request<{ id: string }>(stack.api.baseUrl, 'POST', '/calls', {
      token: await token('chengguan.staff'),
      body: { toUnitId: 'justice', subject: '需要法律审核', description: '村规民约合法性审核', urgency: 'normal' },
    });
    expect(call.status).toBe(201);
    ids.call = call.body.id;

    // A second plan whose deadline has passed, so the escalation ladder runs to its top and stops.
    const late = await stack.importAndStart(ONE_TASK_LIST, policyField(FAST_ESCALATION_POLICY));
    const moved = await request(stack.api.baseUrl, 'POST', `/tasks/${late.tasks[0].id}/deadline`, {
      token: supervisor,
      body: { dueAt: new Date(Date.now() + 1_000).toISOString(), reason: '测试：越权' },
    });
    expect(moved.status).toBe(200);
    await waitFor(
      'the late assignment to reach escalation level 3',
      async () =>
        (await queryRows('SELECT 1 FROM escalations WHERE subject_id = $1 AND level = 3', [finance(late).id]))
          .length === 1,
      60_000,
      200,
    );
    ids.escalation = (
      await queryRows<{ id: string }>('SELECT id FROM escalations WHERE subject_id = $1 AND level = 1', [
        finance(late).id,
      ])
    )[0].id;

    // Issue 14 (承办人, 委派): a colleague of the outsider's own unit, and a delegation inside the lead unit.
    const idOf = async (username: string) =>
      (await request<{ id: string }>(stack.api.baseUrl, 'GET', '/me', { token: await token(username) })).body.id;
    ids.outsiderStaff = await idOf('market-regulation.staff');
    ids.financeStaff = await idOf('finance.staff');
    const delegation = await request<{ id: string }>(stack.api.baseUrl, 'POST', '/delegations', {
      token: await token('approval.head'),
      body: {
        deputyUserId: await idOf('approval.staff'),
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      },
    });
    expect(delegation.status).toBe(201);
    ids.delegation = delegation.body.id;

    await waitFor(
      "finance's task-assigned notification",
      async () => {
        const rows = await queryRows<{ id: string }>(
          `SELECT id FROM notifications WHERE recipient_unit_id = 'finance' AND subject_id = $1 AND kind = 'task-assigned'`,
          [ids.assignment],
        );
        ids.notification = rows[0]?.id;
        return rows.length === 1;
      },
      30_000,
    );
    // Issue 15: a robot endpoint (disabled: nothing is sent to it) and a dead letter, for the routes with their ids.
    const endpoint = await request<{ id: string }>(stack.api.baseUrl, 'POST', '/channel-endpoints', {
      token: await token('admin'),
      body: ENDPOINT_BODY,
    });
    expect(endpoint.status).toBe(201);
    ids.channelEndpoint = endpoint.body.id;
    // Issue 16: a file 县财政局 uploaded and attached to nothing yet (only its own unit may read it).
    const uploaded = await postForm(`${stack.api.baseUrl}/attachments`, await token('finance.staff'), [
      { name: 'file', filename: '佐证材料.pdf', bytes: pdfFile() },
    ]);
    expect(uploaded.status).toBe(201);
    ids.attachment = (JSON.parse(uploaded.text) as { id: string }).id;
    // Issue 17: a 督查通报 of this month, generated by the supervision office.
    ids.bulletinPeriod = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
    const bulletin = await request<{ id: string }>(stack.api.baseUrl, 'POST', '/bulletins', {
      token: supervisor,
      body: { period: ids.bulletinPeriod },
    });
    expect(bulletin.status).toBe(201);
    ids.bulletin = bulletin.body.id;
    ids.delivery = (
      await queryRows<{ id: string }>(
        `INSERT INTO deliveries (notification_id, channel, endpoint_id, address, dedupe_key, status, not_before)
         VALUES ($1, 'webhook', $2, 'https://oa.example.cn/hook', $3, 'dead', now()) RETURNING id`,
        [ids.notification, ids.channelEndpoint, `attack-fixture:${ids.notification}`],
      )
    )[0].id;
    await settle();
  }, 180_000);

  afterAll(async () => {
    await fingerprintClient?.end();
    // The suites share one database: the delegation made above must not make approval.staff a head in later suites.
    if (ids.delegation) await queryRows('UPDATE delegations SET revoked_at = now() WHERE id = $1', [ids.delegation]);
    if (ids.delivery) await queryRows('DELETE FROM deliveries WHERE id = $1', [ids.delivery]);
    if (ids.channelEndpoint) await queryRows('DELETE FROM channel_endpoints WHERE id = $1', [ids.channelEndpoint]);
  });

  /** The attacker is a real user of another unit, usually a head (the strongest role a unit has). */
  type Probe =
    { as: string; body?: unknown; expect: 403 | 404; why: string } | { as: string; expect: 200; why: string };
  const OUTSIDER = 'market-regulation.head';
  /** One row per route with an id in its path; the test fails when the API has a route this table lacks. */
  const OBJECT_LEVEL: Record<string, Probe> = {
    'GET /plans/{id}': { as: OUTSIDER, expect: 200, why: 'DESIGN §6: any user reads plans' },
    'POST /plans/{id}/start': { as: OUTSIDER, expect: 403, why: 'supervisor or admin only' },
    'GET /tasks/{id}': { as: OUTSIDER, expect: 200, why: 'DESIGN §6: any user reads tasks' },
    'POST /tasks/{id}/consolidate': { as: OUTSIDER, body: { summary: '汇总' }, expect: 403, why: 'lead head only' },
    'POST /tasks/{id}/close': { as: OUTSIDER, body: { comment: '销号' }, expect: 403, why: 'supervisor only' },
    'POST /tasks/{id}/return': { as: OUTSIDER, body: { comment: '退回' }, expect: 403, why: 'supervisor only' },
    'POST /tasks/{id}/deadline': {
      as: OUTSIDER,
      body: { dueAt: '2027-12-31T23:59:59+08:00', reason: '延期' },
      expect: 403,
      why: 'supervisor only',
    },
    'POST /tasks/{id}/units': {
      as: OUTSIDER,
      body: { unitId: 'market-regulation', reason: '加签自己' },
      expect: 403,
      why: 'lead head or supervisor only',
    },
    'POST /tasks/{id}/cancel': { as: OUTSIDER, body: { reason: '取消' }, expect: 403, why: 'supervisor only' },
    // Issue 16, corrections: the supervision office edits a task and takes a unit off it (减签).
    'PATCH /tasks/{id}': {
      as: OUTSIDER,
      body: { title: '改名', reason: '更正' },
      expect: 403,
      why: 'supervisor only',
    },
    'POST /tasks/{id}/units/{unitId}/remove': {
      as: OUTSIDER,
      body: { reason: '减签' },
      expect: 403,
      why: 'supervisor only',
    },
    'GET /assignments/{id}': { as: OUTSIDER, expect: 200, why: 'DESIGN §6: any user reads assignments' },
    'POST /assignments/{id}/acknowledge': { as: OUTSIDER, body: {}, expect: 403, why: 'assigned unit only' },
    'POST /assignments/{id}/progress': {
      as: OUTSIDER,
      body: { note: '进展', percent: 50 },
      expect: 403,
      why: 'assigned unit only',
    },
    'POST /assignments/{id}/submit': {
      as: OUTSIDER,
      body: { summary: '完成', evidence: [] },
      expect: 403,
      why: 'assigned unit only',
    },
    'POST /assignments/{id}/withdraw': {
      as: OUTSIDER,
      body: { reason: '撤回' },
      expect: 403,
      why: 'assigned unit only',
    },
    'POST /assignments/{id}/approve': { as: OUTSIDER, body: { comment: '同意' }, expect: 403, why: 'lead head only' },
    'POST /assignments/{id}/return': { as: OUTSIDER, body: { reason: '退回' }, expect: 403, why: 'lead head only' },
    'POST /assignments/{id}/reassign': {
      as: OUTSIDER,
      body: { toUnitId: 'market-regulation', reason: '转给自己' },
      expect: 403,
      why: 'supervisor only',
    },
    'POST /assignments/{id}/extension-requests': {
      as: OUTSIDER,
      body: { requestedDueAt: '2027-10-31T23:59:59+08:00', reason: '延期' },
      expect: 403,
      why: 'assigned unit only',
    },
    'POST /extension-requests/{id}/approve': { as: OUTSIDER, body: {}, expect: 403, why: 'supervisor only' },
    'POST /extension-requests/{id}/reject': { as: OUTSIDER, body: {}, expect: 403, why: 'supervisor only' },
    'GET /calls/{id}': { as: 'baofeng.head', expect: 200, why: 'DESIGN §6: any user reads calls' },
    'POST /calls/{id}/respond': { as: OUTSIDER, body: {}, expect: 403, why: 'the called unit only' },
    'POST /calls/{id}/resolve': { as: OUTSIDER, body: { resolution: '已解决' }, expect: 403, why: 'called unit only' },
    'POST /calls/{id}/evaluate': {
      as: 'baofeng.head',
      body: { rating: 'dissatisfied' },
      expect: 403,
      why: 'the calling township only',
    },
    'POST /notifications/{id}/read': {
      as: OUTSIDER,
      expect: 404,
      why: "another unit's notification is not disclosed",
    },
    'POST /escalations/{id}/handle': {
      as: OUTSIDER,
      body: { action: 'flag', note: '挂牌' },
      expect: 403,
      why: 'supervisor only',
    },
    'POST /assignments/{id}/handler': {
      as: OUTSIDER,
      get body() {
        return { userId: ids.outsiderStaff };
      },
      expect: 403,
      why: "承办人: only the assigned unit's own people name one",
    },
    'POST /calls/{id}/handler': {
      as: OUTSIDER,
      get body() {
        return { userId: ids.outsiderStaff };
      },
      expect: 403,
      why: "承办人: only the called unit's own people name one",
    },
    'POST /delegations/{id}/revoke': {
      as: OUTSIDER,
      expect: 404,
      why: "委派: another unit's delegation is not disclosed",
    },
    'PUT /calendar/years/{year}': {
      as: 'supervisor',
      body: { notice: '国办发明电〔2029〕1号' },
      expect: 403,
      why: 'admin only',
    },
    // 单位管理 (issue 14): only an admin changes the registry, whatever unit the caller is in.
    'PATCH /units/{id}': { as: 'finance.head', body: { name: '县财政新局' }, expect: 403, why: 'admin only' },
    'POST /units/{id}/merge': {
      as: 'supervisor',
      body: { intoUnitId: 'civil-affairs' },
      expect: 403,
      why: 'admin only',
    },
    'POST /units/{id}/retire': { as: 'finance.head', expect: 403, why: 'admin only' },
    // Issue 14, user administration: admin only (a unit head is refused; see the users describe below).
    'GET /users/{id}': { as: OUTSIDER, expect: 403, why: 'admin only' },
    'PATCH /users/{id}': { as: OUTSIDER, body: { displayName: '改名' }, expect: 403, why: 'admin only' },
    'POST /users/{id}/reset-password': { as: OUTSIDER, expect: 403, why: 'admin only' },
    // Issue 15: robots, webhooks and dead letters are the administrators' (a robot URL carries its access token).
    'PUT /channel-endpoints/{id}': { as: 'supervisor', body: ENDPOINT_BODY, expect: 403, why: 'admin only' },
    'DELETE /channel-endpoints/{id}': { as: OUTSIDER, expect: 403, why: 'admin only' },
    'POST /deliveries/{id}/retry': { as: 'supervisor', expect: 403, why: 'admin only' },
    // Issue 16: a file is read like the items it is attached to; this one is on nothing the outsider takes part in.
    'GET /attachments/{id}': { as: OUTSIDER, expect: 403, why: "another unit's 佐证材料" },
    'GET /attachments/{id}/content': { as: OUTSIDER, expect: 403, why: "another unit's 佐证材料" },
    // Issue 16: a thread is its participants' (the units of the work, the supervision office, the leaders).
    'GET /tasks/{id}/comments': { as: OUTSIDER, expect: 403, why: "a task's thread is its units'" },
    'POST /tasks/{id}/comments': { as: OUTSIDER, body: { body: '我来说两句' }, expect: 403, why: "its units' only" },
    'GET /assignments/{id}/comments': { as: OUTSIDER, expect: 403, why: "an assignment's thread is its units'" },
    'POST /assignments/{id}/comments': {
      as: OUTSIDER,
      body: { body: '我来说两句', mentionedUnitIds: ['approval'] },
      expect: 403,
      why: "its unit's and the lead units' only",
    },
    'GET /calls/{id}/comments': { as: OUTSIDER, expect: 403, why: "a call's thread is its two units'" },
    'POST /calls/{id}/comments': { as: OUTSIDER, body: { body: '我来说两句' }, expect: 403, why: "its units' only" },
    'POST /tasks/{id}/instructions': { as: OUTSIDER, body: { body: '批示' }, expect: 403, why: 'leaders only' },
    'POST /escalations/{id}/instructions': { as: OUTSIDER, body: { body: '批示' }, expect: 403, why: 'leaders only' },
    // Issue 18: 已阅 is a county leader's, stored per leader.
    'POST /escalations/{id}/read': { as: OUTSIDER, expect: 403, why: 'leaders only' },
    // Issue 17: a 通报 is sent to every unit, so every unit reads it and its file.
    'GET /bulletins/{id}': { as: OUTSIDER, expect: 200, why: 'a 督查通报 is sent to every unit' },
    'GET /bulletins/{id}/content': { as: OUTSIDER, expect: 200, why: 'a 督查通报 is sent to every unit' },
  };
  const PATH_ID: Record<string, () => string> = {
    '/plans/': () => ids.plan,
    '/tasks/': () => ids.task,
    '/assignments/': () => ids.assignment,
    '/extension-requests/': () => ids.extensionRequest,
    '/calls/': () => ids.call,
    '/notifications/': () => ids.notification,
    '/escalations/': () => ids.escalation,
    '/calendar/years/': () => '2029',
    '/units/': () => 'finance',
    '/delegations/': () => ids.delegation,
    '/users/': () => ids.user,
    '/channel-endpoints/': () => ids.channelEndpoint,
    '/deliveries/': () => ids.delivery,
    '/attachments/': () => ids.attachment,
    '/bulletins/': () => ids.bulletin,
  };
  const concrete = (path: string) => {
    const prefix = Object.keys(PATH_ID).find((candidate) => path.startsWith(candidate));
    if (!prefix) throw new Error(`no fixture id for ${path}`);
    // 减签 names the unit after the task: the fixture task's responsible unit.
    return path.replace(/\{[^}]+\}/, PATH_ID[prefix]()).replace('{unitId}', 'finance');
  };
  const routes = (filter: (path: string, method: string, operation: OpenApiOperation) => boolean) =>
    Object.entries(openApi.paths).flatMap(([fullPath, operations]) =>
      Object.entries(operations)
        .filter(([method, operation]) => filter(fullPath.replace('/api/v1', ''), method, operation))
        .map(([method, operation]) => ({
          key: `${method.toUpperCase()} ${fullPath.replace('/api/v1', '')}`,
          method: method.toUpperCase(),
          path: fullPath.replace('/api/v1', ''),
          operation,
        })),
    );

  it('has a probe for every route with an id in its path (a new route cannot be forgotten)', () => {
    const withId = routes((path) => path.includes('{')).map((route) => route.key);
    expect(withId.length).toBeGreaterThan(20);
    expect([...withId].sort()).toEqual(Object.keys(OBJECT_LEVEL).sort());
  });

  it.each(Object.entries(OBJECT_LEVEL))(
    'object level: %s by another unit is refused and changes nothing',
    async (key, probe) => {
      const [method, path] = key.split(' ');
      const before = await fingerprint();
      const response = await request(stack.api.baseUrl, method, concrete(path), {
        token: await token(probe.as),
        body: 'body' in probe ? probe.body : undefined,
      });
      expect({ status: response.status, why: probe.why }).toEqual({ status: probe.expect, why: probe.why });
      if (probe.expect !== 200) {
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.code).toBe(probe.expect === 403 ? 'FORBIDDEN' : 'NOT_FOUND');
      }
      expect(await fingerprint()).toEqual(before);
      count('object-level authorization (a route with an id, as another unit)', 1);
    },
  );

  it('考核: a unit sees its own row only, in GET /assessment and in the export, and nothing changes', async () => {
    const before = await fingerprint();
    const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const all = await request<{ units: Array<{ unitId: string }> }>(
      stack.api.baseUrl,
      'GET',
      `/assessment?period=${period.slice(0, 4)}`,
      { token: await token('supervisor') },
    );
    expect(all.status).toBe(200);
    for (const who of [OUTSIDER, 'finance.staff', 'chengguan.staff']) {
      const own = await request<{ units: Array<{ unitId: string }> }>(
        stack.api.baseUrl,
        'GET',
        `/assessment?period=${period.slice(0, 4)}`,
        { token: await token(who) },
      );
      expect(own.status).toBe(200);
      const unitId = who.split('.')[0];
      expect(own.body.units).toEqual(all.body.units.filter((unit) => unit.unitId === unitId));
      const sheet = await fetch(`${stack.api.baseUrl}/exports/assessment.xlsx?period=${period.slice(0, 4)}`, {
        headers: { authorization: `Bearer ${await token(who)}` },
      });
      expect(sheet.status).toBe(200);
      // Other units' rows never reach a unit's file either.
      const rows = readXlsx(new Uint8Array(await sheet.arrayBuffer())).sheets[0].rows.slice(2);
      expect(rows.length).toBe(own.body.units.length);
      count('object level (考核 rows of other units)', 2);
    }
    expect(await fingerprint()).toEqual(before);
  });

  it('the refused notification belongs to someone: its own unit may mark it read (the 404 was not a bad fixture)', async () => {
    const response = await request(stack.api.baseUrl, 'POST', `/notifications/${ids.notification}/read`, {
      token: await token('finance.staff'),
    });
    expect(response.status).toBe(204);
  });

  it('an id that does not exist or is not an id at all is a 4xx problem, never a 500', async () => {
    const probes = routes((path) => path.includes('{') && !path.startsWith('/calendar/'));
    const failures: string[] = [];
    for (const route of probes) {
      for (const bogus of ['00000000-0000-4000-8000-000000000000', "1' OR '1'='1", 'x'.repeat(300)]) {
        const probe = OBJECT_LEVEL[route.key];
        const response = await request(
          stack.api.baseUrl,
          route.method,
          route.path.replace(/\{[^}]+\}/, encodeURIComponent(bogus)),
          { token: await token('supervisor'), body: 'body' in probe ? probe.body : undefined },
        );
        if (response.status >= 500 || response.status < 400) failures.push(`${route.key} ${bogus}: ${response.status}`);
        count('ids that do not exist or are not ids', 1);
      }
    }
    expect(failures).toEqual([]);
  });

  describe('function level: staff call supervisor and admin routes', () => {
    /** Role-gated routes; the unit does not matter — the supervision office's own staff are not supervisors. */
    const PRIVILEGED: Array<[string, string, unknown?]> = [
      ['GET', '/escalations'],
      ['GET', '/audit'],
      ['GET', '/audit/verify'],
      ['PUT', '/calendar/overrides', { overrides: [] }],
      ['PUT', '/calendar/years/{year}', { notice: '通知' }],
      ['POST', '/plans/preview'],
      ['POST', '/plans'],
      ['POST', '/plans/{id}/start'],
      ['POST', '/tasks/{id}/close', {}],
      ['POST', '/tasks/{id}/return', { comment: '退回' }],
      ['POST', '/tasks/{id}/deadline', { dueAt: '2027-12-31T23:59:59+08:00', reason: '延期' }],
      ['POST', '/tasks/{id}/cancel', { reason: '取消' }],
      ['PATCH', '/tasks/{id}', { title: '改名', reason: '更正' }],
      ['POST', '/tasks/{id}/units/{unitId}/remove', { reason: '减签' }],
      ['POST', '/assignments/{id}/reassign', { toUnitId: 'market-regulation', reason: '转办' }],
      ['POST', '/extension-requests/{id}/approve', {}],
      ['POST', '/extension-requests/{id}/reject', {}],
      ['POST', '/escalations/{id}/handle', { action: 'flag', note: '挂牌' }],
      [
        'POST',
        '/escalations/handle',
        { ids: ['00000000-0000-4000-8000-000000000000'], action: 'remind', note: '催办' },
      ],
      ['POST', '/bulletins', { period: '2026-11' }],
    ];
    it.each(['supervision.staff', 'supervision.head', 'finance.staff', 'leader'])('as %s', async (username) => {
      const results: string[] = [];
      const before = await fingerprint();
      for (const [method, path, body] of PRIVILEGED) {
        // The leader may read the escalation queue (level 3 only): that is its function.
        if (username === 'leader' && path === '/escalations') continue;
        const response = await request(stack.api.baseUrl, method, path.includes('{') ? concrete(path) : path, {
          token: await token(username),
          body,
        });
        results.push(`${method} ${path} ${response.status} ${String(response.body?.code)}`);
        count('function-level authorization (privileged routes as staff, heads, leaders)', 1);
      }
      expect(results).toEqual(
        PRIVILEGED.filter(([, path]) => !(username === 'leader' && path === '/escalations')).map(
          ([method, path]) => `${method} ${path} 403 FORBIDDEN`,
        ),
      );
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('mass assignment: fields a client must not set are refused with 400 and change nothing', () => {
    const SMUGGLED: Record<string, unknown> = {
      status: 'approved',
      unitId: 'market-regulation',
      approvedBy: 'approval.head',
      role: 'admin',
      roles: ['admin', 'supervisor'],
      actor: { userId: 'supervisor', roles: ['supervisor'] },
      escalationLevel: 0,
      id: '00000000-0000-4000-8000-000000000000',
    };
    /** A token allowed past the route's role guard, so the body itself is what gets judged. */
    const WHO: Record<string, string> = {
      '/calendar/': 'admin',
      '/units': 'admin',
      '/users': 'admin',
      '/channel-endpoints': 'admin',
      '/tasks/{id}/instructions': 'leader',
      '/escalations/{id}/instructions': 'leader',
    };

    it('on every route that takes a JSON body', async () => {
      const jsonRoutes = routes((_path, _method, operation) =>
        Boolean(operation.requestBody?.content['application/json']),
      );
      expect(jsonRoutes.length).toBeGreaterThan(20);
      const outcomes: string[] = [];
      const expected: string[] = [];
      const before = await fingerprint();
      for (const route of jsonRoutes) {
        const ref = route.operation.requestBody!.content['application/json'].schema.$ref;
        const accepted = new Set(
          Object.keys((ref && openApi.components.schemas[ref.split('/').pop()!]?.properties) ?? {}),
        );
        const probe = OBJECT_LEVEL[route.key];
        const legitimate = (probe && 'body' in probe ? probe.body : {}) as Record<string, unknown>;
        const username =
          Object.entries(WHO).find(([prefix]) => route.path.startsWith(prefix))?.[1] ??
          (route.path === '/auth/login' ? undefined : 'supervisor');
        for (const [field, value] of Object.entries(SMUGGLED)) {
          if (accepted.has(field)) continue; // e.g. unitId is what POST /tasks/:id/units is for
          const response = await request(
            stack.api.baseUrl,
            route.method,
            route.path.includes('{') ? concrete(route.path) : route.path,
            {
              token: username && (await token(username)),
              body: { ...legitimate, [field]: value },
            },
          );
          outcomes.push(
            `${route.key} +${field}: ${response.status} names field: ${String(response.body?.detail).includes(field)}`,
          );
          expected.push(`${route.key} +${field}: 400 names field: true`);
          count('mass assignment (a smuggled field)', 1);
        }
      }
      expect(outcomes).toEqual(expected);
      expect(await fingerprint()).toEqual(before);
    }, 120_000);
  });

  it('a JSON body over the size limit is refused with 413 problem+json on every JSON route', async () => {
    const jsonRoutes = routes((_path, _method, operation) =>
      Boolean(operation.requestBody?.content['application/json']),
    );
    const huge = JSON.stringify({ comment: 'x'.repeat(2 * 1024 * 1024) });
    const outcomes: string[] = [];
    const before = await fingerprint();
    for (const route of jsonRoutes) {
      const response = await request(
        stack.api.baseUrl,
        route.method,
        route.path.includes('{') ? concrete(route.path) : route.path,
        { token: await token('supervisor'), body: huge },
      );
      outcomes.push(
        `${route.key}: ${response.status} ${String(response.body?.code)} ${response.headers.get('content-type')?.split(';')[0]}`,
      );
      count('bodies over the size limit', 1);
    }
    expect(outcomes).toEqual(jsonRoutes.map((route) => `${route.key}: 413 PAYLOAD_TOO_LARGE application/problem+json`));
    expect(await fingerprint()).toEqual(before);
  });

  const LIST_ROUTES = [
    'GET /assignments/{id}/comments',
    'GET /audit',
    'GET /bulletins',
    'GET /calls',
    'GET /calls/{id}/comments',
    'GET /channel-endpoints',
    'GET /colleagues',
    'GET /delegations',
    'GET /deliveries',
    'GET /done',
    'GET /escalations',
    'GET /extension-requests',
    'GET /inbox',
    'GET /notifications',
    'GET /plans',
    'GET /search',
    'GET /tasks',
    'GET /tasks/{id}/comments',
    'GET /units',
    'GET /users',
  ];
  const ADMIN_LISTS = ['/users', '/deliveries', '/channel-endpoints'];
  const listPath = (path: string) => (path.includes('{') ? concrete(path) : path);

  it('a page size beyond the maximum is refused with 400 on every list route; the maximum itself is served', async () => {
    const paged = routes(
      (_path, method, operation) =>
        method === 'get' && Boolean(operation.parameters?.some((parameter) => parameter.name === 'limit')),
    );
    expect(paged.map((route) => route.key).sort()).toEqual([...LIST_ROUTES].sort());
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const route of paged) {
      const maximum = route.operation.parameters!.find((parameter) => parameter.name === 'limit')!.schema?.maximum;
      expect({ route: route.key, maximum }).toEqual({ route: route.key, maximum: expect.any(Number) });
      for (const limit of ['100000', String(maximum! + 1), '0', '-1', 'abc', String(maximum)]) {
        // A search needs its words (q) besides the page size.
        const words = route.path === '/search' ? `q=${encodeURIComponent('代办')}&` : '';
        const response = await request(stack.api.baseUrl, 'GET', `${listPath(route.path)}?${words}limit=${limit}`, {
          token: await token(ADMIN_LISTS.includes(route.path) ? 'admin' : 'supervisor'),
        });
        outcomes.push(`${route.key}?limit=${limit}: ${response.status}`);
        count('page sizes', 1);
        expected.push(`${route.key}?limit=${limit}: ${limit === String(maximum) ? 200 : 400}`);
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('a malformed or forged cursor is refused with 400 problem+json on every list route and changes nothing', async () => {
    const paged = routes(
      (_path, method, operation) =>
        method === 'get' && Boolean(operation.parameters?.some((parameter) => parameter.name === 'cursor')),
    );
    expect(paged.map((route) => route.key).sort()).toEqual([...LIST_ROUTES].sort());
    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cursors = [
      'not a cursor',
      'AAAA',
      encoded({ seq: 1 }),
      encoded([]),
      encoded(['x', 'y', 'z', 'w', 'v', 'u', 't', 's']),
      encoded(Array.from({ length: 8 }, () => '1e999')),
      'x'.repeat(3000),
    ];
    const before = await fingerprint();
    const outcomes: string[] = [];
    for (const route of paged) {
      for (const cursor of cursors) {
        const response = await request(
          stack.api.baseUrl,
          'GET',
          `${listPath(route.path)}?${route.path === '/search' ? `q=${encodeURIComponent('代办')}&` : ''}cursor=${encodeURIComponent(cursor)}`,
          { token: await token(ADMIN_LISTS.includes(route.path) ? 'admin' : 'supervisor') },
        );
        outcomes.push(
          `${route.key} ${cursor.slice(0, 12)}: ${response.status} ${response.headers.get('content-type')?.split(';')[0]}`,
        );
        count('forged cursors', 1);
      }
    }
    expect(outcomes).toEqual(
      paged.flatMap((route) =>
        cursors.map((cursor) => `${route.key} ${cursor.slice(0, 12)}: 400 application/problem+json`),
      ),
    );
    expect(await fingerprint()).toEqual(before);
  });

  describe('unstorable and over-long text in every string field of every route (generated from the OpenAPI document)', () => {
    interface FieldSchema {
      type?: string;
      format?: string;
      enum?: unknown[];
      maxLength?: number;
      items?: FieldSchema & { $ref?: string };
      $ref?: string;
    }
    /** A valid body for each route with a JSON or form body, so that only the probed field is wrong. */
    const LEGITIMATE: Record<string, Record<string, unknown>> = {
      'POST /auth/login': { username: 'finance.staff', password: 'not-the-password' },
      'PUT /calendar/overrides': { overrides: [{ date: '2029-05-02', kind: 'holiday', reason: '测试假日' }] },
      'PUT /calendar/years/{year}': { notice: '国办发明电〔2028〕1号' },
      'POST /calls': {
        toUnitId: 'justice',
        subject: '需要法律审核',
        description: '村规民约合法性审核',
        urgency: 'normal',
      },
      'POST /escalations/{id}/handle': { action: 'remind', note: '请尽快办理' },
      get 'POST /escalations/handle'() {
        return { ids: [ids.escalation], action: 'remind', note: '请尽快办理' };
      },
      'POST /plans/preview': {},
      'POST /plans': {},
      'POST /users': { username: 'attack.probe', displayName: '探针', unitId: 'finance', roles: ['staff'] },
      'POST /auth/password': { currentPassword: 'not-the-password', newPassword: '平罗县-探针-密码-2027' },
      'POST /channel-endpoints': ENDPOINT_BODY,
      'PUT /channel-endpoints/{id}': ENDPOINT_BODY,
      get 'POST /bulletins'() {
        return { period: ids.bulletinPeriod };
      },
      get 'POST /urges'() {
        return { assignmentIds: [ids.assignment], text: '请尽快办理' };
      },
    };
    /** Who passes the route's role guard, so that the body itself is what gets judged. */
    const userFor = (path: string) =>
      path.startsWith('/calendar/') ||
      path.startsWith('/units') ||
      path.startsWith('/users') ||
      path.startsWith('/channel-endpoints') ||
      path.startsWith('/deliveries')
        ? 'admin'
        : path.startsWith('/calls')
          ? 'chengguan.staff'
          : path.endsWith('/instructions')
            ? 'leader'
            : 'supervisor';
    const BAD = (maxLength: number | undefined) => ({
      NUL: 'a\u0000b',
      'lone surrogate': 'a\ud800b',
      ...(maxLength === undefined ? {} : { 'over-long': 'x'.repeat(maxLength + 1) }),
    });
    /** A lone surrogate cannot be written as UTF-8: in a URL it arrives as the bytes of one (ED A0 80). */
    const encodeQuery = (value: string) =>
      value === 'a\ud800b' ? 'a%ED%A0%80b' : encodeURIComponent(value).replace(/%00/g, '%00');
    const schemaOf = (ref: string | undefined) =>
      ref ? (openApi.components.schemas[ref.split('/').pop()!] as { properties?: Record<string, FieldSchema> }) : {};
    const bounded = (schema: FieldSchema) => schema.enum === undefined && schema.format !== 'uuid';

    interface Case {
      route: string;
      where: 'body' | 'query' | 'form';
      field: string;
      bad: string;
      send: () => Promise<{ status: number; type: string | null; detail: string; ms: number }>;
    }
    const timed = async (send: () => Promise<JsonResponse>) => {
      const started = Date.now();
      const response = await send();
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        detail: String(response.body?.detail ?? ''),
        ms: Date.now() - started,
      };
    };

    const cases = (): { cases: Case[]; undocumented: string[] } => {
      const all: Case[] = [];
      const undocumented: string[] = [];
      for (const route of routes(() => true)) {
        const path = route.path.includes('{') ? concrete(route.path) : route.path;
        const as = userFor(route.path);
        const probe = OBJECT_LEVEL[route.key];
        const legitimate = LEGITIMATE[route.key] ?? ((probe && 'body' in probe ? probe.body : {}) as object);
        const content = route.operation.requestBody?.content ?? {};
        const json = content['application/json']?.schema;
        if (json) {
          for (const [name, schema] of Object.entries(schemaOf(json.$ref).properties ?? {})) {
            const nested = schema.type === 'array' && schema.items?.$ref ? schemaOf(schema.items.$ref) : undefined;
            const fields: Array<[string, FieldSchema, (bad: string) => unknown]> = nested
              ? Object.entries(nested.properties ?? {}).map(([inner, innerSchema]) => [
                  `${name}[0].${inner}`,
                  innerSchema,
                  (bad: string) => ({
                    ...legitimate,
                    [name]: [{ ...((legitimate as Record<string, unknown[]>)[name]?.[0] as object), [inner]: bad }],
                  }),
                ])
              : schema.type === 'string'
                ? [[name, schema, (bad: string) => ({ ...legitimate, [name]: bad })]]
                : schema.type === 'array' && schema.items?.type === 'string'
                  ? [[`${name}[0]`, schema.items, (bad: string) => ({ ...legitimate, [name]: [bad] })]]
                  : [];
            for (const [field, fieldSchema, body] of fields) {
              if (fieldSchema.type !== 'string') continue;
              if (bounded(fieldSchema) && fieldSchema.maxLength === undefined)
                undocumented.push(`${route.key} ${field}`);
              for (const [kind, bad] of Object.entries(BAD(bounded(fieldSchema) ? fieldSchema.maxLength : undefined))) {
                all.push({
                  route: route.key,
                  where: 'body',
                  field,
                  bad: kind,
                  send: async () =>
                    timed(async () =>
                      request(stack.api.baseUrl, route.method, path, {
                        token: route.path === '/auth/login' ? undefined : await token(as),
                        body: JSON.stringify(body(bad)),
                      }),
                    ),
                });
              }
            }
          }
        }
        const form = content['multipart/form-data']?.schema as { properties?: Record<string, FieldSchema> } | undefined;
        for (const [field, fieldSchema] of Object.entries(form?.properties ?? {})) {
          if (fieldSchema.format === 'binary') continue;
          const limit = fieldSchema.type === 'string' && bounded(fieldSchema) ? fieldSchema.maxLength : undefined;
          if (fieldSchema.type === 'string' && bounded(fieldSchema) && limit === undefined)
            undocumented.push(`${route.key} form ${field}`);
          for (const [kind, bad] of Object.entries(BAD(limit))) {
            all.push({
              route: route.key,
              where: 'form',
              field,
              bad: kind,
              send: async () => {
                const body = new FormData();
                body.append('file', new Blob([ONE_TASK_LIST]), 'plan.txt');
                body.append(field, bad);
                const authorization = `Bearer ${await token(as)}`;
                return timed(async () => {
                  const response = await fetch(`${stack.api.baseUrl}${path}`, {
                    method: route.method,
                    headers: { authorization },
                    body,
                  });
                  const text = await response.text();
                  answered.push({ probe: route.key, status: response.status });
                  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
                });
              },
            });
          }
        }
        for (const parameter of route.operation.parameters ?? []) {
          if (parameter.in !== 'query') continue;
          const schema = (parameter.schema ?? {}) as FieldSchema;
          if (schema.type !== 'string') continue;
          if (bounded(schema) && schema.maxLength === undefined) undocumented.push(`${route.key} ?${parameter.name}`);
          for (const [kind, bad] of Object.entries(BAD(bounded(schema) ? schema.maxLength : undefined))) {
            all.push({
              route: route.key,
              where: 'query',
              field: parameter.name,
              bad: kind,
              send: async () =>
                timed(async () =>
                  request(stack.api.baseUrl, route.method, `${path}?${parameter.name}=${encodeQuery(bad)}`, {
                    token: await token(as),
                  }),
                ),
            });
          }
        }
      }
      return { cases: all, undocumented };
    };

    it('documents a maximum length for every free-text field', () => {
      expect(cases().undocumented).toEqual([]);
    });

    it('refuses each with 400 problem+json naming the field, within a second, and changes nothing', async () => {
      const { cases: all } = cases();
      expect(all.length).toBeGreaterThan(100);
      const before = await fingerprint();
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const probe of all) {
        const answer = await probe.send();
        const field = probe.field.replace(/\[0\]/g, '');
        const leaf = field.split('.').pop()!;
        outcomes.push(
          `${probe.route} ${probe.where} ${probe.field} ${probe.bad}: ${answer.status} ${answer.type?.split(';')[0]} names field: ${answer.detail.includes(leaf)} fast: ${answer.ms < 1000}`,
        );
        expected.push(
          `${probe.route} ${probe.where} ${probe.field} ${probe.bad}: 400 application/problem+json names field: true fast: true`,
        );
      }
      expect(outcomes).toEqual(expected);
      expect(await fingerprint()).toEqual(before);
      count('unstorable or over-long text (one field of one route at a time)', all.length);
    }, 180_000);

    it('leaves every item actionable afterwards', async () => {
      const staff = await token('finance.staff');
      const acknowledged = await request<{ status: string }>(
        stack.api.baseUrl,
        'POST',
        `/assignments/${ids.assignment}/acknowledge`,
        {
          token: staff,
          body: { note: '已签收' },
        },
      );
      expect(acknowledged.status).toBe(200);
      const reported = await request<{ status: string }>(
        stack.api.baseUrl,
        'POST',
        `/assignments/${ids.assignment}/progress`,
        {
          token: staff,
          body: { note: '进展正常', percent: 30 },
        },
      );
      expect(reported.body.status).toBe('in-progress');
      const moved = await request(stack.api.baseUrl, 'POST', `/tasks/${ids.task}/deadline`, {
        token: await token('supervisor'),
        body: { dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: '测试：仍可调整' },
      });
      expect(moved.status).toBe(200);
      const responded = await request<{ status: string }>(stack.api.baseUrl, 'POST', `/calls/${ids.call}/respond`, {
        token: await token('justice.staff'),
        body: { note: '已签收' },
      });
      expect(responded.body.status).toBe('responded');
      count('actions on the probed items afterwards', 4);
    });
  });

  describe('单位管理 (issue 14): only an admin adds, renames, merges or retires units', () => {
    const UNIT_ROUTES: Array<[string, string, unknown?]> = [
      ['POST', '/units', { id: 'attack-unit', name: '县攻击局', fullName: '平罗县攻击局', kind: 'county-dept' }],
      ['PATCH', '/units/finance', { name: '县财政攻击局' }],
      ['POST', '/units/civil-affairs/merge', { intoUnitId: 'finance' }],
      ['POST', '/units/market-regulation/retire'],
    ];
    // The probes before this block act on the call and assignment: let their projections land first.
    beforeAll(() => settle(), 90_000);
    it.each(['supervisor', 'leader', 'finance.head', 'finance.staff', 'supervision.head'])(
      'as %s: 403, and nothing changes',
      async (username) => {
        const before = await fingerprint();
        const results: string[] = [];
        for (const [method, path, body] of UNIT_ROUTES) {
          const response = await request(stack.api.baseUrl, method, path, { token: await token(username), body });
          results.push(`${method} ${path} ${response.status} ${String(response.body?.code)}`);
          count('function-level authorization (单位管理 as non-admins)', 1);
        }
        expect(results).toEqual(UNIT_ROUTES.map(([method, path]) => `${method} ${path} 403 FORBIDDEN`));
        expect(await fingerprint()).toEqual(before);
      },
    );

    it('the guard is the role, not a broken route: an admin passes it (and meets the rule: 督查室 is never retired)', async () => {
      const before = await fingerprint();
      const response = await request(stack.api.baseUrl, 'POST', '/units/supervision/retire', {
        token: await token('admin'),
      });
      expect(response.status).toBe(409);
      expect(await fingerprint()).toEqual(before);
    });

    it('mass assignment: an admin cannot set retired or mergedInto directly', async () => {
      const before = await fingerprint();
      for (const field of ['retired', 'mergedInto', 'aliases', 'kind', 'id']) {
        const response = await request(stack.api.baseUrl, 'PATCH', '/units/finance', {
          token: await token('admin'),
          body: { [field]: field === 'retired' ? true : field === 'aliases' ? [] : 'civil-affairs' },
        });
        expect({ field, status: response.status }).toEqual({ field, status: 400 });
        count('mass assignment (单位管理)', 1);
      }
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('issue 14, user administration: only an admin, and only the fields it documents', () => {
    // The earlier tests acted on items (a call responded, say): let their workflows finish first.
    beforeAll(() => settle(), 90_000);
    const USER_ROUTES = (): Array<[string, string, unknown?]> => [
      ['GET', '/users'],
      ['GET', `/users/${ids.user}`],
      ['POST', '/users', { username: 'bfla.probe', displayName: '越权', unitId: 'finance', roles: ['admin'] }],
      ['PATCH', `/users/${ids.user}`, { roles: ['admin'] }],
      ['PATCH', `/users/${ids.user}`, { disabled: true }],
      ['POST', `/users/${ids.user}/reset-password`],
    ];
    it.each(['finance.staff', 'finance.head', 'supervision.head', 'supervisor', 'leader'])(
      'function level: %s is refused on every users route (403) and nothing changes',
      async (username) => {
        const before = await fingerprint();
        const outcomes: string[] = [];
        for (const [method, path, body] of USER_ROUTES()) {
          const response = await request(stack.api.baseUrl, method, path, { token: await token(username), body });
          outcomes.push(`${method} ${path} ${response.status} ${String(response.body?.code)}`);
          count('function-level authorization (users routes as non-admins)', 1);
        }
        expect(outcomes).toEqual(USER_ROUTES().map(([method, path]) => `${method} ${path} 403 FORBIDDEN`));
        expect(await fingerprint()).toEqual(before);
      },
    );

    it('mass assignment: an admin cannot set the hash, token version, one-time flag, id or username (400, nothing changes)', async () => {
      const smuggled: Record<string, unknown> = {
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$AAAA$BBBB',
        password: 'chosen-by-the-admin-2027',
        tokenVersion: 0,
        mustChangePassword: false,
        id: '00000000-0000-4000-8000-000000000000',
        createdAt: '2020-01-01T00:00:00Z',
      };
      const before = await fingerprint();
      const outcomes: string[] = [];
      const expected: string[] = [];
      const valid = { username: 'mass.probe', displayName: '探针', unitId: 'finance', roles: ['staff'] };
      for (const [method, path, legitimate, extra] of [
        ['POST', '/users', valid, smuggled],
        ['PATCH', `/users/${ids.user}`, { displayName: '改名' }, { ...smuggled, username: 'renamed' }],
        ['POST', '/auth/password', { currentPassword: 'x', newPassword: 'y' }, { username: 'admin' }],
      ] as const) {
        for (const [field, value] of Object.entries(extra)) {
          const response = await request(stack.api.baseUrl, method, path, {
            token: await token('admin'),
            body: { ...legitimate, [field]: value },
          });
          outcomes.push(
            `${method} ${path} +${field}: ${response.status} ${String(response.body?.detail).includes(field)}`,
          );
          expected.push(`${method} ${path} +${field}: 400 true`);
          count('mass assignment (users routes)', 1);
        }
      }
      expect(outcomes).toEqual(expected);
      expect(await fingerprint()).toEqual(before);
    });

    it('the refusals were not a broken fixture: the admin may read that user', async () => {
      const response = await request<{ username: string }>(stack.api.baseUrl, 'GET', `/users/${ids.user}`, {
        token: await token('admin'),
      });
      expect(response.status).toBe(200);
      expect(response.body.username).toBe('finance.staff');
    });
  });

  // ── Issue 14, staff import (branch staff-import): POST /users/import ──────────────────────────────────
  describe('staff import (POST /users/import): admin only, no smuggled fields, nothing written when refused', () => {
    const STAFF_CSV = '用户名,姓名,单位,角色\nattack.staff1,攻击测试,县财政局,工作人员\n';
    const importAs = async (username: string, query: string, extra: Record<string, string> = {}) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(extra)) body.append(name, value);
      body.append('file', new Blob([STAFF_CSV]), 'staff.csv');
      const response = await fetch(`${stack.api.baseUrl}/users/import${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token(username)}` },
        body,
      });
      const text = await response.text();
      answered.push({ probe: 'POST /users/import', status: response.status });
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as { code?: string; detail?: string } };
    };
    // The probes before this block act on calls and assignments; their projections land a little later.
    beforeAll(() => settle(), 90_000);

    it.each(['supervisor', 'supervision.head', 'finance.head', 'finance.staff', 'leader'])(
      'function level: %s gets 403 for a preview and an import',
      async (username) => {
        const before = await fingerprint();
        for (const query of ['?dryRun=true', '', '?partial=true']) {
          const response = await importAs(username, query);
          expect({ query, status: response.status, code: response.body.code }).toEqual({
            query,
            status: 403,
            code: 'FORBIDDEN',
          });
          count('function-level authorization (privileged routes as staff, heads, leaders)', 1);
        }
        expect(await fingerprint()).toEqual(before);
      },
    );

    it('mass assignment: a form field or query parameter besides file, dryRun and partial is refused with 400 naming it', async () => {
      const before = await fingerprint();
      const outcomes: string[] = [];
      const smuggled = {
        roles: 'admin',
        unitId: 'supervision',
        password: 'x',
        passwordHash: 'x',
        mustChangePassword: 'false',
      };
      for (const field of Object.keys(smuggled)) {
        const form = await importAs('admin', '?dryRun=true', { [field]: smuggled[field as keyof typeof smuggled] });
        outcomes.push(`form ${field}: ${form.status} names field: ${String(form.body.detail).includes(field)}`);
        const query = await importAs('admin', `?dryRun=true&${field}=x`);
        outcomes.push(`query ${field}: ${query.status} names field: ${String(query.body.detail).includes(field)}`);
        count('mass assignment (a smuggled field)', 2);
      }
      expect(outcomes).toEqual(
        Object.keys(smuggled).flatMap((field) => [
          `form ${field}: 400 names field: true`,
          `query ${field}: 400 names field: true`,
        ]),
      );
      expect(await fingerprint()).toEqual(before);
    });

    it("the admin's own preview is answered and changes nothing", async () => {
      const before = await fingerprint();
      const response = await importAs('admin', '?dryRun=true');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ dryRun: true, created: 1, problems: [] });
      expect(await fingerprint()).toEqual(before);
    });
  });

  describe('issue 14, 承办人 and 委派: a handler only within the unit, a delegation only its own', () => {
    // The earlier tests acted on items (a call responded): let their workflows finish first.
    beforeAll(() => settle(), 90_000);
    const post = async (who: string, path: string, body?: unknown) =>
      request(stack.api.baseUrl, 'POST', path, { token: await token(who), body });

    it("refuses naming another unit's user, and another unit setting one; nothing changes", async () => {
      const before = await fingerprint();
      const outcomes = [
        // The assigned unit's head names a user of another unit, or a user that does not exist.
        await post('finance.head', `/assignments/${ids.assignment}/handler`, { userId: ids.outsiderStaff }),
        await post('finance.head', `/assignments/${ids.assignment}/handler`, {
          userId: '00000000-0000-4000-8000-000000000000',
        }),
        // Another unit names the assigned unit's own colleague.
        await post('market-regulation.head', `/assignments/${ids.assignment}/handler`, { userId: ids.financeStaff }),
        // The calling township is not the unit that works the call.
        await post('chengguan.head', `/calls/${ids.call}/handler`, { userId: ids.outsiderStaff }),
        // A deputy signs off for the head; naming handlers or ending the delegation stays the head's.
        await post('approval.staff', `/delegations/${ids.delegation}/revoke`),
      ].map((response) => `${response.status} ${String(response.body.code)}`);
      expect(outcomes).toEqual([
        '400 VALIDATION_FAILED',
        '400 VALIDATION_FAILED',
        '403 FORBIDDEN',
        '403 FORBIDDEN',
        '403 FORBIDDEN',
      ]);
      expect(await fingerprint()).toEqual(before);
      count('承办人 / 委派 object-level probes', outcomes.length);
    });

    it('the control: the unit itself names its own colleague, and it shows', async () => {
      const named = await post('finance.staff', `/assignments/${ids.assignment}/handler`, { userId: ids.financeStaff });
      expect(named.status).toBe(200);
      expect((named.body as { assignment: { handler: { userId: string } } }).assignment.handler.userId).toBe(
        ids.financeStaff,
      );
    });
  });

  describe('issue 17, exports: a unit exports only its own rows; no export changes anything', () => {
    beforeAll(() => settle(), 90_000);
    const EXPORTS = [
      '/exports/ledger.xlsx',
      '/exports/unit-ranking.xlsx',
      '/exports/calls.xlsx',
      '/exports/call-units.xlsx',
      // 考核 needs its period (400 without one).
      '/exports/assessment.xlsx?period=2026',
    ];
    /** The file's bytes are not JSON: read them raw, and record the answer like every other probe. */
    const download = async (who: string | undefined, path: string) => {
      const response = await fetch(`${stack.api.baseUrl}${path}`, {
        headers: who ? { authorization: `Bearer ${await token(who)}` } : {},
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      answered.push({ probe: `GET ${path.split('?')[0]}`, status: response.status });
      return { status: response.status, type: response.headers.get('content-type')?.split(';')[0], bytes };
    };

    it("refuses another unit's ledger (403) and anyone without a token (401); nothing changes", async () => {
      const before = await fingerprint();
      const outcomes = [
        ...(await Promise.all(EXPORTS.map(async (path) => `${path} ${(await download(undefined, path)).status}`))),
        `other unit ${(await download(OUTSIDER, '/exports/ledger.xlsx?unitId=finance')).status}`,
        `other unit, staff ${(await download('market-regulation.staff', `/exports/ledger.xlsx?planId=${ids.plan}&unitId=finance`)).status}`,
      ];
      expect(outcomes).toEqual([...EXPORTS.map((path) => `${path} 401`), 'other unit 403', 'other unit, staff 403']);
      expect(await fingerprint()).toEqual(before);
      count('exports: unauthenticated and other-unit probes', outcomes.length);
    });

    it("a unit's ledger without a filter holds its own rows only, and every export leaves the stored state as it was", async () => {
      const before = await fingerprint();
      const own = await download(OUTSIDER, `/exports/ledger.xlsx?planId=${ids.plan}`);
      expect({ status: own.status, type: own.type }).toEqual({
        status: 200,
        type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      });
      const [sheet] = readXlsx(own.bytes).sheets;
      // The fixture plan's one task is finance's and approval's, not market regulation's: the file has no rows.
      expect(records(sheet)).toEqual([]);
      const all = records(
        readXlsx((await download('supervisor', `/exports/ledger.xlsx?planId=${ids.plan}`)).bytes).sheets[0],
      );
      expect(all.length).toBe(stack.plan.tasks[0].assignments.length);
      for (const path of EXPORTS)
        expect({ path, status: (await download(OUTSIDER, path)).status }).toEqual({ path, status: 200 });
      expect(await fingerprint()).toEqual(before);
      count('exports: scoped downloads', EXPORTS.length + 2);
    });
  });

  it('answered no probe with a 500, and reports what it tried', () => {
    count('requests sent in all', answered.length);
    const report = Object.entries(tried)
      .map(([kind, n]) => `  ${String(n).padStart(6)}  ${kind}`)
      .join('\n');
    console.log(`attack suite report:\n${report}`);
    expect(answered.filter((answer) => answer.status >= 500)).toEqual([]);
  });
});

/**
 * Single sign-on (issue 14): the callback is public and takes what a browser brings back from the identity provider,
 * so everything in it can be forged. Against a real provider (test/support/oidc-provider.ts) and an API with SSO
 * configured: forged state, forged code, no / garbage / tampered / foreign login cookie, repeated and over-long
 * parameters, extra fields (mass assignment: a client cannot name the user) — each a 4xx problem, never a 500, and
 * never a token. BFLA: the routes need no token and a token changes nothing (an admin's token cannot log in as
 * anyone either). Not configured, they answer 404 (test/oidc.e2e.spec.ts).
 */
describe('attacks on single sign-on (统一身份认证)', () => {
  let provider: RunningProvider;
  let api: RunningApi;
  const answered: number[] = [];

  beforeAll(async () => {
    const redirectUrl = `http://127.0.0.1:${await freePort()}/login/oidc`;
    provider = await startProvider(redirectUrl);
    api = await startApi({
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URL: redirectUrl,
    });
  });
  afterAll(async () => {
    await api?.close();
    await provider?.close();
  });

  const send = async (query: string, cookie?: string, token?: string) => {
    const response = await sendRequest<{ accessToken?: string; detail?: string }>(
      api.baseUrl,
      'GET',
      `/auth/oidc/callback?${query}`,
      { headers: cookie === undefined ? {} : { cookie }, token },
    );
    answered.push(response.status);
    return response;
  };

  it('refuses forged state and code, and every forged, missing or foreign login cookie, with 4xx and no token', async () => {
    const { query, jar } = await signInAtProvider(api, 'sub-finance-staff');
    const code = query.get('code')!;
    const state = query.get('state')!;
    const cookie = jar.header();
    const sealed = /county_oidc=([^;]+)/.exec(cookie)![1];
    const [iv, tag, body] = sealed.split('.');
    const other = await signInAtProvider(api, 'sub-stranger');
    const cases: Array<[string, string, string | undefined, number]> = [
      ['forged state', `code=${code}&state=forged`, cookie, 400],
      ['no state', `code=${code}`, cookie, 400],
      ['no cookie', `code=${code}&state=${state}`, undefined, 400],
      ['garbage cookie', `code=${code}&state=${state}`, 'county_oidc=garbage', 400],
      ['tampered cookie', `code=${code}&state=${state}`, `county_oidc=${iv}.${tag}.${body.slice(0, -2)}AA`, 400],
      ['another login’s cookie', `code=${code}&state=${state}`, other.jar.header(), 400],
      [
        'another login’s state and cookie, this code',
        `code=${code}&state=${other.query.get('state')}`,
        other.jar.header(),
        401,
      ],
      ['forged code', `code=forged&state=${state}`, cookie, 401],
      ['no code', `state=${state}`, cookie, 400],
      ['provider error, forged', `error=access_denied&state=${state}`, cookie, 401],
      ['repeated code', `code=${code}&code=${code}&state=${state}`, cookie, 400],
      ['over-long code', `code=${'x'.repeat(5000)}&state=${state}`, cookie, 400],
      ['extra field naming a user', `code=${code}&state=${state}&username=admin`, cookie, 400],
      ['extra claim', `code=${code}&state=${state}&preferred_username=admin`, cookie, 400],
    ];
    const outcomes: string[] = [];
    for (const [name, query, withCookie] of cases) {
      const response = await send(query, withCookie, undefined);
      outcomes.push(`${name}: ${response.status}${response.body?.accessToken ? ' with a token' : ''}`);
    }
    expect(outcomes).toEqual(cases.map(([name, , , expected]) => `${name}: ${expected}`));
  });

  it('refuses an identity whose username claim the database could not store (403, never 500)', async () => {
    const { query, jar } = await signInAtProvider(api, 'sub-unstorable');
    const response = await send(query.toString(), jar.header());
    expect(response.status).toBe(403);
    expect(response.body.accessToken).toBeUndefined();
  });

  it('needs no token and is not changed by one (BFLA): a bearer token does not make a forged callback pass', async () => {
    const admin = await login(api.baseUrl, 'admin');
    expect((await send('code=x&state=y', undefined, admin)).status).toBe(400);
    const started = await fetch(`${api.baseUrl}/auth/oidc/login`, {
      redirect: 'manual',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(started.status).toBe(302);
    expect(new URL(started.headers.get('location')!).origin).toBe(provider.issuer);
  });

  it('answered no probe with a 500', () => {
    expect(answered.length).toBeGreaterThan(10);
    expect(answered.filter((status) => status >= 500)).toEqual([]);
  });
});

describe('attacks on /metrics (the operators’ scrape path) in production mode', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), DEMO_PASSWORD: '' };
  const metricsToken = randomBytes(24).toString('hex');
  /** Production with METRICS_TOKEN set, and production without one. */
  let guarded: RunningApi;
  let unset: RunningApi;

  beforeAll(async () => {
    guarded = await startApi({ ...production, METRICS_TOKEN: metricsToken });
    unset = await startApi(production);
  });
  afterAll(async () => {
    await guarded?.close();
    await unset?.close();
  });

  const scrape = async (api: { origin: string }, headers: Record<string, string> = {}, query = '') => {
    const response = await fetch(`${api.origin}/metrics${query}`, { headers });
    return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
  };
  const expectRefused = (answer: Awaited<ReturnType<typeof scrape>>, status: number) => {
    expect(answer.status).toBe(status);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.text).not.toContain('county_api_');
  };

  it('without METRICS_TOKEN production answers 404, whatever the request carries', async () => {
    expectRefused(await scrape(unset), 404);
    expectRefused(await scrape(unset, { authorization: `Bearer ${metricsToken}` }), 404);
    const userToken = await login(unset.baseUrl, 'admin');
    expectRefused(await scrape(unset, { authorization: `Bearer ${userToken}` }), 404);
  });

  it('with METRICS_TOKEN: no token, a wrong one, a user’s access token or the token elsewhere than the header get 401', async () => {
    expectRefused(await scrape(guarded), 401);
    // Same length and another length: the comparison must not depend on either.
    expectRefused(await scrape(guarded, { authorization: `Bearer ${'0'.repeat(metricsToken.length)}` }), 401);
    expectRefused(await scrape(guarded, { authorization: `Bearer ${metricsToken}x` }), 401);
    expectRefused(await scrape(guarded, { authorization: `Bearer ${metricsToken.slice(0, -1)}` }), 401);
    expectRefused(
      await scrape(guarded, { authorization: `Basic ${Buffer.from(`x:${metricsToken}`).toString('base64')}` }),
      401,
    );
    expectRefused(await scrape(guarded, {}, `?token=${metricsToken}`), 401);
    for (const user of ['admin', 'supervisor']) {
      const userToken = await login(guarded.baseUrl, user);
      expectRefused(await scrape(guarded, { authorization: `Bearer ${userToken}` }), 401);
    }
    const scraped = await scrape(guarded, { authorization: `Bearer ${metricsToken}` });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('county_api_http_requests_total');
  });

  it('with METRICS_PORT: the API’s own address answers 404 even with the token; the metrics address keeps the token rule', async () => {
    const port = await freePort();
    const separate = await startApi({ ...production, METRICS_TOKEN: metricsToken, METRICS_PORT: String(port) });
    try {
      const bearer = { authorization: `Bearer ${metricsToken}` };
      expectRefused(await scrape(separate, bearer), 404);
      const metricsAddress = { origin: `http://127.0.0.1:${port}` };
      expectRefused(await scrape(metricsAddress), 401);
      const userToken = await login(separate.baseUrl, 'admin');
      expectRefused(await scrape(metricsAddress, { authorization: `Bearer ${userToken}` }), 401);
      const scraped = await scrape(metricsAddress, bearer);
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('county_api_http_requests_total');
      // Only the scrape path is served there: not the API, not the console.
      const other = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(other.status).toBe(404);
    } finally {
      await separate.close();
    }
    // Closed with the API.
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
