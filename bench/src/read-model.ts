import { measureExports } from './exports';
import { Pool } from 'pg';
import { hasLetterCase } from '@county/domain';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DashboardRepository, EscalationRepository, SearchRepository } from '@county/persistence';
import { Row, summarize, Summary, timeSequential } from './stats';

/**
 * Issue 17, Must show 3: the read side at county scale. 100,000 assignments (5,000 tasks of 20 units each, in five
 * plans), report events in the audit log and 10,000 乡呼县应 calls go STRAIGHT into PostgreSQL (INSERT … SELECT
 * generate_series — no workflows: this measures reads, and the workflows' own costs are the other rows), then
 * ANALYZE; then serial p50/p99 of the lists and the search against GET /me on the same API.
 */
export const READ_MODEL_SIZES = { plans: 5, tasks: 5000, unitsPerTask: 20, reports: 40_000, calls: 10_000 };
const REQUESTS = 100;
const WARMUP = 10;
/** The board polls every 3 s per open tab: 20 requests in flight is a handful of supervisors' tabs. */
const CONCURRENCY = 20;
const THROUGHPUT_MS = 3000;
const TARGET_P99_MS = 50;
const TARGET_SHARE = 0.5;

interface Throughput {
  perSecond: number;
  latency: Summary;
}

/**
 * `concurrency` clients each sending the next request as soon as the last one answered, for `ms` (at least two
 * rounds, so that a slow route still gives a rate): completed requests per second, and their latency.
 */
async function throughput(concurrency: number, ms: number, operation: () => Promise<unknown>): Promise<Throughput> {
  const latencies: number[] = [];
  const started = performance.now();
  let finished = started;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let rounds = 0;
      while (performance.now() - started < ms || rounds < 2) {
        const sent = performance.now();
        await operation();
        finished = performance.now();
        latencies.push(finished - sent);
        rounds++;
      }
    }),
  );
  return { perSecond: (latencies.length * 1000) / (finished - started), latency: summarize(latencies) };
}

/** Realistic wording: task titles, measures and goals of a county reform list, and township calls. */
const TITLES = [
  '完善指挥协调机制',
  '推进综合行政执法改革',
  '深化审批服务便民化',
  '健全基层网格化管理',
  '规范村级代办服务',
  '加强乡镇应急管理能力',
  '推行一枚印章管审批',
  '建立乡呼县应工作机制',
  '优化营商环境专项行动',
  '强化基层执法队伍建设',
];
const MEASURES = [
  '建立县乡两级联动台账，每月通报进展',
  '梳理赋权事项清单，明确承接责任',
  '开展执法人员培训，实行持证上岗',
  '推行首问负责和限时办结制度',
  '整合网格员队伍，落实一格一员',
  '建设综合指挥平台，实现信息共享',
  '制定代办服务流程图并公开',
  '完善考核办法，纳入年度目标考核',
];
const GOALS = ['群众办事不出村', '执法事项全覆盖', '审批时限压缩一半', '问题按期办结率达到95%'];
const NOTES = [
  '已完成自查，台账建立过半',
  '已召开专题会议部署推进',
  '培训执法人员二百余人次',
  '赋权事项已全部承接到位',
  '网格员队伍整合完成，正在考核',
  '综合指挥平台已试运行',
];
const CALL_SUBJECTS = [
  '农村危房改造鉴定',
  '河道违法采砂联合执法',
  '高标准农田灌溉渠维修',
  '农村供水管网漏损',
  '校园周边交通安全整治',
];
const CALL_TEXTS = [
  '某村两户危房需住建部门现场认定',
  '乡镇无执法权限，需县级部门联合处置',
  '渠道损毁影响春灌，需水务部门支持',
  '村民反映饮水水压不足，需排查管网',
];

const literal = (values: string[]) => `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(',')}]`;

/** Fills the read model; returns how long it took (ms) and what is in it. */
export async function generateReadModel(pool: Pool): Promise<{ ms: number; counts: Record<string, number> }> {
  const started = performance.now();
  const { plans, tasks, unitsPerTask, reports, calls } = READ_MODEL_SIZES;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const importer = (await client.query(`SELECT id FROM users WHERE username = 'supervisor'`)).rows[0].id as string;
    const planIds: string[] = (
      await client.query(
        `INSERT INTO plans (title, source_sha256, source_format, source_filename, imported_by)
         SELECT '平罗县' || (2021 + n) || '年基层改革任务清单（压测）', md5('plan' || n || clock_timestamp()) || md5('x' || n),
                'txt', 'bench-' || n || '.txt', $1
           FROM generate_series(1, $2) n RETURNING id`,
        [importer, plans],
      )
    ).rows.map((row) => row.id as string);
    // Tasks: titles, two or three measures, one or two goals, deadlines over 2026–2027, mixed status and light.
    await client.query(
      `INSERT INTO tasks (plan_id, no, title, measures, goals, lead_unit_ids, all_townships, related_departments,
                          deadline_text, deadline_date, deadline_kind, due_at, status, light)
       SELECT ($1::uuid[])[1 + (n % $2)], 1 + n / $2,
              (${literal(TITLES)})[1 + n % 10] || '（第' || n || '项）',
              ARRAY[(${literal(MEASURES)})[1 + n % 8], (${literal(MEASURES)})[1 + (n * 7 + 3) % 8]]
                || CASE WHEN n % 3 = 0 THEN ARRAY['第' || n || '号专项整治'] ELSE ARRAY[]::text[] END,
              ARRAY[(${literal(GOALS)})[1 + n % 4]],
              ARRAY[(SELECT id FROM units WHERE kind = 'county-dept' ORDER BY id OFFSET n % 26 LIMIT 1)],
              false, false, '2027年6月底前', d, 'date', (d + time '23:59:59') AT TIME ZONE 'Asia/Shanghai',
              (ARRAY['in-progress','in-progress','in-progress','awaiting-consolidation','closed'])[1 + n % 5],
              (ARRAY['green','green','green','yellow','red'])[1 + (n / 7) % 5]
         FROM (SELECT n, date '2026-01-31' + (n % 700) AS d FROM generate_series(0, $3 - 1) n) s`,
      [planIds, plans, tasks],
    );
    // Assignments: 20 distinct units per task (every unit but the offices), statuses and lights mixed — for the
    // generated tasks only (in `npm run bench` the database already holds the imported plans and their assignments).
    await client.query(
      `WITH unit_list AS (SELECT array_agg(id ORDER BY id) AS ids FROM units WHERE kind NOT IN ('supervision','leadership')),
            numbered AS (SELECT id, due_at, row_number() OVER (ORDER BY plan_id, no) AS i FROM tasks
                          WHERE plan_id = ANY($2::uuid[]))
       INSERT INTO assignments (task_id, unit_id, role, status, due_at, light)
       SELECT t.id, u.ids[1 + ((t.i + k) % array_length(u.ids, 1))], CASE WHEN k = 0 THEN 'lead' ELSE 'responsible' END,
              (ARRAY['assigned','acknowledged','in-progress','in-progress','submitted','approved'])[1 + (t.i + k) % 6],
              t.due_at, (ARRAY['green','green','yellow','red'])[1 + (t.i * 3 + k) % 4]
         FROM numbered t, unit_list u, generate_series(0, $1 - 1) k`,
      [unitsPerTask, planIds],
    );
    // Report events (progress and submit) in the audit log, by each unit's staff, after what the log already has.
    // Hashes are unique stand-ins: the bench never verifies the chain.
    await client.query(
      `WITH picked AS (
         SELECT a.id, a.unit_id, row_number() OVER (ORDER BY a.id) AS i FROM assignments a
          WHERE a.status IN ('in-progress','submitted','approved') ORDER BY random() LIMIT $1),
            head AS (SELECT coalesce(max(seq), 0) AS seq FROM audit_events)
       INSERT INTO audit_events (seq, at, actor_user_id, actor_unit_id, action, subject_type, subject_id, workflow_id,
                                 payload, prev_hash, hash)
       SELECT head.seq + p.i, now() - (p.i || ' minutes')::interval, u.id, p.unit_id,
              CASE WHEN p.i % 3 = 0 THEN 'assignment.submit' ELSE 'assignment.progress' END, 'assignment', p.id::text,
              'assignment-' || p.id,
              CASE WHEN p.i % 3 = 0
                   THEN jsonb_build_object('summary', (${literal(NOTES)})[1 + p.i % 6] || '，第' || p.i || '次报送', 'evidence', '[]'::jsonb)
                   ELSE jsonb_build_object('note', (${literal(NOTES)})[1 + p.i % 6] || '，第' || p.i || '次报送', 'percent', 50) END,
              encode(sha256(('prev' || p.i)::bytea), 'hex'), encode(sha256(('bench' || p.i || clock_timestamp())::bytea), 'hex')
         FROM picked p CROSS JOIN head JOIN users u ON u.username = p.unit_id || '.staff'`,
      [reports],
    );
    // Calls: townships to county units, statuses mixed, raised over the last year.
    await client.query(
      `WITH towns AS (SELECT array_agg(id ORDER BY id) AS ids FROM units WHERE kind = 'township'),
            depts AS (SELECT array_agg(id ORDER BY id) AS ids FROM units WHERE kind = 'county-dept'),
            drawn AS (SELECT n, towns.ids[1 + n % 13] AS from_unit, depts.ids[1 + (n * 7) % 26] AS to_unit,
                             now() - ((n % 365) || ' days')::interval - ((n % 1440) || ' minutes')::interval AS raised
                        FROM generate_series(0, $1 - 1) n, towns, depts)
       INSERT INTO calls (id, from_unit_id, to_unit_id, subject, description, urgency, status, raised_by, raised_at,
                          assigned_at, respond_due_at, resolve_due_at, resolution, light)
       SELECT gen_random_uuid(), d.from_unit, d.to_unit, (${literal(CALL_SUBJECTS)})[1 + n % 5] || '（' || n || '）',
              (${literal(CALL_TEXTS)})[1 + n % 4], CASE WHEN n % 5 = 0 THEN 'urgent' ELSE 'normal' END,
              (ARRAY['raised','responded','resolved','closed','closed'])[1 + n % 5], u.id, d.raised, d.raised,
              d.raised + interval '1 day', d.raised + interval '5 days',
              CASE WHEN n % 5 >= 2 THEN '已派员现场处置并反馈' END, (ARRAY['green','green','yellow','red'])[1 + n % 4]
         FROM drawn d JOIN users u ON u.username = d.from_unit || '.staff'`,
      [calls],
    );
    // Escalations (issue 19's /escalations?open=true and the board): about half the red, unapproved assignments
    // are late, a third of those reached level 2, every fifth was handled; some open calls are late too. Each
    // row's dedupe key has the shape the projection writes (workflowId:step:sequence), so its cause reads right.
    await client.query(
      `WITH late AS (
         SELECT a.id, a.unit_id, row_number() OVER (ORDER BY a.id) AS i FROM assignments a
          WHERE a.light = 'red' AND a.status <> 'approved')
       INSERT INTO escalations (subject_type, subject_id, level, reason, target_unit_id, created_at, handled_at,
                                action, dedupe_key)
       SELECT 'assignment', l.id::text, lv, CASE WHEN lv = 1 THEN '逾期未办结' ELSE '逾期未办结，升级督办' END,
              'supervision', now() - ((l.i % 90) || ' days')::interval + ((lv - 1) || ' days')::interval,
              CASE WHEN l.i % 5 = 0 THEN now() - interval '1 hour' END, CASE WHEN l.i % 5 = 0 THEN 'remind' END,
              'assignment-' || l.id || ':deadline-' || lv || ':1'
         FROM late l CROSS JOIN LATERAL generate_series(1, CASE WHEN l.i % 3 = 0 THEN 2 ELSE 1 END) lv
        WHERE l.i % 2 = 0`,
    );
    await client.query(
      `INSERT INTO escalations (subject_type, subject_id, level, reason, target_unit_id, created_at, dedupe_key)
       SELECT 'call', c.id::text, 1, '超时未签收', 'supervision', c.respond_due_at, 'call-' || c.id || ':respond-1:1'
         FROM calls c WHERE c.status = 'raised' AND c.light = 'red'`,
    );
    await client.query(
      `UPDATE assignments a SET escalation_level = e.level
         FROM (SELECT subject_id, max(level) AS level FROM escalations WHERE subject_type = 'assignment' GROUP BY subject_id) e
        WHERE a.id::text = e.subject_id`,
    );
    // Notifications (issue 19 measured 201,537): each assignment's 新任务 notice, a deadline reminder for the open
    // ones, and a 催办 for one in twenty, all delivered already (the outbox is not what is measured).
    await client.query(
      `INSERT INTO notifications (recipient_unit_id, recipient_role, kind, subject_type, subject_id, title, body,
                                  created_at, dedupe_key, dispatched_at)
       SELECT a.unit_id, NULL, k.kind, 'assignment', a.id::text, k.title, '请按时限办理', k.at,
              'bench:' || a.id || ':' || k.kind, k.at
         FROM (SELECT a.*, row_number() OVER (ORDER BY a.id) AS i FROM assignments a) a
        CROSS JOIN LATERAL (VALUES ('assignment-assigned', '新任务', now() - interval '60 days', true),
                                   ('deadline-reminder', '临期提醒', now() - interval '3 days', a.status <> 'approved'),
                                   ('urge', '催办', now() - interval '1 day', a.i % 20 = 0)) k(kind, title, at, wanted)
        WHERE k.wanted`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  await pool.query('ANALYZE');
  const counts = (
    await pool.query(
      `SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM assignments)::int AS assignments,
              (SELECT count(*) FROM audit_events)::int AS audit_events, (SELECT count(*) FROM calls)::int AS calls,
              (SELECT count(*) FROM escalations)::int AS escalations,
              (SELECT count(*) FROM escalations WHERE handled_at IS NULL)::int AS open_escalations,
              (SELECT count(*) FROM notifications)::int AS notifications`,
    )
  ).rows[0] as Record<string, number>;
  return { ms: performance.now() - started, counts };
}

interface Http {
  call<T = unknown>(method: string, route: string, token?: string, body?: unknown, expect?: number): Promise<T>;
  login(username: string): Promise<string>;
  /** The API's base URL (…/api/v1): the exports are downloaded whole, not parsed as JSON. */
  baseUrl: string;
}

/**
 * Measures the read routes at 100k assignments. `me` is GET /me measured on the same API just before (the
 * baseline of every row). Returns the table rows and notes (generation time, sizes, the slowest route's EXPLAIN).
 */
export async function measureReadModel(
  http: Http,
  pool: Pool,
  log: (message: string) => void,
): Promise<{ rows: Row[]; notes: string[] }> {
  log(
    `read model: generating ${READ_MODEL_SIZES.tasks} tasks × ${READ_MODEL_SIZES.unitsPerTask} units straight into PostgreSQL`,
  );
  const generated = await generateReadModel(pool);
  log(`read model: generated in ${(generated.ms / 1000).toFixed(1)} s: ${JSON.stringify(generated.counts)}`);
  const supervisor = await http.login('supervisor');
  const township = await http.login('chengguan.staff');
  const finance = await http.login('finance.staff');
  const financeHead = await http.login('finance.head');
  const planId = (await pool.query(`SELECT id FROM plans WHERE source_filename = 'bench-1.txt'`)).rows[0].id as string;
  // 已办 needs someone who did something: finance's staff did its share of the generated reports.
  const routes: Array<{ name: string; route: string; token: string }> = [
    { name: 'GET /me (baseline)', route: '/me', token: supervisor },
    { name: 'GET /search?q=<2 chars, common> (supervisor)', route: `/search?q=${enc('台账')}`, token: supervisor },
    { name: 'GET /search?q=<2 chars, rare> (supervisor)', route: `/search?q=${enc('鸺鹠')}`, token: supervisor },
    { name: 'GET /search?q=<2 chars> (township staff)', route: `/search?q=${enc('执法')}`, token: township },
    { name: 'GET /search?q=<4 chars> (supervisor)', route: `/search?q=${enc('综合指挥')}`, token: supervisor },
    {
      name: 'GET /search?q=<4 chars>&kind=report&unitId&status (supervisor)',
      route: `/search?q=${enc('专题会议')}&kind=report&unitId=finance&status=in-progress`,
      token: supervisor,
    },
    {
      name: 'GET /tasks?planId&status&light&dueFrom&dueTo',
      route: `/tasks?planId=${planId}&status=in-progress&light=green&dueFrom=2026-03-01&dueTo=2026-12-31&limit=50`,
      token: supervisor,
    },
    { name: 'GET /tasks?unitId&light', route: '/tasks?unitId=finance&light=red&limit=50', token: supervisor },
    { name: 'GET /inbox (finance staff)', route: '/inbox', token: finance },
    { name: 'GET /inbox (finance head, a lead unit)', route: '/inbox', token: financeHead },
    { name: 'GET /inbox (supervisor: with the 督办 items)', route: '/inbox', token: supervisor },
    { name: 'GET /done?scope=me (finance staff)', route: '/done?scope=me', token: finance },
    { name: 'GET /done?scope=unit (finance head)', route: '/done?scope=unit', token: financeHead },
    {
      name: 'GET /calls?status&unitId&raisedFrom',
      route: '/calls?status=raised&unitId=housing&raisedFrom=2025-01-01&limit=50',
      token: supervisor,
    },
    { name: 'GET /dashboard', route: '/dashboard', token: supervisor },
    { name: 'GET /dashboard?planId=', route: `/dashboard?planId=${planId}`, token: supervisor },
    { name: 'GET /escalations?open=true', route: '/escalations?open=true', token: supervisor },
  ];
  const measured: Array<{ name: string; route: string; s: Summary; c: Throughput }> = [];
  for (const { name, route, token } of routes) {
    const get = () => http.call('GET', route, token, undefined, 200);
    await timeSequential(WARMUP, get);
    const s = summarize(await timeSequential(REQUESTS, get));
    const c = await throughput(CONCURRENCY, THROUGHPUT_MS, get);
    log(
      `read model: ${name} serial p50 ${s.p50.toFixed(1)} ms p99 ${s.p99.toFixed(1)} ms; ` +
        `c=${CONCURRENCY} ${c.perSecond.toFixed(0)} req/s (p50 ${c.latency.p50.toFixed(1)} ms, ${c.latency.n} requests)`,
    );
    measured.push({ name, route, s, c });
  }
  const me = measured[0];
  const rows: Row[] = measured.flatMap(({ name, s, c }, index) => [
    ...(['p50', 'p99'] as const).map((p) => ({
      figure: `read model 100k: ${name} ${p}`,
      value: s[p],
      unit: 'ms',
      ...(index === 0 ? {} : { baseline: { name: `GET /me ${p}`, value: me.s[p] } }),
    })),
    {
      figure: `read model 100k: ${name} c=${CONCURRENCY}`,
      value: c.perSecond,
      unit: 'req/s',
      // Issue 19's target: at least half of /me's rate (ratio ≥ 0.50×) and a serial p99 ≤ 50 ms.
      ...(index === 0 ? {} : { baseline: { name: `GET /me c=${CONCURRENCY}`, value: me.c.perSecond } }),
    },
  ]);
  const missed = measured
    .slice(1)
    .filter(({ s, c }) => s.p99 > TARGET_P99_MS || c.perSecond < TARGET_SHARE * me.c.perSecond)
    .map(({ name }) => name);
  // The .xlsx exports of the same 100k rows (issue 17): whole files, so a few downloads each.
  const exportRows = await measureExports(http, supervisor, { runs: 3, expectedRows: generated.counts.assignments });
  for (const row of exportRows) log(`read model: ${row.figure} ${row.value.toFixed(1)} ${row.unit}`);
  rows.push(...exportRows.map((row) => ({ ...row, figure: `read model 100k: ${row.figure}` })));
  rows.push({
    figure: 'read model 100k: generation (INSERT … SELECT + ANALYZE)',
    value: generated.ms / 1000,
    unit: 's',
  });
  const slowestSearch = measured
    .filter((entry) => entry.route.startsWith('/search'))
    .sort((a, b) => b.s.p99 - a.s.p99)[0];
  const notes = [
    `read model: ${JSON.stringify(generated.counts)} (generated in ${(generated.ms / 1000).toFixed(1)} s)`,
    `read model: serial, ${REQUESTS} requests per route after ${WARMUP} warm-up, then ${THROUGHPUT_MS / 1000} s at concurrency ${CONCURRENCY}; slowest search: ${slowestSearch.name}`,
    `read model: target p99 ≤ ${TARGET_P99_MS} ms serial and ≥ ${TARGET_SHARE * 100} % of /me's req/s at c=${CONCURRENCY}; missed by: ${missed.join('; ') || 'none'}`,
  ];
  const explained = await explainSearch(
    pool,
    decodeURIComponent(new URL(`http://x${slowestSearch.route}`).searchParams.get('q')!),
  );
  log(`read model: EXPLAIN of the slowest search (${slowestSearch.name}):\n${explained}`);
  // From three characters on the trigram indexes should serve every kind: say which ones the planner took.
  const fourChars = await explainSearch(pool, '综合指挥');
  const indexes = ['tasks_search', 'audit_events_report_search', 'calls_search'].filter((name) =>
    fourChars.includes(name),
  );
  log(`read model: EXPLAIN of a 4-character search:\n${fourChars}`);
  const planFile = await explainBoard(pool, planId, log);
  return {
    rows,
    notes: [
      ...notes,
      `a 4-character search uses the trigram indexes: ${indexes.join(', ') || 'none'}`,
      'EXPLAIN (ANALYZE) of the slowest search and of a 4-character one is printed on stderr',
      `EXPLAIN (ANALYZE, BUFFERS) of every query of /dashboard, /dashboard?planId= and /escalations?open=true: ${planFile} (summary lines on stderr)`,
    ],
  };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the very queries the API runs for a supervisor's search of `q`: the repository is
 * handed a data source that explains instead of executing, so the SQL explained is the SQL served.
 */
export async function explainSearch(pool: Pool, q: string): Promise<string> {
  const plans: string[] = [];
  const explaining = {
    query: async (sql: string, parameters: unknown[]) => {
      const result = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
      plans.push(result.rows.map((row) => row['QUERY PLAN'] as string).join('\n'));
      return [];
    },
  };
  const repository = new SearchRepository(explaining as never);
  const filter = { pattern: `%${q}%`, ignoreCase: hasLetterCase(q), limit: 51 };
  const viewer = { all: true, unitIds: [] };
  await repository.tasks(filter, null);
  await repository.reports(filter, viewer, null);
  await repository.calls(filter, viewer, null);
  return ['tasks', 'reports', 'calls'].map((kind, index) => `-- ${kind}\n${plans[index]}`).join('\n\n');
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the queries behind /dashboard, /dashboard?planId= and /escalations?open=true, run
 * by the repositories themselves on a data source that explains instead of executing (the SQL explained is the
 * SQL served). The whole plans go to a file; each query's top node and execution time to the log.
 */
export async function explainBoard(pool: Pool, planId: string, log: (message: string) => void): Promise<string> {
  const plans: Array<{ what: string; sql: string; plan: string[] }> = [];
  let what = '';
  // One query at a time (the repositories send theirs together): each plan's time is its own, not a share of two cores.
  let queue: Promise<unknown> = Promise.resolve();
  const explaining = {
    query: (sql: string, parameters: unknown[]) => {
      const label = what;
      const explained = queue.then(async () => {
        const result = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
        plans.push({ what: label, sql, plan: result.rows.map((row) => row['QUERY PLAN'] as string) });
        return [];
      });
      queue = explained;
      return explained;
    },
    transaction: () => {
      throw new Error('the reads explained do not write');
    },
  };
  what = 'GET /dashboard';
  await new DashboardRepository(explaining as never).dashboard();
  what = 'GET /dashboard?planId=';
  await new DashboardRepository(explaining as never).dashboard(planId);
  what = 'GET /escalations?open=true';
  // As the API asks for its first page (DEFAULT_PAGE_SIZE, apps/api common/pagination).
  await new EscalationRepository(explaining as never).queue({ openOnly: true, minLevel: 1 }, { limit: 100 });
  const file = path.join(os.tmpdir(), `county-read-model-plans-${process.pid}.txt`);
  writeFileSync(
    file,
    plans.map(({ what, sql, plan }) => `-- ${what}\n${sql.trim()}\n\n${plan.join('\n')}\n`).join('\n\n'),
  );
  for (const { what, sql, plan } of plans) {
    const execution = plan.find((line) => line.startsWith('Execution Time')) ?? '';
    // The query's first words name it (which count, which list) next to its plan's top node.
    const opening = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
    log(`read model: plan of ${what}: [${opening}…] ${plan[0].trim()} — ${execution}`);
  }
  return file;
}

const enc = encodeURIComponent;
