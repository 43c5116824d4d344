import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_DEMO_PASSWORD, prepareDatabase } from '@county/api';
import { parsePlanDocument } from '@county/plan-import';
import { installationFrom } from './installation';
import { startDependencies } from './local-stack';
import { ROOT } from './paths';

/**
 * `npm start`: the whole system on one machine. Temporal dev server persisted to .data/temporal.db (or, with
 * TEMPORAL_MODE=server, the real Temporal server on the same PostgreSQL), PostgreSQL (DATABASE_URL or embedded
 * under .data/postgres), migrations and seeds, the worker and the API.
 * Ctrl-C stops everything in reverse order; the next start keeps the data.
 */
const API_PORT = Number(process.env.PORT ?? 3000);
const TEMPORAL_PORT = Number(process.env.TEMPORAL_PORT ?? 7233);
const TEMPORAL_UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
/** Where the data lives: the same defaults `npm run backup` and `npm run restore` use. */
const INSTALLATION = installationFrom();

const log = (message: string) => console.log(`[start] ${message}`);

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      'npm start is local mode (demo users, dev servers); run apps/api and apps/worker directly in production',
    );
  }
  const demoPassword = process.env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;
  const dependencies = await startDependencies({
    temporal: {
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      dbFile: INSTALLATION.temporal.dbFile,
      // TEMPORAL_MODE=server: Temporal's own two databases beside the application's, named after it.
      serverDatabases: INSTALLATION.temporal.databases,
      serverStateDir: path.join(INSTALLATION.dataDir, 'temporal-server'),
    },
    postgres: { ...INSTALLATION.embeddedPostgres, persistent: true },
    log,
  });

  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    // API first (no new requests), then the worker (finishes in-flight activities), then the services.
    for (const child of [...children].reverse()) await stopProcess(child);
    await dependencies.stop();
    log('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const prepared = await prepareDatabase({ databaseUrl: dependencies.databaseUrl, demoPassword, log });
    const env = {
      ...process.env,
      DATABASE_URL: dependencies.databaseUrl,
      TEMPORAL_ADDRESS: dependencies.temporalAddress,
      DEMO_PASSWORD: demoPassword,
      PORT: String(API_PORT),
    };
    const onExit = () => void shutdown(1);
    const isStopping = () => stopping;
    const worker = launch('worker', path.join(ROOT, 'apps/worker/dist/main.js'), env, onExit, isStopping);
    const api = launch('api', path.join(ROOT, 'apps/api/dist/main.js'), env, onExit, isStopping);
    children.push(worker.child, api.child);
    await Promise.all([worker.printed(WORKER_READY_LINE), waitForHealth(`http://127.0.0.1:${API_PORT}/api/v1/health`)]);
    const seedPlan = await importSeedPlanOnce(`http://127.0.0.1:${API_PORT}/api/v1`, demoPassword);

    console.log(`
  County task-list workflow engine is running.

    API            http://127.0.0.1:${API_PORT}/api/v1      (health: /api/v1/health)
    API docs       http://127.0.0.1:${API_PORT}/api/docs
    Temporal UI    ${dependencies.temporalUiUrl ?? `(external Temporal at ${dependencies.temporalAddress})`}
    ${dependencies.notes.join('\n    ')}
    Units          ${prepared.units}
    Seed plan      ${seedPlan}

  Demo login: any of supervisor, leader, admin, <unitId>.staff, <unitId>.head (e.g. approval.head)
  Password:   ${demoPassword}${process.env.DEMO_PASSWORD ? ' (from DEMO_PASSWORD)' : ' (default; set DEMO_PASSWORD to change)'}

    curl -s -X POST http://127.0.0.1:${API_PORT}/api/v1/auth/login -H 'content-type: application/json' \\
         -d '{"username":"supervisor","password":"${demoPassword}"}'

  Press Ctrl-C to stop. Data stays in ${INSTALLATION.dataDir}.
`);
  } catch (error) {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

/** What apps/worker prints once it polls; start waits for it so "running" means the worker is up too. */
const WORKER_READY_LINE = 'worker polling task queue';

interface Launched {
  child: ChildProcess;
  /** Resolves when the process has printed a line containing `text`. */
  printed(text: string): Promise<void>;
}

function launch(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  onUnexpectedExit: () => void,
  isStopping: () => boolean,
): Launched {
  const child = spawn(process.execPath, ['--enable-source-maps', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) =>
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        out.write(`[${name}] ${readable(line)}\n`);
        seen += `${line}\n`;
      }
      for (const wait of waiting.filter((entry) => seen.includes(entry.text))) wait.resolve();
    });
  prefix(child.stdout!, process.stdout);
  prefix(child.stderr!, process.stderr);
  child.on('exit', (code, signal) => {
    if (isStopping()) return;
    console.error(`[start] ${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
    onUnexpectedExit();
  });
  const printed = (text: string) =>
    seen.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ text, resolve }));
  return { child, printed };
}

/**
 * The API and the worker write JSON lines (for a log collector); on a terminal `npm start` shows them compactly —
 * time, level, message and the ids — and passes anything else (or any output to a pipe or file) through unchanged.
 */
function readable(line: string): string {
  if (!process.stdout.isTTY) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (entry === null || typeof entry !== 'object' || typeof entry.msg !== 'string') return line;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const ids = ['requestId', 'userId', 'workflowId']
    .filter((key) => typeof entry[key] === 'string')
    .map((key) => `${key}=${String(entry[key])}`);
  const error = (entry.err as { message?: unknown } | undefined)?.message;
  return [
    time,
    String(entry.level ?? '')
      .toUpperCase()
      .padEnd(5),
    entry.msg,
    ...ids,
    ...(error ? [`(${String(error)})`] : []),
  ]
    .filter(Boolean)
    .join(' ');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

const SEED_PLAN = path.join(ROOT, 'seeds/pingluo-2021-grassroots-reform-task-list.txt');

/**
 * Imports the seed task list through the API, as the supervisor would, so a newcomer sees a live plan.
 * Its 2021 deadlines are moved to the first year in which they all lie ahead. The API refuses a second
 * import of the same file (409), which is what makes this run once.
 */
async function importSeedPlanOnce(apiUrl: string, password: string): Promise<string> {
  const bytes = readFileSync(SEED_PLAN);
  const login = await fetch(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'supervisor', password }),
  });
  if (!login.ok) return `not imported (supervisor login failed: ${login.status})`;
  const { accessToken } = (await login.json()) as { accessToken: string };

  const form = new FormData();
  form.append('file', new Blob([bytes]), path.basename(SEED_PLAN));
  form.append('year', String(yearPuttingDeadlinesAhead(bytes)));
  const response = await fetch(`${apiUrl}/plans`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
    body: form,
  });
  const body = (await response.json()) as {
    id?: string;
    title?: string;
    tasks?: unknown[];
    existingPlanIds?: string[];
    detail?: string;
  };
  if (response.status === 201) return `${body.title} — ${body.tasks?.length} tasks imported (plan ${body.id})`;
  if (response.status === 409) return `already imported (plan ${body.existingPlanIds?.join(', ')})`;
  return `not imported: ${response.status} ${body.detail ?? ''}`;
}

function yearPuttingDeadlinesAhead(bytes: Uint8Array): number {
  const today = new Date().toISOString().slice(5, 10);
  const monthDays = parsePlanDocument(bytes)
    .tasks.map((task) => task.deadline.date?.slice(5))
    .filter((monthDay): monthDay is string => Boolean(monthDay));
  const thisYear = new Date().getFullYear();
  return monthDays.every((monthDay) => monthDay > today) ? thisYear : thisYear + 1;
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the API did not become healthy at ${url} within 60 s`);
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
