import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@county/scripts/dist/free-port';
import { databaseUrlFor } from '@county/scripts/dist/installation';
import { temporalMode } from '@county/scripts/dist/local-stack';
import { createDatabaseIfMissing, dropDatabase } from '@county/scripts/dist/postgres';
import { resolveTemporalCli } from '@county/scripts/dist/temporal-cli';
import { RealTemporalServerOptions, startRealTemporalServer } from '@county/scripts/dist/temporal-real-server';
import { startTemporalServer } from '@county/scripts/dist/temporal-server';
import { prepareDatabase } from '@county/api';
import {
  assignmentOf,
  assignmentPolicy,
  FULL_LADDER_NOTIFICATIONS,
  ImportedPlan,
  PATIENT_CALL_POLICY,
  queryRows,
  startStack,
  Stack,
  TEST_DEMO_PASSWORD,
  uniqueTaskQueue,
  waitFor,
} from '@county/test-kit';
import { pdfFile } from './support/files';
import { postForm } from './support/multipart';

const run = promisify(execFile);
const BACKUP_CLI = path.resolve(__dirname, '../scripts/dist/backup-cli.js');
const RESTORE_CLI = path.resolve(__dirname, '../scripts/dist/restore-cli.js');
/** A reminder 2 s before the deadline, level 1 at it, levels 2 and 3 three and six seconds later. */
const FAST_POLICY = assignmentPolicy({ remind: 2, ladder: [0, 3, 6] });
const MODE = temporalMode();

/**
 * One installation: its application database, Temporal's persistence (the dev server's SQLite file, or the real
 * server's two databases, as TEMPORAL_MODE says) and its attachment store, each of its own on the run's PostgreSQL
 * and in a data directory of its own — and the environment `npm run backup` / `npm run restore` read it from.
 */
interface Installation {
  database: string;
  databaseUrl: string;
  dataDir: string;
  attachmentsDir: string;
  dbFile: string;
  temporalDatabases: { main: string; visibility: string };
  env: NodeJS.ProcessEnv;
}

const admin = databaseUrlFor(process.env.DATABASE_URL!, 'postgres');

async function newInstallation(name: string): Promise<Installation> {
  const database = `county_drill_${name}_${process.pid}_${Date.now()}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `county-drill-${name}-`));
  const installation = {
    database,
    databaseUrl: databaseUrlFor(process.env.DATABASE_URL!, database),
    dataDir,
    attachmentsDir: path.join(dataDir, 'attachments'),
    dbFile: path.join(dataDir, 'temporal.db'),
    temporalDatabases: { main: `${database}_temporal`, visibility: `${database}_temporal_vis` },
  };
  return {
    ...installation,
    env: {
      DATABASE_URL: installation.databaseUrl,
      COUNTY_DATA_DIR: dataDir,
      ATTACHMENTS_DIR: installation.attachmentsDir,
      TEMPORAL_MODE: MODE,
      TEMPORAL_DB_FILE: installation.dbFile,
      TEMPORAL_DATABASE: installation.temporalDatabases.main,
      TEMPORAL_VISIBILITY_DATABASE: installation.temporalDatabases.visibility,
    },
  };
}

/** Everything the installation wrote goes: both databases (or three), the data directory. */
async function destroy(installation: Installation): Promise<void> {
  for (const database of [installation.database, ...Object.values(installation.temporalDatabases)]) {
    await dropDatabase(admin, database).catch(() => undefined);
  }
  await rm(installation.dataDir, { recursive: true, force: true });
}

/** The installation's Temporal: the dev server on its SQLite file, or the real server on its two databases. */
async function startTemporal(
  installation: Installation,
  port: number,
  serverPorts?: RealTemporalServerOptions['ports'],
) {
  if (MODE === 'dev') {
    return startTemporalServer({
      cli: await resolveTemporalCli(() => undefined),
      port,
      dbFile: installation.dbFile,
      logFile: path.join(installation.dataDir, 'temporal.log'),
    });
  }
  return startRealTemporalServer({
    postgresUrl: admin,
    databases: installation.temporalDatabases,
    stateDir: path.join(installation.dataDir, 'temporal-server'),
    ports: { ...serverPorts, frontend: port },
  });
}

/** `node scripts/dist/<cli>.js …` on `installation`, as an operator would run it; its exit code and output. */
async function cli(script: string, args: string[], installation: Installation) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args], {
      env: { ...process.env, ...installation.env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** Every table of the application database, as an md5 of its rows in a fixed order: equal means the same data. */
async function tableDigests(databaseUrl: string): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    [],
    databaseUrl,
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ md5: string | null; n: number }>(
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5, count(*)::int AS n FROM "${name}" t`,
      [],
      databaseUrl,
    );
    digests[name] = `${row.n}:${row.md5 ?? '-'}`;
  }
  return digests;
}

/**
 * The restore drill (README, "Operating"): an installation with open assignments, pending reminder and escalation
 * timers, a submitted report with a file and a call waiting for its response is stopped, backed up with
 * `npm run backup`, destroyed, and restored with `npm run restore` into a fresh data directory and fresh
 * databases. Started again, the reminders fire once each, the open items can be acted on, the file is there, and
 * /audit/verify is ok; the read model is row for row what it was at the backup. Runs on both Temporal servers.
 */
describe(`the restore drill (Temporal ${MODE})`, () => {
  const taskQueue = uniqueTaskQueue('drill');
  const installations: Installation[] = [];
  let original: Installation;
  let restored: Installation;
  let stack: Stack | undefined;
  let temporal: { stop(): Promise<void> } | undefined;
  let backupRoot: string;

  const startInstallation = async (
    installation: Installation,
    port: number,
    serverPorts?: RealTemporalServerOptions['ports'],
  ) => {
    const started = await startTemporal(installation, port, serverPorts);
    temporal = started;
    stack = await startStack({
      temporalAddress: started.address,
      databaseUrl: installation.databaseUrl,
      taskQueue,
      attachmentsDir: installation.attachmentsDir,
      worker: true,
      apiEnv: { CALL_POLICY: PATIENT_CALL_POLICY },
      users: ['supervisor', 'civil-affairs.staff', 'approval.head', 'chengguan.staff', 'housing.staff'],
    });
    return {
      stack,
      serverPorts: 'options' in started ? (started as { options: RealTemporalServerOptions }).options.ports : undefined,
    };
  };
  /** The API and the worker, then (unless kept) Temporal. */
  const stopInstallation = async (options: { keepTemporal?: boolean } = {}) => {
    await stack?.stop();
    stack = undefined;
    if (options.keepTemporal) return;
    await temporal?.stop();
    temporal = undefined;
  };

  beforeAll(async () => {
    backupRoot = await mkdtemp(path.join(os.tmpdir(), 'county-drill-backups-'));
    original = await newInstallation('a');
    restored = await newInstallation('b');
    installations.push(original, restored);
    await createDatabaseIfMissing(admin, original.database);
    await prepareDatabase({ databaseUrl: original.databaseUrl, demoPassword: TEST_DEMO_PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await stopInstallation().catch(() => undefined);
    for (const installation of installations) await destroy(installation);
    await rm(backupRoot, { recursive: true, force: true });
  }, 120_000);

  it('backs up, destroys, restores: timers fire once, open work goes on, nothing lost or doubled', async () => {
    const port = await freePort();
    const first = await startInstallation(original, port);
    const live = first.stack;

    // The state to keep: a task whose deadline falls due after the backup (reminder, then the ladder), a report
    // with a file waiting for the lead unit's sign-off, and a call waiting for its response.
    const plan: ImportedPlan = await live.importWithPolicy(FAST_POLICY);
    const finance = assignmentOf(plan, 'finance');
    const civil = assignmentOf(plan, 'civil-affairs');
    const evidence = pdfFile('整改报告（备份演练）');
    const uploaded = await postForm(`${live.api.baseUrl}/attachments`, live.token('civil-affairs.staff'), [
      { name: 'file', filename: '整改报告.pdf', bytes: evidence },
    ]);
    expect(uploaded.status).toBe(201);
    const attachmentId = (JSON.parse(uploaded.text) as { id: string }).id;
    expect((await live.as('civil-affairs.staff', 'POST', `/assignments/${civil.id}/acknowledge`, {})).status).toBe(200);
    const submitted = await live.as('civil-affairs.staff', 'POST', `/assignments/${civil.id}/submit`, {
      summary: '已完成代办清单',
      attachmentIds: [attachmentId],
    });
    expect(submitted.status).toBe(200);
    const call = await live.calls.raise('chengguan.staff', 'housing', { urgency: 'urgent' });
    expect(call.status).toBe(201);
    const callId = call.body.id;

    // Far enough out that the reminder cannot fall due before the worker is stopped for the backup.
    const dueAt = Date.now() + 25_000;
    expect((await live.tasks.changeDeadline(plan.tasks[0].id, new Date(dueAt), '测试：备份恢复演练')).status).toBe(200);
    const notificationsIn = (databaseUrl: string) =>
      queryRows<{ kind: string; n: number }>(
        `SELECT kind, count(*)::int AS n FROM notifications WHERE subject_id = $1 GROUP BY kind ORDER BY kind`,
        [finance.id],
        databaseUrl,
      );
    await waitFor(
      'the deadline change to reach finance',
      async () => (await notificationsIn(original.databaseUrl)).some((row) => row.kind === 'deadline-changed'),
      30_000,
      100,
    );
    await waitFor(
      'the call to wait for its response',
      async () => (await live.calls.get(callId)).respondBy !== null,
      30_000,
      100,
    );

    // A backup while the API and the worker run would not be one moment: refused, nothing written.
    const refused = await cli(BACKUP_CLI, ['--out', backupRoot], original);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('仍连着');

    // The API and the worker stop. The real server may keep running (without a worker, a timer that fires is only
    // recorded); the dev server's SQLite file is copied only once nothing has it open.
    await stopInstallation({ keepTemporal: true });
    if (MODE === 'dev') {
      const devServerUp = await cli(BACKUP_CLI, ['--out', backupRoot], original);
      expect(devServerUp.code).toBe(1);
      expect(devServerUp.output).toContain('Temporal 开发服务器仍在使用');
      await stopInstallation();
    }
    expect(Date.now()).toBeLessThan(dueAt - 2_000); // the reminder is still pending
    const before = await tableDigests(original.databaseUrl);
    expect((await notificationsIn(original.databaseUrl)).map((row) => row.kind)).not.toContain('deadline-reminder');

    const backup = await cli(BACKUP_CLI, ['--out', backupRoot], original);
    await stopInstallation();
    expect(backup.output).toContain('备份完成');
    expect(backup.code).toBe(0);
    const backupDir = /备份完成：(\S+?)（/.exec(backup.output)![1];
    const manifest = JSON.parse(await readFile(path.join(backupDir, 'manifest.json'), 'utf8')) as {
      temporalMode: string;
      parts: Array<{ role: string; kind: string; files?: Array<{ sha256: string }> }>;
    };
    expect(manifest.temporalMode).toBe(MODE);
    expect(manifest.parts.map((part) => part.role)).toEqual(
      MODE === 'dev'
        ? ['temporal-sqlite', 'app', 'attachments']
        : ['temporal', 'temporal-visibility', 'app', 'attachments'],
    );

    await destroy(original);
    expect(existsSync(original.dataDir)).toBe(false);

    const restore = await cli(RESTORE_CLI, [backupDir], restored);
    expect(restore.output).toContain('恢复完成');
    expect(restore.code).toBe(0);
    // Row for row what it was at the backup, before anything runs on it.
    expect(await tableDigests(restored.databaseUrl)).toEqual(before);

    const second = await startInstallation(restored, port, first.serverPorts);
    const back = second.stack;
    const level = async () =>
      (
        await queryRows<{ escalation_level: number }>(
          'SELECT escalation_level FROM assignments WHERE id = $1',
          [finance.id],
          restored.databaseUrl,
        )
      )[0].escalation_level;
    await waitFor('level 3 on the restored installation', async () => (await level()) === 3, 90_000, 200);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a duplicate, if one were coming
    expect(await notificationsIn(restored.databaseUrl)).toEqual(FULL_LADDER_NOTIFICATIONS);

    const approved = await back.as('approval.head', 'POST', `/assignments/${civil.id}/approve`, { comment: '同意' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const responded = await back.calls.act('housing.staff', callId, 'respond', { note: '已签收' });
    expect(responded.status).toBe(200);
    const content = await fetch(`${back.api.baseUrl}/attachments/${attachmentId}/content`, {
      headers: { authorization: `Bearer ${back.token('approval.head')}` },
    });
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).equals(evidence)).toBe(true);
    expect((await back.as('supervisor', 'GET', '/audit/verify')).body).toMatchObject({ ok: true });
  }, 300_000);

  it('refuses a damaged backup and an occupied target, changing nothing', async () => {
    const [name] = readdirSync(backupRoot).filter((entry) => entry.startsWith('county-backup-'));
    const good = path.join(backupRoot, name);
    await stopInstallation();
    // The restored installation is occupied now: without --replace it stays as it is.
    const digests = await tableDigests(restored.databaseUrl);
    const occupied = await cli(RESTORE_CLI, [good], restored);
    expect(occupied.code).toBe(1);
    expect(occupied.output).toContain('已有数据');
    expect(await tableDigests(restored.databaseUrl)).toEqual(digests);

    const damaged = path.join(backupRoot, 'damaged');
    await cp(good, damaged, { recursive: true });
    const table = path.join(damaged, 'app', 'public.audit_events.jsonl.gz');
    const bytes = await readFile(table);
    bytes[bytes.length - 10] ^= 0xff;
    await writeFile(table, bytes);
    const fresh = await newInstallation('c');
    installations.push(fresh);
    const refused = await cli(RESTORE_CLI, [damaged], fresh);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('备份已损坏');
    expect(refused.output).toContain('public.audit_events.jsonl.gz');
    expect((await queryRows('SELECT 1 FROM pg_database WHERE datname = $1', [fresh.database])).length).toBe(0);
    expect(existsSync(fresh.attachmentsDir)).toBe(false);
  }, 120_000);
});
