import { Writable } from 'node:stream';
import {
  createLogger,
  demoteInfoToDebug,
  logContext,
  logLevelFrom,
  nestLogger,
  routeConsoleTo,
  scrubSecrets,
  temporalLogger,
} from './index';

/** A logger writing into an array of parsed lines, and the raw text to check framing. */
function capture(level: 'info' | 'debug' = 'info') {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ level, destination, base: { service: 'test' } });
  const lines = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, text: () => text };
}

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('createLogger', () => {
  it('writes one JSON object per line with time, level name and msg', () => {
    const { logger, lines, text } = capture();
    logger.info({ workflowId: 'task-p-1' }, 'first\nsecond');
    logger.debug('not at info');
    expect(text().trim().split('\n')).toHaveLength(1);
    const [line] = lines();
    expect(line).toMatchObject({ level: 'info', msg: 'first\nsecond', workflowId: 'task-p-1', service: 'test' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('redacts secret fields at any of the first levels', () => {
    const { logger, text } = capture();
    logger.info(
      {
        password: 'hunter2-password',
        body: { refreshToken: 'refresh-secret', accessToken: JWT },
        req: { headers: { authorization: `Bearer ${JWT}`, cookie: 'sid=cookie-secret' } },
        headers: { 'set-cookie': 'sid=cookie-secret-2', authorization: 'Basic YWRtaW46cGFzcw==' },
      },
      'login',
    );
    for (const secret of ['hunter2-password', 'refresh-secret', JWT, 'cookie-secret', 'YWRtaW46cGFzcw==']) {
      expect(text()).not.toContain(secret);
    }
    expect(text()).toContain('[Redacted]');
  });

  it('logs only method and path of a request object and the status of a reply', () => {
    const { logger, lines } = capture();
    logger.warn(
      {
        req: { method: 'GET', url: '/login/oidc?code=one-time-code', headers: { authorization: 'Bearer x' } },
        res: { statusCode: 400, headers: {} },
      },
      'aborted',
    );
    expect(lines()[0]).toMatchObject({ req: { method: 'GET', url: '/login/oidc' }, res: { statusCode: 400 } });
    expect(JSON.stringify(lines()[0])).not.toContain('one-time-code');
  });

  it('scrubs credentials in URLs, bearer tokens and JWTs from messages and errors', () => {
    const { logger, text } = capture();
    logger.error('connect to postgres://county:db-secret@db:5432/county failed');
    logger.error({ err: new Error('smtp://mailer:smtp-secret@mail:587 refused') }, 'delivery');
    logger.info(`token ${JWT} seen; header Bearer opaque-secret`);
    for (const secret of ['db-secret', 'smtp-secret', JWT, 'opaque-secret']) expect(text()).not.toContain(secret);
    expect(text()).toContain('postgres://county:[Redacted]@db:5432/county');
  });

  it('refuses an unknown LOG_LEVEL and defaults to info', () => {
    expect(logLevelFrom({})).toBe('info');
    expect(logLevelFrom({ LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(() => logLevelFrom({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of/);
  });
});

describe('scrubSecrets', () => {
  it('leaves ordinary text alone', () => {
    expect(scrubSecrets('listening on http://127.0.0.1:3000/api/v1')).toBe('listening on http://127.0.0.1:3000/api/v1');
  });
});

describe('nestLogger', () => {
  it('names the component, adds the request context, and takes fields from an object message', () => {
    const { logger, lines } = capture('debug');
    const nest = nestLogger(logger);
    logContext.run({ requestId: 'req-1', userId: 'user-1', unitId: 'approval' }, () => {
      nest.log({ msg: 'Temporal update approve', workflowId: 'assignment-a' }, 'WorkflowGateway');
    });
    nest.error('boom', 'Error: boom\n    at x (y.js:1:1)', 'ProblemFilter');
    nest.log('Mapped {/api/v1/me, GET} route', 'RouterExplorer');
    nest.log('Nest application successfully started', 'NestApplication');
    const [update, error, mapped, started] = lines();
    expect(update).toMatchObject({
      level: 'info',
      msg: 'Temporal update approve',
      workflowId: 'assignment-a',
      requestId: 'req-1',
      userId: 'user-1',
      unitId: 'approval',
      component: 'WorkflowGateway',
    });
    expect(error).toMatchObject({ level: 'error', msg: 'boom', component: 'ProblemFilter' });
    expect(error.stack).toContain('at x');
    expect(mapped).toMatchObject({ level: 'debug', component: 'RouterExplorer' });
    expect(mapped.requestId).toBeUndefined();
    expect(started).toMatchObject({ level: 'info', component: 'NestApplication' });
  });
});

describe('temporalLogger', () => {
  it('maps levels and makes metadata fields, dropping symbol keys', () => {
    const { logger, lines } = capture('debug');
    const temporal = temporalLogger(logger);
    temporal.log('WARN', 'Activity failed', { workflowId: 'task-p-1', [Symbol('ts')]: 1n, error: new Error('x') });
    temporal.debug('Activity completed', { workflowId: 'task-p-1', durationMs: 3 });
    const [warn, debug] = lines();
    expect(warn).toMatchObject({ level: 'warn', msg: 'Activity failed', workflowId: 'task-p-1' });
    expect((warn.err as { message: string }).message).toBe('x');
    expect(debug).toMatchObject({ level: 'debug', workflowId: 'task-p-1', durationMs: 3 });
  });

  it('demoteInfoToDebug keeps webpack reports out of info', () => {
    const { logger, lines } = capture('info');
    const bundler = demoteInfoToDebug(temporalLogger(logger));
    bundler.info('asset workflow-bundle-abc.js 1.2 MiB\nmodules by path ./node_modules/ 900 KiB');
    bundler.log('INFO', 'Workflow bundle created');
    bundler.warn('a warning stays');
    expect(lines().map((line) => line.msg)).toEqual(['a warning stays']);
  });
});

describe('routeConsoleTo', () => {
  it('turns console calls into JSON lines', () => {
    const saved = { log: console.log, error: console.error, warn: console.warn, info: console.info };
    const { logger, lines } = capture();
    try {
      routeConsoleTo(logger);
      console.log('outbox: %s', 'gone', { nested: { deep: true } });
      console.error(new Error('crash'));
    } finally {
      Object.assign(console, saved);
    }
    const [log, error] = lines();
    expect(log).toMatchObject({ level: 'info', component: 'console' });
    expect(log.msg).toContain('outbox: gone');
    expect(error).toMatchObject({ level: 'error', msg: 'crash' });
  });
});
