import { createApp, loadConfig } from '@county/api';
import { TEST_DEMO_PASSWORD } from './constants';
import { uniqueTaskQueue } from './worker';

export interface RunningApi {
  /** e.g. http://127.0.0.1:41234/api/v1 */
  baseUrl: string;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Called before the server listens, e.g. to add a bare route beside Nest's (the bench's baseline). */
  configure?: (app: Awaited<ReturnType<typeof createApp>>) => void;
}

/**
 * Starts the real HTTP API (Fastify on an OS-chosen port) against the run's Postgres and Temporal.
 * `env` overrides individual settings, e.g. DATABASE_URL pointing through a proxy.
 */
export async function startApi(env: NodeJS.ProcessEnv = {}, options: StartApiOptions = {}): Promise<RunningApi> {
  // Workflows started by this API go to a queue of its own that no worker polls, unless the test runs
  // a worker and says which queue: imports in API-only tests must not load the shared worker.
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    PORT: '1',
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('api-test'),
    ...env,
  });
  const app = await createApp(config, { logLevels: ['error'] });
  try {
    options.configure?.(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    // A start-up check failed (e.g. a bad CALL_POLICY): release the connections made so far.
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  const origin = `http://127.0.0.1:${address.port}`;
  return { baseUrl: `${origin}/api/v1`, origin, close: () => app.close() };
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  // A file download (a .docx, a PDF) has no JSON body to parse: its bytes are read with fetch where a test needs them.
  if (!/json/.test(response.headers.get('content-type') ?? 'json')) {
    await response.arrayBuffer();
    return { status: response.status, headers: response.headers, body: undefined as T };
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function login(baseUrl: string, username: string, password = TEST_DEMO_PASSWORD): Promise<string> {
  const response = await request<{ accessToken: string }>(baseUrl, 'POST', '/auth/login', {
    body: { username, password },
  });
  if (response.status !== 200)
    throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.accessToken;
}

/** Logs each user in once and keeps the token. */
export function tokenCache(baseUrl: () => string, password = TEST_DEMO_PASSWORD) {
  const tokens = new Map<string, Promise<string>>();
  return (username: string): Promise<string> => {
    let token = tokens.get(username);
    if (!token) {
      token = login(baseUrl(), username, password);
      tokens.set(username, token);
      // A failed login is not cached: the next call tries again.
      token.catch(() => tokens.delete(username));
    }
    return token;
  };
}
