import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { freeLowPort, freePort } from './free-port';
import { resolveTemporalTools, TOOLS_MODULE_DIR } from './temporal-cli';
import {
  COMMON_DYNAMIC_CONFIG,
  RunningTemporal,
  stopChild,
  waitForConnection,
  waitForNamespace,
} from './temporal-server';
import { waitFor } from './wait';

const run = promisify(execFile);

/** The ports one all-in-one server process listens on; any left out is chosen by the OS. */
export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

/** `npm start`'s ports in server mode: Temporal's own defaults, so its documentation and tools apply unchanged. */
export const DEFAULT_SERVER_PORTS: TemporalServerPorts = {
  frontend: 7233,
  frontendHttp: 7243,
  frontendMembership: 6933,
  history: 7234,
  historyMembership: 6934,
  matching: 7235,
  matchingMembership: 6935,
  worker: 7239,
  workerMembership: 6939,
  metrics: 8000,
};

export interface RealTemporalServerOptions {
  /**
   * The PostgreSQL server to keep Temporal's state on, as a URL whose user may create databases (the path is
   * ignored): the application's own server, with Temporal in databases of its own.
   */
  postgresUrl: string;
  /** Temporal's two databases, e.g. `temporal` and `temporal_visibility`. */
  databases: { main: string; visibility: string };
  /** Where the generated configuration and the server's log live. */
  stateDir: string;
  ports?: Partial<TemporalServerPorts>;
  /** Serve the Web UI on this port (npm start); omit for none (tests). */
  uiPort?: number;
  namespace?: string;
  /** Fixed at the first start on a database (the server refuses a different number later). */
  historyShards?: number;
  /** The connection pool cap for the main store, per service; PostgreSQL is shared with the application. */
  maxConns?: number;
  /** How long closed workflows stay in Temporal (the read model keeps its own copy for good). */
  retentionDays?: number;
  /** Extra dynamic config, e.g. `{ 'limit.historyCount.suggestContinueAsNew': 60 }`. */
  dynamicConfig?: Record<string, string | number | boolean>;
  log?: (message: string) => void;
}

export interface RunningRealTemporal extends RunningTemporal {
  /** The server process, for tests that kill it hard (`kill -9`) and start it again on the same databases. */
  server: ChildProcess;
  ports: TemporalServerPorts;
  /** The options with every port filled in: pass them back to start the same server again. */
  options: RealTemporalServerOptions & { ports: TemporalServerPorts };
}

/**
 * Dynamic config every server of ours gets. Update-with-start (a call raised and its first update in one
 * request) is a multi-operation, off by default on a real server; the dev server's defaults for search-attribute
 * freshness and persistence rate limits are kept so both servers behave alike.
 */
export const BASE_DYNAMIC_CONFIG: Record<string, string | number | boolean> = {
  ...COMMON_DYNAMIC_CONFIG,
  'frontend.enableExecuteMultiOperation': true,
  'frontend.enableUpdateWorkflowExecution': true,
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'frontend.persistenceMaxQPS': 10000,
  'history.persistenceMaxQPS': 45000,
  'limit.maxIDLength': 255,
};

/**
 * Starts a real Temporal server (not the dev server) on PostgreSQL: creates or upgrades its two databases with
 * temporal-sql-tool (idempotent: a second start on the same databases changes nothing), writes the server's
 * configuration from tools/temporal/server.template.yaml, starts all four services in one process, registers
 * the namespace, and optionally the Web UI. `stop()` ends the UI, then the server (SIGTERM, SIGKILL after 10 s).
 */
export async function startRealTemporalServer(options: RealTemporalServerOptions): Promise<RunningRealTemporal> {
  const log = options.log ?? (() => undefined);
  const tools = await resolveTemporalTools(
    options.uiPort
      ? ['temporal-server', 'temporal-sql-tool', 'temporal-ui-server']
      : ['temporal-server', 'temporal-sql-tool'],
    log,
  );
  const ports = await fillPorts(options.ports ?? {});
  const filled = { ...options, ports };
  const namespace = options.namespace ?? 'default';
  const db = new URL(options.postgresUrl);

  await setupTemporalSchemas(tools['temporal-sql-tool'], db, options.databases, log);

  const configDir = path.join(options.stateDir, 'config');
  mkdirSync(configDir, { recursive: true });
  const dynamicConfigFile = path.join(configDir, 'dynamicconfig.yaml');
  writeFileSync(dynamicConfigFile, dynamicConfigYaml({ ...BASE_DYNAMIC_CONFIG, ...options.dynamicConfig }));
  writeFileSync(
    path.join(configDir, 'production.yaml'),
    renderTemplate(readFileSync(path.join(TOOLS_MODULE_DIR, 'server.template.yaml'), 'utf8'), {
      LOG_LEVEL: process.env.TEMPORAL_LOG_LEVEL ?? 'warn',
      HISTORY_SHARDS: String(options.historyShards ?? 4),
      DATABASE: options.databases.main,
      VISIBILITY_DATABASE: options.databases.visibility,
      DB_ADDRESS: `${db.hostname}:${db.port || 5432}`,
      DB_USER: yamlString(decodeURIComponent(db.username || 'postgres')),
      DB_PASSWORD: yamlString(decodeURIComponent(db.password)),
      MAX_CONNS: String(options.maxConns ?? 5),
      MAX_IDLE_CONNS: String(Math.min(2, options.maxConns ?? 5)),
      VISIBILITY_MAX_CONNS: '2',
      HOST: '127.0.0.1',
      METRICS_PORT: String(ports.metrics),
      FRONTEND_PORT: String(ports.frontend),
      FRONTEND_HTTP_PORT: String(ports.frontendHttp),
      FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
      HISTORY_PORT: String(ports.history),
      HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
      MATCHING_PORT: String(ports.matching),
      MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
      WORKER_PORT: String(ports.worker),
      WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
      DYNAMIC_CONFIG_FILE: yamlString(dynamicConfigFile),
    }),
  );

  const address = `127.0.0.1:${ports.frontend}`;
  const server = spawnLogged(
    tools['temporal-server'],
    ['--root', options.stateDir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'],
    path.join(options.stateDir, 'temporal-server.log'),
  );
  const children: Array<{ child: ChildProcess; exited: Promise<unknown> }> = [server];
  const stop = async () => {
    for (const { child, exited } of [...children].reverse()) await stopChild(child, exited);
  };
  try {
    const started = Date.now();
    await Promise.race([
      registerNamespace(address, namespace, options.retentionDays ?? 30),
      server.exited.then((code) => {
        throw new Error(
          `Temporal server exited with code ${String(code)} while starting; see ${path.join(options.stateDir, 'temporal-server.log')}`,
        );
      }),
    ]);
    log(`Temporal server serving namespace "${namespace}" at ${address} (${Date.now() - started} ms after start)`);

    let uiUrl: string | undefined;
    if (options.uiPort) {
      writeFileSync(path.join(configDir, 'ui.yaml'), uiConfigYaml(address, options.uiPort, namespace));
      const ui = spawnLogged(
        tools['temporal-ui-server'],
        ['--root', options.stateDir, '--config', 'config', '--env', 'ui', 'start'],
        path.join(options.stateDir, 'temporal-ui.log'),
      );
      children.push(ui);
      uiUrl = `http://127.0.0.1:${options.uiPort}`;
      await waitFor(`Temporal UI at ${uiUrl}`, async () => (await fetch(uiUrl!)).ok, 30_000);
    }
    return { address, uiUrl, server: server.child, ports, options: filled, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Temporal's two databases created if missing and brought to the schema this build's server embeds (idempotent):
 * every server start runs it, and a restore (scripts/src/backup) runs it before loading a backup's rows.
 */
export async function setupTemporalSchemas(
  sqlTool: string,
  db: URL,
  databases: RealTemporalServerOptions['databases'],
  log: (message: string) => void = () => undefined,
): Promise<void> {
  const started = Date.now();
  await setupSchema(sqlTool, db, databases.main, 'postgresql/v12/temporal');
  await setupSchema(sqlTool, db, databases.visibility, 'postgresql/v12/visibility');
  log(`Temporal schemas ready in ${databases.main}, ${databases.visibility} (${Date.now() - started} ms)`);
}

/** Create the database if missing, set up the base schema if empty, then upgrade to the version this build embeds. */
async function setupSchema(sqlTool: string, db: URL, database: string, schemaName: string): Promise<void> {
  const connection = [
    '--plugin',
    'postgres12',
    '--ep',
    db.hostname,
    '--port',
    db.port || '5432',
    '--user',
    decodeURIComponent(db.username || 'postgres'),
    '--password',
    decodeURIComponent(db.password),
    '--db',
    database,
  ];
  for (const step of [
    ['create-database'],
    ['setup-schema', '-v', '0.0'],
    ['update-schema', '--schema-name', schemaName],
  ]) {
    try {
      await run(sqlTool, [...connection, ...step], { maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const output = (error as { stderr?: string; stdout?: string }).stderr || (error as Error).message;
      // create-database on an existing database is the idempotent case, not a failure.
      if (step[0] === 'create-database' && /already exists/.test(output)) continue;
      throw new Error(`temporal-sql-tool ${step.join(' ')} on ${database} failed: ${lastLines(output)}`);
    }
  }
}

/** A new server answers a few hundred ms before its namespace registry does; registering is idempotent. */
async function registerNamespace(address: string, namespace: string, retentionDays: number): Promise<void> {
  const connection: Connection = await waitForConnection(address);
  try {
    await waitFor(
      `Temporal server at ${address} to register namespace "${namespace}"`,
      async () => {
        try {
          await connection.workflowService.registerNamespace({
            namespace,
            workflowExecutionRetentionPeriod: msToTs(retentionDays * 24 * 3600 * 1000),
          });
        } catch (error) {
          // ALREADY_EXISTS (6): a restart on the same databases.
          if ((error as { code?: number }).code !== 6) throw error;
        }
        return true;
      },
      60_000,
    );
  } finally {
    await connection.close();
  }
  await waitForNamespace(address, namespace);
}

function spawnLogged(file: string, args: string[], logFile: string) {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(logStream);
  child.stderr?.pipe(logStream);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      logStream.end();
      resolve(code);
    }),
  );
  return { child, exited };
}

async function fillPorts(given: Partial<TemporalServerPorts>): Promise<TemporalServerPorts> {
  const entries = await Promise.all(
    (Object.keys(DEFAULT_SERVER_PORTS) as Array<keyof TemporalServerPorts>).map(
      async (name) =>
        [name, given[name] ?? (await (name.endsWith('Membership') ? freeLowPort() : freePort()))] as const,
    ),
  );
  return Object.fromEntries(entries) as unknown as TemporalServerPorts;
}

/** `${NAME}` → value; a name the caller did not give is an error, not an empty string in a config file. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`server.template.yaml: no value for \${${name}}`);
    return value;
  });
}

const yamlString = (value: string) => JSON.stringify(value);

function dynamicConfigYaml(values: Record<string, string | number | boolean>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}:\n  - value: ${JSON.stringify(value)}\n    constraints: {}\n`)
    .join('');
}

function uiConfigYaml(address: string, port: number, namespace: string): string {
  return [
    `temporalGrpcAddress: ${address}`,
    'host: 127.0.0.1',
    `port: ${port}`,
    'enableUi: true',
    `defaultNamespace: ${namespace}`,
    'cors:',
    '  cookieInsecure: true',
    'notifyOnNewVersion: false',
    '',
  ].join('\n');
}

const lastLines = (text: string) => text.trim().split('\n').slice(-3).join(' | ');
