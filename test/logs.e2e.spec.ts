import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { assignmentWorkflowId } from '@county/workflows';
import { freePort } from '../scripts/src/free-port';
import {
  assignmentOf,
  importAndStart,
  ONE_TASK_LIST,
  request,
  TEST_DEMO_PASSWORD,
  useStack,
  waitFor,
} from '@county/test-kit';
import { NodeProcess, runNodeScript } from './support/node-process';

const API_MAIN = path.resolve(__dirname, '../apps/api/dist/main.js');
const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');

/** A child process's stdout and stderr, each kept apart so that lines of one are never cut by the other. */
interface Captured {
  process: NodeProcess;
  stdout: string;
  stderr: string;
}
function capture(script: string, env: NodeJS.ProcessEnv): Captured {
  const captured: Captured = { process: runNodeScript(script, env), stdout: '', stderr: '' };
  captured.process.child.stdout!.on('data', (chunk: Buffer) => (captured.stdout += chunk.toString()));
  captured.process.child.stderr!.on('data', (chunk: Buffer) => (captured.stderr += chunk.toString()));
  return captured;
}

type Line = Record<string, unknown> & { level: string; time: string; msg: string };

/** Every non-empty line of both streams, parsed; a line that is not a JSON object with time, level and msg fails. */
function linesOf(name: string, captured: Captured): Line[] {
  return [captured.stdout, captured.stderr]
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`${name} printed a line that is not JSON: ${line.slice(0, 300)}`);
      }
      const entry = parsed as Partial<Line>;
      if (
        typeof entry !== 'object' ||
        entry === null ||
        typeof entry.level !== 'string' ||
        typeof entry.time !== 'string' ||
        typeof entry.msg !== 'string'
      ) {
        throw new Error(`${name} printed a JSON line without level, time and msg: ${line.slice(0, 300)}`);
      }
      return entry as Line;
    });
}

const INFO_OR_ABOVE = new Set(['info', 'warn', 'error', 'fatal']);

/**
 * Issue 20's log test: the API and the worker as the processes production runs (apps/*\/dist/main.js), a login with
 * a password and an approval through them; then every line either printed is a JSON object with time, level and
 * msg, the request id and the workflow id thread through, and no line holds the password or a token.
 */
describe('JSON-line logs of the API and the worker', () => {
  const taskQueue = `logs-${process.pid}-${Date.now()}`;
  // Only Temporal and the database from the kit: the test starts the API and the worker itself.
  useStack({ api: false });
  const jwtSecret = randomBytes(32).toString('hex');
  const started: Captured[] = [];
  afterAll(() => {
    for (const { process: child } of started) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  });

  it('writes one JSON object per line, with request and workflow ids, and never a password or a token', async () => {
    // The worker at debug: its activity lines (with the workflow id) are debug lines of the SDK, and so is the
    // workflow bundle's report, which must be there but never at info.
    const worker = capture(WORKER_MAIN, { TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'debug' });
    started.push(worker);
    await waitFor('the worker to poll', async () => worker.stdout.includes('worker polling'), 60_000, 200);

    const port = await freePort();
    const api = capture(API_MAIN, {
      TEMPORAL_TASK_QUEUE: taskQueue,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      JWT_SECRET: jwtSecret,
    });
    started.push(api);
    await waitFor(
      'the API to listen',
      async () => {
        if (api.process.child.exitCode !== null) throw new Error(`the API exited:\n${api.stdout}${api.stderr}`);
        return api.stdout.includes('listening on');
      },
      60_000,
      200,
    );
    const baseUrl = `http://127.0.0.1:${port}/api/v1`;

    // A login with the password, under a request id of the caller's: it is used and echoed.
    const loginRequestId = `logs-e2e-login-${randomUUID()}`;
    const loginAs = async (username: string, requestId?: string) => {
      const answer = await request<{ accessToken: string }>(baseUrl, 'POST', '/auth/login', {
        body: { username, password: TEST_DEMO_PASSWORD },
        headers: requestId ? { 'x-request-id': requestId } : {},
      });
      expect(answer.status).toBe(200);
      return { token: answer.body.accessToken, requestId: answer.headers.get('x-request-id') };
    };
    const supervisor = await loginAs('supervisor', loginRequestId);
    expect(supervisor.requestId).toBe(loginRequestId);
    const staff = await loginAs('finance.staff');
    // No id given (or one that is not a plausible id): the API makes one and says which.
    expect(staff.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const head = await loginAs('approval.head', 'not a valid id');
    expect(head.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // Secrets sent where the API refuses them must not be logged either: a wrong password, a body with a
    // refresh token (unknown field: 400), a cookie and a token that is no token.
    const wrongPassword = `wrong-${randomUUID()}`;
    const refreshToken = `refresh-${randomUUID()}`;
    const cookieSecret = `cookie-${randomUUID()}`;
    const bogusBearer = `bogus-${randomUUID()}`;
    expect(
      (await request(baseUrl, 'POST', '/auth/login', { body: { username: 'supervisor', password: wrongPassword } }))
        .status,
    ).toBe(401);
    expect(
      (
        await request(baseUrl, 'POST', '/auth/login', {
          body: { username: 'supervisor', password: TEST_DEMO_PASSWORD, refreshToken },
          headers: { cookie: `sid=${cookieSecret}` },
        })
      ).status,
    ).toBe(400);
    expect((await request(baseUrl, 'GET', '/me', { token: bogusBearer })).status).toBe(401);

    // A plan, and one unit's work acknowledged, submitted and approved by the lead unit's head.
    const plan = await importAndStart({ baseUrl }, supervisor.token, ONE_TASK_LIST);
    const finance = assignmentOf(plan, 'finance');
    const workflowId = assignmentWorkflowId(finance.id);
    const act = (token: string, action: string, body: unknown, headers: Record<string, string> = {}) =>
      request(baseUrl, 'POST', `/assignments/${finance.id}/${action}`, { token, body, headers });
    expect((await act(staff.token, 'acknowledge', {})).status).toBe(200);
    expect((await act(staff.token, 'submit', { summary: '已完成', evidence: [] })).status).toBe(200);
    const approveRequestId = `logs-e2e-approve-${randomUUID()}`;
    const approved = await act(head.token, 'approve', { comment: '同意' }, { 'x-request-id': approveRequestId });
    expect(approved.status).toBe(200);
    expect(approved.headers.get('x-request-id')).toBe(approveRequestId);

    // The worker's activities for the approval (their lines carry the workflow id).
    await waitFor(
      'a worker line about the approved assignment',
      async () => worker.stdout.includes(`"workflowId":"${workflowId}"`),
      30_000,
      200,
    );

    // Both stop as an operator stops them, so their last lines are in the output too.
    api.process.child.kill('SIGTERM');
    await api.process.exited; // Nest closes the app, then re-raises the signal: no exit code to check
    worker.process.child.kill('SIGTERM');
    expect(await worker.process.exited).toBe(0);

    const apiLines = linesOf('the API', api);
    const workerLines = linesOf('the worker', worker);

    // The request id threads the API's lines: the login's request line, and the approval's Temporal update
    // together with the workflow it went to, the user and the unit.
    expect(apiLines).toContainEqual(
      expect.objectContaining({ requestId: loginRequestId, msg: 'request completed', statusCode: 200 }),
    );
    const update = apiLines.find((line) => line.requestId === approveRequestId && line.workflowId === workflowId);
    expect(update).toMatchObject({ level: 'info', userId: expect.any(String), unitId: 'approval' });
    expect(apiLines).toContainEqual(
      expect.objectContaining({ requestId: approveRequestId, msg: 'request completed', unitId: 'approval' }),
    );
    expect(apiLines.some((line) => line.msg.includes('listening on'))).toBe(true);
    expect(workerLines.some((line) => line.workflowId === workflowId)).toBe(true);
    expect(workerLines.some((line) => line.msg.includes('worker stopped'))).toBe(true);

    // The bundle report exists (the check below is not vacuous) but only as a debug line.
    const bundleReport = (line: Line) => /modules by path|asset workflow-bundle-/.test(line.msg);
    expect(workerLines.filter(bundleReport).map((line) => line.level)).toEqual(expect.arrayContaining(['debug']));
    expect(workerLines.filter((line) => bundleReport(line) && INFO_OR_ABOVE.has(line.level))).toEqual([]);

    // No secret in any line of either process.
    const everything = [api.stdout, api.stderr, worker.stdout, worker.stderr].join('\n');
    const secrets = {
      password: TEST_DEMO_PASSWORD,
      wrongPassword,
      refreshToken,
      cookieSecret,
      bogusBearer,
      jwtSecret,
      supervisorToken: supervisor.token,
      staffToken: staff.token,
      headToken: head.token,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, found: everything.includes(secret) }).toEqual({ name, found: false });
    }
  }, 180_000);
});
