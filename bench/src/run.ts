import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { prepareDatabase } from '@county/api';
import { freePort } from '@county/scripts/dist/free-port';
import { createDatabaseIfMissing, dropDatabase, startEmbeddedPostgres } from '@county/scripts/dist/postgres';
import { resolveTemporalCli, TemporalCli } from '@county/scripts/dist/temporal-cli';
import { startRealTemporalServer } from '@county/scripts/dist/temporal-real-server';
import { RunningTemporal, startTemporalServer } from '@county/scripts/dist/temporal-server';
import { OPEN_ASSIGNMENT_STATUSES, TEXT_LIMITS } from '@county/domain';
import { importAndStart, startApi as startKitApi, tokenCache } from '@county/test-kit';
import { assignmentWorkflowId } from '@county/workflows';
import { BENCH_TABLE_SQL, createBenchActivities } from './bench.activities';
import { measureBackup } from './backup';
import { measureReadModel, READ_MODEL_SIZES } from './read-model';
import {
  inParallel,
  percentile,
  Row,
  serverTable,
  summarize,
  Summary,
  table,
  Target,
  TargetRow,
  timeSequential,
} from './stats';
import {
  noopWorkflow,
  idleWorkflow,
  pingUpdate,
  pokeSignal,
  recordWorkflow,
  stopSignal,
  timerWorkflow,
} from './workflows/bench.workflows';

/**
 * `npm run bench` (small sizes, a few minutes on 2 cores) or `npm run bench -- --full` (the issue's sizes).
 * Starts its own Temporal dev servers and a fresh database, runs every figure and its baseline in the same
 * run, prints a Markdown table. Nothing is hard-coded: every number printed is measured here.
 */
const FULL = process.argv.includes('--full');
/**
 * `--only read-model`: just the read-model figures (issue 17), without Temporal or the other figures.
 * `--only backup`: just the backup and restore of the application database at the read model's size (issue 20).
 */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const SIZES = FULL
  ? {
      base: 1000,
      noop: 300,
      approve: 300,
      approveWarm: 20,
      openAssignments: 10_000,
      timers: 2000,
      timerLeadMs: 120_000,
      ladder: [10, 20, 40, 80, 160, 320],
      stepMs: 10_000,
      sqlite: 300,
      reports: 2000,
    }
  : {
      base: 300,
      noop: 100,
      approve: 100,
      approveWarm: 10,
      openAssignments: 1000,
      timers: 300,
      timerLeadMs: 20_000,
      ladder: [10, 20, 40, 80, 160],
      stepMs: 4_000,
      sqlite: 100,
      reports: 300,
    };

const DEMO_PASSWORD = 'bench-demo-password';
const APP_QUEUE = 'bench-app';
const BARE_QUEUE = 'bench-bare';
const REPOSITORY = path.resolve(__dirname, '../..');
const BENCH_WORKFLOWS = require.resolve('./workflows/bench.workflows');
const SEED_LIST = path.join(REPOSITORY, 'seeds/pingluo-2021-grassroots-reform-task-list.txt');

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

interface Stack {
  cleanups: Array<() => Promise<void>>;
}

type ServerKind = 'dev' | 'real';
const SERVER_NAMES: Record<ServerKind, string> = { dev: 'dev server', real: 'real server' };
const SERVER_OPTION = optionValue('--server') ?? 'both';
if (!['dev', 'real', 'both'].includes(SERVER_OPTION)) throw new Error(`--server ${SERVER_OPTION}: dev, real or both`);
const SERVERS: ServerKind[] = SERVER_OPTION === 'both' ? ['dev', 'real'] : [SERVER_OPTION as ServerKind];
/**
 * `--issue19`: only the figures issue 19 compares across servers; leaves out the dev-server-only figures
 * (reports on one assignment, eager dispatch, the start ladder, SQLite pragmas, the read model).
 */
const ISSUE19_ONLY = process.argv.includes('--issue19');
/**
 * `--sweep`: after the other figures, the reminder drain again with each of these worker settings (the production
 * worker's environment, apps/worker/src/config.ts), one worker at a time.
 */
const SWEEP = process.argv.includes('--sweep');
const WORKER_SETTINGS: Array<Record<string, string>> = [
  {},
  { WORKER_WORKFLOW_POLLERS: '2', WORKER_ACTIVITY_POLLERS: '2' },
  { WORKER_WORKFLOW_POLLERS: '20', WORKER_ACTIVITY_POLLERS: '20' },
  { WORKER_WORKFLOW_TASK_SLOTS: '200', WORKER_ACTIVITY_TASK_SLOTS: '200', WORKER_DATABASE_POOL_SIZE: '20' },
];

function optionValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  if (ONLY === 'read-model') return readModelOnly();
  if (ONLY === 'backup') return backupOnly();
  if (ONLY !== undefined) throw new Error(`--only ${ONLY}: the only part that runs alone is read-model`);
  // The SDK's per-worker INFO lines would bury the progress log.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const notes: string[] = [];
  const started = Date.now();
  const loadAtStart = readFileSync('/proc/loadavg', 'utf8').trim();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'county-bench-'));
  try {
    // The dev server's CLI is needed for the dev pass only; the real server's binaries are resolved by its pass.
    const cli = SERVERS.includes('dev') ? await resolveTemporalCli(log) : undefined;
    const machine = describeMachine(cli, loadAtStart);
    const passes: Array<{ name: string; rows: TargetRow[] }> = [];
    let extraRows: Row[] = [];
    for (const kind of SERVERS) {
      const pass = await measureServer(kind, cli, dir, notes, kind === 'dev' && !ISSUE19_ONLY);
      passes.push({ name: SERVER_NAMES[kind], rows: pass.rows });
      extraRows = extraRows.concat(pass.extraRows);
      machine.push(...pass.machine.filter((line) => !machine.includes(line)));
    }
    const header = [
      `## ${FULL ? 'Full' : 'Small'} run — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${((Date.now() - started) / 60_000).toFixed(1)} min`,
      '',
      ...machine.map((line) => `- ${line}`),
      `- /proc/loadavg at the end: ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
      `- sizes: ${JSON.stringify(SIZES)}`,
      ...notes.map((line) => `- ${line}`),
      '',
    ];
    const sections = [`${header.join('\n')}`, `### Both servers (issue 19)\n\n${serverTable(passes)}\n`];
    if (extraRows.length > 0) sections.push(`### Dev server only\n\n${table(extraRows)}\n`);
    process.stdout.write(sections.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every Temporal figure of issue 19 on one server, each with its baseline from the same pass: a fresh application
 * database, the server (dev: SQLite file; real: PostgreSQL, throwaway databases dropped afterwards), the
 * production worker as a child process, the API in-process and the bench's own worker.
 */
async function measureServer(
  kind: ServerKind,
  cli: TemporalCli | undefined,
  dir: string,
  notes: string[],
  extras: boolean,
): Promise<{ rows: TargetRow[]; extraRows: Row[]; machine: string[] }> {
  const stack: Stack = { cleanups: [] };
  const rows: TargetRow[] = [];
  const extraRows: Row[] = [];
  const machine: string[] = [];
  const note = (line: string) => notes.push(`${SERVER_NAMES[kind]}: ${line}`);
  log(`── ${SERVER_NAMES[kind]} ──`);
  try {
    // ── services ──────────────────────────────────────────────────────────────────────────────────────
    const databaseUrl = await freshDatabase(stack);
    const pool = new Pool({ connectionString: databaseUrl, max: 8 });
    stack.cleanups.push(() => pool.end());
    await pool.query(BENCH_TABLE_SQL);
    machine.push(`PostgreSQL: ${(await pool.query('SHOW server_version')).rows[0].server_version}`);

    let temporalStorageMb: () => Promise<number>;
    let address: string;
    if (kind === 'dev') {
      const server = await startServer(stack, cli!, dir, 'main', undefined);
      address = server.address;
      temporalStorageMb = async () => fileMb(path.join(dir, 'main.db'));
      machine.push(
        'dev server: `temporal server start-dev`, SQLite file in WAL mode with synchronous=NORMAL (as `npm start`), headless, log level warn',
      );
    } else {
      const real = await startRealServer(stack, databaseUrl, dir);
      address = real.address;
      temporalStorageMb = async () => {
        const sizes = await pool.query<{ bytes: string }>(
          'SELECT sum(pg_database_size(datname))::text AS bytes FROM pg_database WHERE datname = ANY($1)',
          [[real.databases.main, real.databases.visibility]],
        );
        return Number(sizes.rows[0].bytes) / 2 ** 20;
      };
      machine.push(
        `real server: temporal-server (go.temporal.io/server v1.29.1) all four services in one process, on the same PostgreSQL, ${real.shards} history shards, maxConns ${real.maxConns}, log level warn (scripts/src/temporal-real-server.ts)`,
      );
    }
    machine.push(
      'API in-process (Fastify), production worker as a child process with its defaults, bench workflows on an in-process worker',
    );
    const connection = await Connection.connect({ address });
    stack.cleanups.push(() => connection.close());
    const client = new Client({ connection });

    await startBareWorker(stack, address, pool);
    const appWorker = await startAppWorker(stack, address, databaseUrl);
    const api = await startApi(stack, address, databaseUrl);
    const http = httpClient(api);

    const emptyRssMb = rssMb(appWorker);
    const emptyDbMb = await databaseMb(pool);

    // ── baselines ─────────────────────────────────────────────────────────────────────────────────────
    log(`baselines (${SIZES.base} each)`);
    let insertKey = 0;
    const insert = summarize(
      await timeSequential(SIZES.base, () =>
        pool.query('INSERT INTO bench_rows (key) VALUES ($1)', [`insert-${insertKey++}`]),
      ),
    );
    await timeSequential(20, () => fetch(api.origin + '/bench/noop').then((r) => r.text()));
    const bareHttp = summarize(
      await timeSequential(SIZES.base, () => fetch(api.origin + '/bench/noop').then((r) => r.text())),
    );
    const supervisor = await http.login('supervisor');
    const nestRoute = summarize(await timeSequential(SIZES.base, () => http.call('GET', '/me', supervisor)));

    const idle = await client.workflow.start(idleWorkflow, { taskQueue: BARE_QUEUE, workflowId: `idle-${Date.now()}` });
    await timeSequential(20, (i) => idle.executeUpdate(pingUpdate, { args: [i] }));
    const signal = summarize(await timeSequential(SIZES.base, () => idle.signal(pokeSignal)));
    const update = summarize(await timeSequential(SIZES.base, (i) => idle.executeUpdate(pingUpdate, { args: [i] })));
    await idle.signal(stopSignal);
    const noop = summarize(
      await timeSequential(SIZES.noop, (i) =>
        client.workflow.execute(noopWorkflow, { taskQueue: BARE_QUEUE, workflowId: `noop-${Date.now()}-${i}` }),
      ),
    );
    const latencyRows = (
      figure: string,
      s: Summary,
      baseline?: { name: string; s: Summary },
      p50Target?: Target,
    ): TargetRow[] =>
      (['p50', 'p95', 'p99'] as const).map((p) => ({
        figure: `${figure} ${p}`,
        value: s[p],
        unit: 'ms',
        baseline: baseline && { name: `${baseline.name} ${p}`, value: baseline.s[p] },
        target: p === 'p50' ? p50Target : undefined,
      }));
    rows.push(
      ...latencyRows('bare PostgreSQL single-row insert', insert),
      ...latencyRows('bare HTTP route on the Nest app (GET, no handler work)', bareHttp),
      ...latencyRows('authenticated Nest route GET /me', nestRoute, { name: 'bare HTTP', s: bareHttp }),
      ...latencyRows('bare Temporal signal on an idle workflow', signal),
      ...latencyRows('bare Temporal update round-trip on an idle workflow', update, { name: 'bare signal', s: signal }),
      ...latencyRows('no-op workflow start-to-result', noop, { name: 'bare update', s: update }),
    );

    // Deadlines in the benchmark's plans fall in 2027: enter that year as an admin would, so working-day
    // arithmetic does not wait for the holiday notice (which would retry activities during the run).
    const admin = await http.login('admin');
    await http.call('PUT', '/calendar/years/2027', admin, { notice: '基准测试：按周一至周五计' }, 200);

    // ── approve step, empty system ────────────────────────────────────────────────────────────────────
    log(`approve step (${SIZES.approve} approvals after ${SIZES.approveWarm} warm-up)`);
    const approveEmpty = await measureApprovals(http, client, pool, supervisor, SIZES.approveWarm, SIZES.approve);
    rows.push(
      ...latencyRows(
        'approve step (HTTP → authorization → update → projection committed)',
        approveEmpty.latency,
        { name: 'bare update', s: update },
        { text: 'p50 ≤ 2× bare update', on: 'ratio', op: '<=', limit: 2 },
      ),
    );
    const approveParts: Array<[string, number]> = [
      ['authorization reads (GET /assignments/:id)', approveEmpty.authorizationReads.p50],
      ['update accepted → projection activity scheduled', approveEmpty.phases.toScheduled],
      ['projection activity queued (scheduled → started)', approveEmpty.phases.queued],
      ['projection activity run, commit included (started → completed)', approveEmpty.phases.run],
      ['activity completed → update completed', approveEmpty.phases.toCompleted],
    ];
    rows.push(
      ...approveParts.map(([part, value]) => ({
        figure: `  of which: ${part} p50`,
        value,
        unit: 'ms',
        baseline: { name: 'approve p50', value: approveEmpty.latency.p50 },
      })),
    );

    // ── seed list import ──────────────────────────────────────────────────────────────────────────────
    log('seed-list import');
    const seed = await importPlan(http, supervisor, readFileSync(SEED_LIST, 'utf8'), { year: '2027' });
    rows.push({
      figure: `seed-list import → all ${seed.assignments} assignment workflows running (${seed.tasks} tasks)`,
      value: seed.ms,
      unit: 'ms',
      baseline: {
        name: `${seed.tasks + seed.assignments} × no-op workflow p50`,
        value: (seed.tasks + seed.assignments) * noop.p50,
      },
      target: { text: '≤ 5,000 ms', on: 'value', op: '<=', limit: 5000 },
    });

    // ── timers and reminders due in the same second ──────────────────────────────────────────────────
    log(`${SIZES.timers} bare timers due in the same second`);
    // The lead covers starting them at the serial no-op pace; a busy machine may need twice that (one retry).
    const timers = await withLongerLead(Math.max(SIZES.timerLeadMs, 10_000 + SIZES.timers * noop.p50), (leadMs) =>
      measureTimers(client, SIZES.timers, leadMs),
    );
    note(
      `bare timers: all ${SIZES.timers} armed before they were due, the last ${(timers.lastArmedBeforeMs / 1000).toFixed(1)} s before`,
    );
    log(`${SIZES.timers} deadline reminders due in the same second`);
    // The lead covers the import at 1.5 times the seed import's pace per assignment (one retry with twice the lead).
    const reminderLead = Math.max(SIZES.timerLeadMs, 10_000 + (1.5 * SIZES.timers * seed.ms) / seed.assignments);
    const reminders = await withLongerLead(reminderLead, (leadMs) =>
      measureReminders(http, pool, supervisor, SIZES.timers, leadMs),
    );
    note(
      `reminders: ${reminders.n} assignment workflows running ${(reminders.armedBeforeMs / 1000).toFixed(1)} s before their reminders were due (import ${(reminders.importMs / 1000).toFixed(1)} s), drained in ${(reminders.lag.max / 1000).toFixed(1)} s`,
    );
    rows.push(
      {
        figure: `bare timer workflows: drain rate (${SIZES.timers} due in the same second)`,
        value: timers.perSecond,
        unit: '/s',
      },
      {
        figure: `bare timer fire lag p50 (${SIZES.timers} due in the same second)`,
        value: timers.lag.p50,
        unit: 'ms',
      },
      {
        figure: `bare timer fire lag p99 (${SIZES.timers} due in the same second)`,
        value: timers.lag.p99,
        unit: 'ms',
      },
      {
        figure: `deadline reminders committed: drain rate (${SIZES.timers} due in the same second)`,
        value: reminders.perSecond,
        unit: '/s',
        baseline: { name: 'bare timer drain rate', value: timers.perSecond },
        target: { text: '≥ 50 % of bare timers', on: 'ratio', op: '>=', limit: 0.5 },
      },
      ...(['p50', 'p99'] as const).map((p) => ({
        figure: `deadline reminder lag (due → notification committed) ${p}`,
        value: reminders.lag[p],
        unit: 'ms',
        baseline: { name: `bare timer fire lag ${p}`, value: timers.lag[p] },
      })),
    );

    if (extras) extraRows.push(...(await devOnlyFigures(cli!, dir, http, pool, client, supervisor, noop, notes)));

    // ── many open assignments ─────────────────────────────────────────────────────────────────────────
    log(`${SIZES.openAssignments} open assignment workflows`);
    const load = await loadOpenAssignments(http, pool, supervisor, SIZES.openAssignments);
    const open = Number(
      (
        await pool.query('SELECT count(*)::int AS open FROM assignments WHERE status = ANY($1)', [
          [...OPEN_ASSIGNMENT_STATUSES],
        ])
      ).rows[0].open,
    );
    note(`open assignments: ${load.open} imported for this figure, ${open} open in all`);
    await sleep(3_000); // let the worker settle before reading its memory
    const loadedRssMb = rssMb(appWorker);
    const loadedDbMb = await databaseMb(pool);
    const approveLoaded = await measureApprovals(
      http,
      client,
      pool,
      supervisor,
      SIZES.approveWarm,
      Math.min(SIZES.approve, 50),
    );
    const label = `${SIZES.openAssignments}+ open assignments`;
    rows.push(
      {
        figure: `${label}: import → all running`,
        value: load.ms,
        unit: 'ms',
        baseline: { name: 'as many × no-op workflow p50', value: load.open * noop.p50 },
      },
      {
        figure: `${label}: worker RSS`,
        value: loadedRssMb,
        unit: 'MB',
        baseline: { name: 'empty system', value: emptyRssMb },
        target: { text: '< 2,048 MB (at 50,000)', on: 'value', op: '<', limit: 2048 },
      },
      {
        figure: `${label}: PostgreSQL database size (read model)`,
        value: loadedDbMb,
        unit: 'MB',
        baseline: { name: 'empty system', value: emptyDbMb },
      },
      {
        figure: `${label}: Temporal's own storage (SQLite file / PostgreSQL databases)`,
        value: await temporalStorageMb(),
        unit: 'MB',
      },
      ...latencyRows(
        `${label}: approve step`,
        approveLoaded.latency,
        { name: 'approve, empty system', s: approveEmpty.latency },
        { text: 'p50 ≤ 1.3× empty system', on: 'ratio', op: '<=', limit: 1.3 },
      ),
    );

    if (SWEEP) {
      // ── the reminder drain per worker setting, one production worker at a time ───────────────────────
      const exited = new Promise((resolve) => appWorker.once('exit', resolve));
      if (appWorker.exitCode === null) appWorker.kill('SIGTERM');
      await exited;
      for (const settings of WORKER_SETTINGS) {
        const name =
          Object.keys(settings).length === 0
            ? 'SDK defaults'
            : Object.entries(settings)
                .map(([key, value]) => `${key}=${value}`)
                .join(' ');
        log(`reminder drain, worker with ${name}`);
        const sweepStack: Stack = { cleanups: [] };
        try {
          await startAppWorker(sweepStack, address, databaseUrl, settings);
          const tried = await withLongerLead(reminderLead, (leadMs) =>
            measureReminders(http, pool, supervisor, SIZES.timers, leadMs),
          );
          rows.push({
            figure: `reminder drain rate, worker ${name}`,
            value: tried.perSecond,
            unit: '/s',
            baseline: { name: 'bare timer drain rate', value: timers.perSecond },
          });
        } finally {
          for (const cleanup of sweepStack.cleanups.reverse()) await cleanup();
        }
      }
    }

    if (extras) {
      // ── read model at 100k assignments (issue 17) ───────────────────────────────────────────────────
      const readModel = await measureReadModel(http, pool, log);
      extraRows.push(...readModel.rows);
      notes.push(...readModel.notes);
    }
    return { rows, extraRows, machine };
  } finally {
    for (const cleanup of stack.cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${String(error)}`));
  }
}

/** The figures measured on the dev server only (they compare the dev server with itself or predate issue 19). */
async function devOnlyFigures(
  cli: TemporalCli,
  dir: string,
  http: Http,
  pool: Pool,
  client: Client,
  supervisor: string,
  noop: Summary,
  notes: string[],
): Promise<Row[]> {
  const rows: Row[] = [];
  const latencyRows = (figure: string, s: Summary, baseline?: { name: string; s: Summary }) =>
    (['p50', 'p95', 'p99'] as const).map((p) => ({
      figure: `${figure} ${p}`,
      value: s[p],
      unit: 'ms',
      baseline: baseline && { name: `${baseline.name} ${p}`, value: baseline.s[p] },
    }));

  // The measured cause of the approve step's extra time is the activity dispatch and the workflow task
  // that follows it (see BENCHMARKS.md). The same approvals against a server with eager activity dispatch,
  // which hands the projection activity back to the worker in the reply to its workflow task completion.
  log('approve step with eager activity dispatch (second server)');
  const plain = await measureApprovals(http, client, pool, supervisor, SIZES.approveWarm, Math.min(SIZES.approve, 50));
  const eager = await measureEagerApprovals(cli, dir, Math.min(SIZES.approve, 50));
  rows.push(
    ...latencyRows('approve step, server with eager activity dispatch', eager.latency, {
      name: 'approve (default server)',
      s: plain.latency,
    }),
    {
      figure: '  of which: projection activity queued (scheduled → started) p50, eager',
      value: eager.phases.queued,
      unit: 'ms',
      baseline: { name: 'default server', value: plain.phases.queued },
    },
  );

  // ── thousands of reports on one assignment: the workflow's state must not grow with them ──────────
  log(`${SIZES.reports} progress reports of maximum length on one assignment`);
  const reports = await measureReports(http, pool, supervisor, SIZES.reports);
  const reportWindow = Math.min(100, Math.floor(SIZES.reports / 3));
  rows.push(
    ...latencyRows(
      `progress report (${TEXT_LIMITS.progressNote}-character note): the last ${reportWindow} of ${SIZES.reports} on one assignment`,
      summarize(reports.durations.slice(-reportWindow)),
      { name: `the first ${reportWindow}`, s: summarize(reports.durations.slice(0, reportWindow)) },
    ),
    {
      figure: `largest answer over the ${SIZES.reports} reports (then submitted and approved: ${reports.approved})`,
      value: reports.largestAnswerBytes,
      unit: 'bytes',
      baseline: { name: 'limit (issue 12)', value: 64 * 1024 },
    },
  );

  // ── start throughput ──────────────────────────────────────────────────────────────────────────────
  log(`start throughput ladder ${SIZES.ladder.join(', ')}/s`);
  const throughput = await measureThroughput(client, SIZES.ladder, SIZES.stepMs);
  rows.push({
    figure: `task-shaped workflows completed/s at the highest offered rate that kept up (${throughput.sustainedRate}/s offered; backlog grew at ${throughput.brokeAt ?? 'none tried'})`,
    value: throughput.completedPerSecond,
    unit: '/s',
    baseline: { name: '1 / no-op workflow p50 (one client, serial)', value: 1000 / noop.p50 },
  });
  notes.push(`throughput ladder: ${throughput.steps.join('; ')}`);

  // ── SQLite default vs WAL ─────────────────────────────────────────────────────────────────────────
  log('Temporal dev server: SQLite defaults vs WAL + synchronous=NORMAL');
  const sqlite: Record<string, { noop: Summary; burst: number }> = {};
  for (const [name, pragmas] of [
    ['default', []],
    ['wal', ['journal_mode=wal', 'synchronous=normal']],
  ] as const) {
    sqlite[name] = await measureSqlite(cli, dir, name, [...pragmas], pool);
  }
  rows.push(
    {
      figure: 'dev server (SQLite file) WAL+NORMAL: no-op workflow p50',
      value: sqlite.wal.noop.p50,
      unit: 'ms',
      baseline: { name: 'SQLite defaults', value: sqlite.default.noop.p50 },
    },
    {
      figure: 'dev server (SQLite file) WAL+NORMAL: no-op workflow p99',
      value: sqlite.wal.noop.p99,
      unit: 'ms',
      baseline: { name: 'SQLite defaults', value: sqlite.default.noop.p99 },
    },
    {
      figure: 'dev server (SQLite file) WAL+NORMAL: task-shaped burst completed/s',
      value: sqlite.wal.burst,
      unit: '/s',
      baseline: { name: 'SQLite defaults', value: sqlite.default.burst },
    },
  );
  return rows;
}

/**
 * The real Temporal server on the bench's PostgreSQL, in two throwaway databases named after the run (dropped
 * once the server has stopped: the cleanups run in reverse order).
 */
async function startRealServer(stack: Stack, databaseUrl: string, dir: string) {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const stamp = `${process.pid}_${Date.now()}`;
  const databases = { main: `county_bench_temporal_${stamp}`, visibility: `county_bench_temporal_vis_${stamp}` };
  stack.cleanups.push(async () => {
    await dropDatabase(admin.toString(), databases.main);
    await dropDatabase(admin.toString(), databases.visibility);
  });
  const shards = 4;
  const maxConns = 10;
  const server = await startRealTemporalServer({
    postgresUrl: admin.toString(),
    databases,
    stateDir: path.join(dir, 'real-server'),
    historyShards: shards,
    maxConns,
    log,
  });
  stack.cleanups.push(() => server.stop());
  return { address: server.address, databases, shards, maxConns };
}

/**
 * `n` assignments whose deadline reminder falls due at the same instant: the plan's policy has one reminder
 * `due − fireAt` before the deadline (the list's common 完成时限), no escalations and a 签收 limit far away.
 * The lag of each is the commit of its reminder notification (the projection's transaction time) after fireAt.
 * It fails (LeadTooShort) if a workflow was still starting when its reminder was due: that would measure the
 * import, not the drain.
 */
async function measureReminders(http: Http, pool: Pool, supervisor: string, n: number, leadMs: number) {
  const perTask = responsibleUnits().length;
  const probe = await importPlan(http, supervisor, generatedList(1, 1));
  const probeId = probe.plan.tasks[0].assignments[0].id;
  const due = (await pool.query<{ due: Date }>('SELECT due_at AS due FROM assignments WHERE id = $1', [probeId]))
    .rows[0].due;
  const fireAt = Date.now() + leadMs;
  const before = `PT${((due.getTime() - fireAt) / 1000).toFixed(3)}S`;
  // The ladder must not be empty (libs/domain policy): its first step lies 300 days after the deadline, never reached.
  const policy = {
    assignment: { remindBefore: [before], escalateAfter: [{ after: 'P300D', level: 1 }], acknowledgeWithin: 'P300D' },
  };
  const begin = performance.now();
  const imported = await importPlan(http, supervisor, generatedList(Math.ceil(n / (perTask + 1)), perTask), {
    policy: JSON.stringify(policy),
  });
  const importMs = performance.now() - begin;
  const armedBeforeMs = fireAt - Date.now();
  if (armedBeforeMs <= 0)
    throw new LeadTooShort(`importing ${imported.assignments} assignments took longer than the ${leadMs} ms lead`);
  const ids = imported.plan.tasks.flatMap((task) => task.assignments.map((assignment) => assignment.id));
  const fired = async () =>
    (
      await pool.query<{ at: string }>(
        `SELECT (extract(epoch FROM min(created_at)) * 1000)::text AS at FROM notifications
          WHERE kind = 'deadline-reminder' AND subject_id = ANY($1) GROUP BY subject_id`,
        [ids],
      )
    ).rows.map((row) => Number(row.at));
  await sleep(Math.max(0, fireAt - Date.now()));
  await waitUntil(`${ids.length} reminders`, async () => (await fired()).length === ids.length, 30 * 60_000, 500);
  const lags = (await fired()).map((at) => at - fireAt);
  if (Math.min(...lags) < -50) throw new Error(`a reminder fired ${-Math.min(...lags)} ms before it was due`);
  const lag = { ...summarize(lags), max: Math.max(...lags) };
  return { n: ids.length, lag, perSecond: ids.length / (Math.max(lag.max, 1) / 1000), armedBeforeMs, importMs };
}

/**
 * The read-model figures alone: a fresh database and the API, no Temporal server (the routes measured only read
 * PostgreSQL; the API's Temporal connection is lazy and never used).
 */
async function readModelOnly(): Promise<void> {
  const stack: Stack = { cleanups: [] };
  const started = Date.now();
  try {
    const databaseUrl = await freshDatabase(stack);
    const pool = new Pool({ connectionString: databaseUrl, max: 4 });
    stack.cleanups.push(() => pool.end());
    const api = await startApi(stack, `127.0.0.1:${await freePort()}`, databaseUrl);
    const { rows, notes } = await measureReadModel(httpClient(api), pool, log);
    const cpus = os.cpus();
    const header = [
      `## Read model run — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${((Date.now() - started) / 60_000).toFixed(1)} min`,
      '',
      `- machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average at start ${os
        .loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
      `- PostgreSQL: ${(await pool.query('SHOW server_version')).rows[0].server_version}; Node ${process.version}`,
      `- sizes: ${JSON.stringify(READ_MODEL_SIZES)}`,
      ...notes.map((line) => `- ${line}`),
      '',
    ];
    process.stdout.write(`${header.join('\n')}\n${table(rows)}\n`);
  } finally {
    for (const cleanup of stack.cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${String(error)}`));
  }
}

/** The backup figures alone: a fresh database at the read model's size, no Temporal, no API. */
async function backupOnly(): Promise<void> {
  const stack: Stack = { cleanups: [] };
  const started = Date.now();
  try {
    const databaseUrl = await freshDatabase(stack);
    const loadAtStart = os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
    const { rows, notes } = await measureBackup(databaseUrl, log);
    const header = [
      `## Backup run — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${((Date.now() - started) / 60_000).toFixed(1)} min`,
      '',
      ...describeMachine(undefined, loadAtStart).map((line) => `- ${line}`),
      ...notes.map((line) => `- ${line}`),
      '',
    ];
    process.stdout.write(`${header.join('\n')}\n${table(rows)}\n`);
  } finally {
    for (const cleanup of stack.cleanups.reverse()) await cleanup().catch((error) => log(`cleanup: ${String(error)}`));
  }
}

function describeMachine(cli: TemporalCli | undefined, loadAtStart: string): string[] {
  const cpus = os.cpus();
  const version =
    cli === undefined
      ? 'no dev server in this run'
      : cli.kind === 'binary'
        ? execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim()
        : 'SDK-downloaded dev server';
  return [
    `machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    // The machine is shared: the load beside the run says how far its absolute numbers can be trusted.
    `/proc/loadavg at the start: ${loadAtStart}`,
    `Node ${process.version}; ${version}`,
  ];
}

async function freshDatabase(stack: Stack): Promise<string> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // Without DATABASE_URL: a throwaway embedded cluster, as the test setup does.
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(os.tmpdir(), `county-bench-postgres-${process.pid}`),
      port: await freePort(),
      database: 'county_bench',
      persistent: false,
      log,
    });
    stack.cleanups.push(() => postgres.stop());
    adminUrl = postgres.url;
  }
  const admin = new URL(adminUrl);
  admin.pathname = '/postgres';
  const name = `county_bench_${process.pid}_${Date.now()}`;
  await createDatabaseIfMissing(admin.toString(), name);
  stack.cleanups.push(() => dropDatabase(admin.toString(), name));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await prepareDatabase({ databaseUrl: url.toString(), demoPassword: DEMO_PASSWORD });
  process.env.BENCH_DATABASE_URL = url.toString();
  return url.toString();
}

async function startServer(stack: Stack, cli: TemporalCli, dir: string, name: string, pragmas: string[] | undefined) {
  const server: RunningTemporal = await startTemporalServer({
    cli,
    port: await freePort(),
    dbFile: path.join(dir, `${name}.db`),
    sqlitePragmas: pragmas,
    logFile: path.join(dir, `${name}.log`),
  });
  stack.cleanups.push(() => server.stop());
  return server;
}

async function startBareWorker(stack: Stack, address: string, pool: Pool, taskQueue = BARE_QUEUE): Promise<void> {
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: BENCH_WORKFLOWS,
    activities: createBenchActivities(pool),
  });
  const running = worker.run();
  stack.cleanups.push(async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });
}

async function startAppWorker(
  stack: Stack,
  address: string,
  databaseUrl: string,
  settings: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(REPOSITORY, 'apps/worker/dist/main.js')], {
    env: {
      ...process.env,
      ...settings,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: APP_QUEUE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stack.cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  await waitUntil(
    'the production worker to poll',
    async () => {
      if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
      return output.includes('worker polling');
    },
    120_000,
  );
  return child;
}

/** The real API (the test kit's), with the bare baseline beside it: a route that skips Nest's pipeline. */
async function startApi(stack: Stack, address: string, databaseUrl: string) {
  const api = await startKitApi(
    { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: APP_QUEUE, DEMO_PASSWORD },
    {
      configure: (app) =>
        app
          .getHttpAdapter()
          .getInstance()
          .get('/bench/noop', (_request, reply) => reply.send('ok')),
    },
  );
  stack.cleanups.push(() => api.close());
  return { ...api, databaseUrl };
}

function httpClient({ baseUrl, databaseUrl }: { baseUrl: string; databaseUrl: string }) {
  const call = async <T = Record<string, unknown>>(
    method: string,
    route: string,
    token?: string,
    body?: unknown,
    expect?: number,
  ) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (expect !== undefined && response.status !== expect)
      throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { call, login: tokenCache(() => baseUrl, DEMO_PASSWORD), baseUrl, databaseUrl };
}
type Http = ReturnType<typeof httpClient>;

/** The units a generated plan gives work to: every unit except its lead (县审批局) and the offices. */
function responsibleUnits(): Array<{ id: string; name: string }> {
  const registry = JSON.parse(readFileSync(path.join(REPOSITORY, 'seeds/units.json'), 'utf8')) as
    Array<{ id: string; name: string; kind: string }> | { units: Array<{ id: string; name: string; kind: string }> };
  const units = Array.isArray(registry) ? registry : registry.units;
  return units.filter((unit) => !['approval', 'supervision', 'leadership'].includes(unit.id));
}

/** A task list in the plain-text table export format with `tasks` tasks of `perTask` responsible units each. */
function generatedList(tasks: number, perTask: number): string {
  const units = responsibleUnits().slice(0, perTask);
  const lines = [
    '基准测试任务清单',
    ...['序号', '主要任务', '推进措施', '预期目标', '牵头单位', '责任单位', '完成时限'].map((c) => `\t${c}`),
    '',
  ];
  for (let no = 1; no <= tasks; no++) {
    lines.push(
      `\t${no}`,
      `\t基准测试任务${no}`,
      '\t1.按要求推进',
      '\t1.按期完成',
      '\t县审批局',
      `\t${units.map((unit) => unit.name).join('、')}`,
      '\t2027年6月底前',
      '',
    );
  }
  return lines.join('\n');
}

/** POST /plans (the test kit's import), then waits until every assignment workflow has recorded "assigned". */
async function importPlan(http: Http, token: string, text: string, fields: Record<string, string> = {}) {
  const started = performance.now();
  const plan = await importAndStart(
    http,
    token,
    text,
    { ...fields, allowDuplicate: 'true' },
    {
      startTimeoutMs: 30 * 60_000,
      databaseUrl: http.databaseUrl,
    },
  );
  const assignments = plan.tasks.reduce((sum, task) => sum + task.assignments.length, 0);
  return { plan, ms: performance.now() - started, tasks: plan.tasks.length, assignments };
}

/**
 * One assignment takes `n` progress reports of maximum length, one after another, then is submitted and
 * approved. Every answer must be 200 (else the run stops); the timed part is each report request.
 */
async function measureReports(http: Http, pool: Pool, supervisor: string, n: number) {
  const { plan } = await importPlan(http, supervisor, generatedList(1, 1));
  const assignment = plan.tasks[0].assignments.find((candidate) => candidate.role === 'responsible')!;
  const staff = await http.login(`${assignment.unitId}.staff`);
  const route = (action: string) => `/assignments/${assignment.id}/${action}`;
  await http.call('POST', route('acknowledge'), staff, {}, 200);
  let largestAnswerBytes = 0;
  const durations = await timeSequential(n, async (index) => {
    const answer = await http.call(
      'POST',
      route('progress'),
      staff,
      {
        note: `${index}:`.padEnd(TEXT_LIMITS.progressNote, '进'),
        percent: index % 101,
      },
      200,
    );
    largestAnswerBytes = Math.max(largestAnswerBytes, Buffer.byteLength(JSON.stringify(answer)));
  });
  await http.call('POST', route('submit'), staff, { summary: '全年工作已完成', evidence: [] }, 200);
  const approved = await http.call<{ status: string }>(
    'POST',
    route('approve'),
    await http.login('approval.head'),
    { comment: '同意' },
    200,
  );
  return { durations, largestAnswerBytes, approved: approved.status };
}

/**
 * Imports a plan with enough responsible assignments, has each unit acknowledge and submit, then the lead
 * unit's head approves them one after another: the timed part is each approve request, which the API
 * answers once the workflow accepted the update and the projection committed it.
 */
async function measureApprovals(http: Http, client: Client, pool: Pool, supervisor: string, warm: number, n: number) {
  const perTask = responsibleUnits().length;
  const { plan } = await importPlan(http, supervisor, generatedList(Math.ceil((warm + n) / perTask), perTask));
  const assignments = plan.tasks
    .flatMap((task) => task.assignments)
    .filter((assignment) => assignment.role === 'responsible')
    .slice(0, warm + n);
  await inParallel(assignments, 4, async (assignment) => {
    const staff = await http.login(`${assignment.unitId}.staff`);
    await http.call('POST', `/assignments/${assignment.id}/acknowledge`, staff, {}, 200);
    await http.call('POST', `/assignments/${assignment.id}/submit`, staff, { summary: '已完成', evidence: [] }, 200);
  });
  const head = await http.login('approval.head');
  const approve = (index: number) =>
    http.call('POST', `/assignments/${assignments[index].id}/approve`, head, { comment: '同意' }, 200);
  for (let index = 0; index < warm; index++) await approve(index);
  const latency = summarize(await timeSequential(n, (index) => approve(warm + index)));
  const authorizationReads = summarize(
    await timeSequential(n, (index) =>
      http.call('GET', `/assignments/${assignments[warm + index].id}`, head, undefined, 200),
    ),
  );
  const phases = await approvePhases(
    client,
    assignments.slice(warm, warm + Math.min(n, 20)).map((a) => a.id),
  );
  return { latency, authorizationReads, phases };
}

const eventMs = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;

/** Where an approval's time goes inside Temporal, from the assignment workflows' own histories (server clock). */
async function approvePhases(client: Client, assignmentIds: string[]) {
  const parts = {
    toScheduled: [] as number[],
    queued: [] as number[],
    run: [] as number[],
    toCompleted: [] as number[],
  };
  for (const id of assignmentIds) {
    const events = (await client.workflow.getHandle(assignmentWorkflowId(id)).fetchHistory()).events ?? [];
    const accepted = events.findLastIndex((event) => event.workflowExecutionUpdateAcceptedEventAttributes);
    const scheduled = events.findIndex(
      (event, index) => index > accepted && event.activityTaskScheduledEventAttributes,
    );
    const startedAt = events.findIndex((event, index) => index > scheduled && event.activityTaskStartedEventAttributes);
    const completed = events.findIndex(
      (event, index) => index > scheduled && event.activityTaskCompletedEventAttributes,
    );
    const done = events.findIndex(
      (event, index) => index > accepted && event.workflowExecutionUpdateCompletedEventAttributes,
    );
    if ([accepted, scheduled, startedAt, completed, done].some((index) => index < 0)) continue;
    const at = (index: number) => eventMs(events[index].eventTime);
    parts.toScheduled.push(at(scheduled) - at(accepted));
    parts.queued.push(at(startedAt) - at(scheduled));
    parts.run.push(at(completed) - at(startedAt));
    parts.toCompleted.push(at(done) - at(completed));
  }
  return {
    toScheduled: percentile(parts.toScheduled, 50),
    queued: percentile(parts.queued, 50),
    run: percentile(parts.run, 50),
    toCompleted: percentile(parts.toCompleted, 50),
  };
}

async function measureEagerApprovals(cli: TemporalCli, dir: string, n: number) {
  const stack: Stack = { cleanups: [] };
  try {
    const server = await startTemporalServer({
      cli,
      port: await freePort(),
      dbFile: path.join(dir, 'eager.db'),
      logFile: path.join(dir, 'eager.log'),
      dynamicConfig: { 'system.enableActivityEagerExecution': true },
    });
    stack.cleanups.push(() => server.stop());
    const databaseUrl = process.env.BENCH_DATABASE_URL!;
    const pool = new Pool({ connectionString: databaseUrl, max: 2 });
    stack.cleanups.push(() => pool.end());
    await startAppWorker(stack, server.address, databaseUrl);
    const api = await startApi(stack, server.address, databaseUrl);
    const http = httpClient(api);
    const connection = await Connection.connect({ address: server.address });
    stack.cleanups.push(() => connection.close());
    const client = new Client({ connection });
    return await measureApprovals(http, client, pool, await http.login('supervisor'), SIZES.approveWarm, n);
  } finally {
    for (const cleanup of stack.cleanups.reverse()) await cleanup();
  }
}

/** Things due at one instant were not all armed before it: the measurement would be of the start backlog. */
class LeadTooShort extends Error {}

/** Runs `measure` with `leadMs`, once more with twice the lead if it was too short (the machine is shared). */
async function withLongerLead<T>(leadMs: number, measure: (leadMs: number) => Promise<T>): Promise<T> {
  try {
    return await measure(leadMs);
  } catch (error) {
    if (!(error instanceof LeadTooShort)) throw error;
    log(`${error.message}: again with a ${(2 * leadMs) / 1000} s lead`);
    return measure(2 * leadMs);
  }
}

/** Starts `n` timer workflows that all fire at the same instant and collects how late each woke. */
async function measureTimers(client: Client, n: number, leadMs: number) {
  const fireAt = Date.now() + leadMs;
  const handles: Array<WorkflowHandle<typeof timerWorkflow>> = [];
  const stamp = Date.now();
  await inParallel(
    Array.from({ length: n }, (_, i) => i),
    32,
    async (i) =>
      void handles.push(
        await client.workflow.start(timerWorkflow, {
          taskQueue: BARE_QUEUE,
          workflowId: `timer-${stamp}-${i}`,
          args: [fireAt],
        }),
      ),
  );
  if (Date.now() >= fireAt) throw new LeadTooShort(`starting ${n} timers took longer than the ${leadMs} ms lead`);
  const results: Array<{ armedAt: number; wokeAt: number }> = [];
  await inParallel(handles, 64, async (handle) => void results.push(await handle.result()));
  const armedLate = results.filter((result) => result.armedAt >= fireAt).length;
  if (armedLate > 0) throw new LeadTooShort(`${armedLate} of ${n} timers were armed after they were due`);
  const lags = results.map((result) => result.wokeAt - fireAt);
  return {
    lag: summarize(lags),
    // All due at once: how many fired per second until the last one had.
    perSecond: n / (Math.max(1, ...lags) / 1000),
    lastArmedBeforeMs: fireAt - Math.max(...results.map((result) => result.armedAt)),
  };
}

/**
 * Offers task-shaped workflows (one activity, one committed row) at rising rates; a step keeps up when at
 * least 90 % of what it started completed within the step plus one second. The first step that does not
 * is where the backlog grows.
 */
async function measureThroughput(client: Client, ladder: number[], stepMs: number) {
  const steps: string[] = [];
  let sustainedRate = 0;
  let completedPerSecond = 0;
  let brokeAt: string | undefined;
  const stamp = Date.now();
  for (const rate of ladder) {
    const results: Array<Promise<unknown>> = [];
    let completed = 0;
    const begin = performance.now();
    let started = 0;
    while (performance.now() - begin < stepMs) {
      const due = Math.floor(((performance.now() - begin) / 1000) * rate);
      while (started < due) {
        const id = `record-${stamp}-${rate}-${started++}`;
        results.push(
          client.workflow
            .start(recordWorkflow, { taskQueue: BARE_QUEUE, workflowId: id, args: [id] })
            .then((handle) => handle.result())
            .then(() => void completed++),
        );
      }
      await sleep(5);
    }
    await sleep(1_000);
    const completedInStep = completed;
    const elapsed = (performance.now() - begin) / 1000;
    await Promise.all(results);
    const keptUp = completedInStep >= 0.9 * started;
    steps.push(
      `${rate}/s offered → ${started} started, ${completedInStep} completed within ${elapsed.toFixed(1)} s${keptUp ? '' : ' (backlog grew)'}`,
    );
    if (!keptUp) {
      brokeAt = `${rate}/s`;
      break;
    }
    sustainedRate = rate;
    completedPerSecond = completedInStep / elapsed;
  }
  return { steps, sustainedRate, completedPerSecond, brokeAt };
}

/** The same workload against a dev server persisted to a SQLite file with the given pragmas. */
async function measureSqlite(cli: TemporalCli, dir: string, name: string, pragmas: string[], pool: Pool) {
  const stack: Stack = { cleanups: [] };
  try {
    const server = await startServer(stack, cli, dir, `sqlite-${name}`, pragmas);
    const queue = `sqlite-${name}`;
    await startBareWorker(stack, server.address, pool, queue);
    const connection = await Connection.connect({ address: server.address });
    stack.cleanups.push(() => connection.close());
    const client = new Client({ connection });
    await timeSequential(10, (i) =>
      client.workflow.execute(noopWorkflow, { taskQueue: queue, workflowId: `warm-${i}` }),
    );
    const noop = summarize(
      await timeSequential(SIZES.sqlite, (i) =>
        client.workflow.execute(noopWorkflow, { taskQueue: queue, workflowId: `noop-${i}` }),
      ),
    );
    const burst = SIZES.sqlite * 2;
    const begin = performance.now();
    await inParallel(
      Array.from({ length: burst }, (_, i) => `burst-${name}-${Date.now()}-${i}`),
      20,
      (id) => client.workflow.execute(recordWorkflow, { taskQueue: queue, workflowId: id, args: [id] }),
    );
    return { noop, burst: burst / ((performance.now() - begin) / 1000) };
  } finally {
    for (const cleanup of stack.cleanups.reverse()) await cleanup();
  }
}

async function loadOpenAssignments(http: Http, pool: Pool, supervisor: string, target: number) {
  const perTask = responsibleUnits().length;
  const perPlan = 50; // tasks per imported list, as a large county list might have
  let open = 0;
  const begin = performance.now();
  while (open < target) {
    const tasks = Math.min(perPlan, Math.ceil((target - open) / (perTask + 1)));
    const { assignments } = await importPlan(http, supervisor, generatedList(tasks, perTask));
    open += assignments;
    log(`  ${open} open assignments`);
  }
  return { open, ms: performance.now() - begin };
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

async function databaseMb(pool: Pool): Promise<number> {
  return Number((await pool.query('SELECT pg_database_size(current_database()) AS bytes')).rows[0].bytes) / 2 ** 20;
}

function fileMb(file: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      bytes += statSync(file + suffix).size;
    } catch {
      // no WAL file for a server in rollback-journal mode
    }
  }
  return bytes / 2 ** 20;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
