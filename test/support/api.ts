import { createApp, loadConfig } from '@county/api';
import { TEST_DEMO_PASSWORD } from './constants';

export interface RunningApi {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the real HTTP API (Fastify on an OS-chosen port) against the run's Postgres and Temporal.
 * `env` overrides individual settings, e.g. DATABASE_URL pointing through a proxy.
 */
export async function startApi(env: NodeJS.ProcessEnv = {}): Promise<RunningApi> {
  // Workflows started by this API go to a queue of its own that no worker polls, unless the test runs
  // a worker and says which queue: imports in API-only tests must not load the shared worker.
  const taskQueue = `api-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', PORT: '1', TEMPORAL_TASK_QUEUE: taskQueue, ...env });
  const app = await createApp(config, { logLevels: ['error'] });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    // A start-up check failed (e.g. a bad CALL_POLICY): release the connections made so far.
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${address.port}/api/v1`, close: () => app.close() };
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
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
