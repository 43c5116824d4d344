import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '@county/scripts/dist/free-port';
import { resolveTemporalCli } from '@county/scripts/dist/temporal-cli';
import { RunningTemporal, startTemporalServer } from '@county/scripts/dist/temporal-server';
import { request, RequestOptions, RunningApi, startApi, StartApiOptions, tokenCache } from './api';
import {
  assignmentsClient,
  asUser,
  callsClient,
  ClientContext,
  escalationsClient,
  extensionsClient,
  tasksClient,
} from './clients';
import { recordHistories } from './histories';
import { assignmentOf, ImportedAssignment, ImportedPlan, importAndStart, ImportOptions, ONE_TASK_LIST } from './plans';
import { policyField } from './policy';
import { CallStart, raiseCallInTemporal } from './temporal';
import type { DeliveryConfig } from '@county/worker/dist/runtime';
import { RunningWorker, startWorker, uniqueTaskQueue } from './worker';

export interface StackOptions {
  /**
   * Run the production workflows and activities in-process, on a queue of the stack's own (default: no worker —
   * workflows the API starts then wait on a queue nobody polls, which API-only suites want).
   */
  worker?: boolean;
  /** The in-process worker's delivery settings laid over TEST_DELIVERY (an SMTP server, allowed hosts, a clock). */
  delivery?: Partial<DeliveryConfig>;
  /** A Temporal dev server of the stack's own, e.g. with dynamic config (default: the run's server). */
  ownTemporal?: { dynamicConfig?: Record<string, string | number | boolean> };
  /** A Temporal the suite started itself (e.g. one it kills: startOwnRealTemporal); default: the run's server. */
  temporalAddress?: string;
  /** No API at all (default: one), for suites that only need Temporal (and maybe the worker). */
  api?: boolean;
  /** Settings laid over the API's environment (DATABASE_URL through a proxy, CALL_POLICY, …). */
  apiEnv?: NodeJS.ProcessEnv;
  /**
   * Further APIs on the same queue and database, by name, each with its settings laid over `apiEnv` (e.g. two call
   * policies at once): `stack.on(name)`.
   */
  apis?: Record<string, NodeJS.ProcessEnv>;
  /** Passed to startApi (e.g. a route of the bench's own). */
  apiOptions?: StartApiOptions;
  /** The database (default: the run's). */
  databaseUrl?: string;
  /**
   * The worker's and the API's task queue (default: one of the stack's own), for a stack started again on the same
   * workflows (e.g. on an installation restored from a backup).
   */
  taskQueue?: string;
  /** The attachment store of the worker and the API (ATTACHMENTS_DIR; default: the run's). */
  attachmentsDir?: string;
  /** The demo users' password (default: the test database's). */
  password?: string;
  /** Users to log in while starting (any other user logs in when first used). */
  users?: string[];
  /** A list the supervisor imports and starts before the first test: `stack.plan` (ONE_TASK_LIST by default). */
  plan?: { text?: string; policy?: object; fields?: Record<string, string>; startTimeoutMs?: number };
  /**
   * After the suite, with RECORD_HISTORIES=1: these workflows' histories (name → workflow id; undefined: not
   * recorded, e.g. a test that did not get that far) for test/replay.
   */
  histories?: (stack: Stack) => Record<string, string | undefined>;
}

/** Small clients for the resources the tests drive, on one API. */
export interface ApiClients extends ClientContext {
  api: RunningApi;
  /** One HTTP call as `who`. */
  as: ReturnType<typeof asUser>;
  /** One HTTP call with explicit options (no token unless given). */
  request: <T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: RequestOptions,
  ) => ReturnType<typeof request<T>>;
  assignments: ReturnType<typeof assignmentsClient>;
  tasks: ReturnType<typeof tasksClient>;
  calls: ReturnType<typeof callsClient>;
  escalations: ReturnType<typeof escalationsClient>;
  extensions: ReturnType<typeof extensionsClient>;
}

/** The clients of `api`, logging users in with `login` (tokens are good on every API of one database). */
export function apiClients(api: RunningApi, login: ClientContext['login']): ApiClients {
  const context: ClientContext = { baseUrl: api.baseUrl, login };
  return {
    ...context,
    api,
    as: asUser(context),
    request: (method, route, requestOptions) => request(api.baseUrl, method, route, requestOptions),
    assignments: assignmentsClient(context),
    tasks: tasksClient(context),
    calls: callsClient(context),
    escalations: escalationsClient(context),
    extensions: extensionsClient(context),
  };
}

/** The real services of one suite, and small clients for the resources the tests drive. */
export interface Stack extends ApiClients {
  /** The in-process worker (with `worker: true`). */
  worker: RunningWorker | undefined;
  /** The queue the API starts workflows on (the worker's, with `worker: true`). */
  taskQueue: string;
  temporalAddress: string;
  temporal: Client;
  /** The plan named by `plan` (throws without one). */
  plan: ImportedPlan;
  /** A token already logged in (`users`, or an earlier `login`); throws otherwise. */
  token(username: string): string;
  /** A call raised straight in Temporal on the stack's queue, past the API's checks (see raiseCallInTemporal). */
  raiseCallInTemporal(start: CallStart): ReturnType<typeof raiseCallInTemporal>;
  /** The clients of the further API `name` (StackOptions.apis). */
  on(name: string): ApiClients;
  /** The assignment of `unitId` in `stack.plan` (task 1 unless `taskNo`). */
  assignmentOf(unitId: string, taskNo?: number): ImportedAssignment;
  /** Imports a further list as the supervisor and waits for its workflows. */
  importAndStart(text?: string, fields?: Record<string, string>, options?: ImportOptions): Promise<ImportedPlan>;
  /** Imports `text` (ONE_TASK_LIST by default) with `policy` (e.g. assignmentPolicy(…)) and waits for its workflows. */
  importWithPolicy(policy: object, text?: string): Promise<ImportedPlan>;
  /** Records the histories named by `histories`, then stops everything the stack started (in reverse order). */
  stop(): Promise<void>;
}

/** Starts a stack (the bench, or a suite that manages its own hooks). useStack() is the usual way in a suite. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    let temporalAddress = options.temporalAddress ?? process.env.TEMPORAL_ADDRESS!;
    if (options.ownTemporal) {
      const server: RunningTemporal = await startTemporalServer({
        cli: await resolveTemporalCli(() => undefined),
        port: await freePort(),
        logFile: path.join(os.tmpdir(), `county-temporal-${process.pid}-${Date.now()}.log`),
        dynamicConfig: options.ownTemporal.dynamicConfig,
      });
      cleanups.push(() => server.stop());
      temporalAddress = server.address;
    }
    const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL!;
    let worker: RunningWorker | undefined;
    if (options.worker) {
      worker = await startWorker(
        options.taskQueue ?? uniqueTaskQueue(),
        temporalAddress,
        databaseUrl,
        options.delivery,
        options.attachmentsDir,
      );
      cleanups.push(() => worker!.stop());
    }
    const taskQueue = worker?.taskQueue ?? options.taskQueue ?? uniqueTaskQueue('api-test');
    const startOneApi = async (env: NodeJS.ProcessEnv = {}) => {
      const started = await startApi(
        {
          DATABASE_URL: databaseUrl,
          TEMPORAL_ADDRESS: temporalAddress,
          TEMPORAL_TASK_QUEUE: taskQueue,
          ...(options.attachmentsDir ? { ATTACHMENTS_DIR: options.attachmentsDir } : {}),
          ...options.apiEnv,
          ...env,
        },
        options.apiOptions,
      );
      cleanups.push(() => started.close());
      return started;
    };
    const api = options.api === false ? undefined : await startOneApi();
    const apis = new Map<string, RunningApi>();
    for (const [name, env] of Object.entries(options.apis ?? {})) apis.set(name, await startOneApi(env));
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const temporal = new Client({ connection });

    const baseUrl = () => {
      if (!api) throw new Error('this stack has no API: it was started with useStack({ api: false })');
      return api.baseUrl;
    };
    const login = tokenCache(baseUrl, options.password);
    const loggedIn = new Map<string, string>();
    const context: ClientContext = {
      get baseUrl() {
        return baseUrl();
      },
      login: async (username) => {
        const token = await login(username);
        loggedIn.set(username, token);
        return token;
      },
    };
    const importPlan = async (
      text = ONE_TASK_LIST,
      fields: Record<string, string> = {},
      importOptions: ImportOptions = {},
    ) =>
      importAndStart({ baseUrl: baseUrl() }, await context.login('supervisor'), text, fields, {
        databaseUrl,
        ...importOptions,
      });

    let plan: ImportedPlan | undefined;
    // Without an API (api: false), the stack has no clients: only the login, which says so when used.
    const clients = api ? apiClients(api, context.login) : ({ login: context.login } as ApiClients);
    const stack: Stack = {
      ...clients,
      worker,
      taskQueue,
      temporalAddress,
      temporal,
      get plan() {
        if (!plan) throw new Error('this stack has no plan: pass useStack({ plan: {} })');
        return plan;
      },
      token: (username) => {
        const token = loggedIn.get(username);
        if (!token) throw new Error(`${username} is not logged in: list it in useStack({ users }) or await login()`);
        return token;
      },
      on: (name) => {
        const named = apis.get(name);
        if (!named) throw new Error(`this stack has no API named ${name}: name it in useStack({ apis })`);
        return apiClients(named, context.login);
      },
      raiseCallInTemporal: (input) => raiseCallInTemporal(temporal, taskQueue, input),
      assignmentOf: (unitId, taskNo) => assignmentOf(stack.plan, unitId, taskNo),
      importAndStart: importPlan,
      importWithPolicy: (policy, text) => importPlan(text, policyField(policy)),
      stop: async () => {
        try {
          // A suite whose plan was never imported has nothing to record; one that imports its own says which.
          if (options.histories && (plan || !options.plan)) await recordHistories(temporal, options.histories(stack));
        } finally {
          await stopAll();
        }
      },
    };
    for (const username of options.users ?? []) await context.login(username);
    if (options.plan) {
      const { text, policy, fields, startTimeoutMs } = options.plan;
      plan = await importPlan(text, { ...(policy ? policyField(policy) : {}), ...fields }, { startTimeoutMs });
    }
    return stack;
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

/**
 * The suite's stack: started in a beforeAll and stopped in an afterAll that this call registers (options given as a
 * function are read when the beforeAll runs). The object it
 * returns stands for the stack once started (use it inside tests and hooks, not at the top of the describe).
 */
export function useStack(
  options: StackOptions | (() => StackOptions | Promise<StackOptions>) = {},
  startTimeoutMs = 120_000,
): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    // A function is called in the hook, after the suite's earlier beforeAll (e.g. one that starts a proxy).
    current = await startStack(typeof options === 'function' ? await options() : options);
  }, startTimeoutMs);
  afterAll(async () => {
    await current?.stop();
  }, startTimeoutMs);
  return new Proxy({} as Stack, {
    get(_target, key) {
      if (!current) throw new Error(`useStack(): the stack is not started (read .${String(key)} inside a test)`);
      const value = Reflect.get(current, key, current) as unknown;
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
