import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import pino, { Logger, LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * The processes' one log format (issue 20): one JSON object per line on stdout — `time` (ISO 8601), `level` (its
 * name), `msg`, and whatever the event knows (`requestId`, `userId`, `unitId`, `workflowId`, `component`, `err`).
 * The API and the worker both log through `createLogger`; Nest, Fastify, the Temporal SDK and any stray console.*
 * call are adapted to it below, so nothing else writes to the streams an operator's log collector reads.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** LOG_LEVEL (default info); anything else is a configuration mistake, refused rather than guessed at. */
export function logLevelFrom(env: NodeJS.ProcessEnv): LogLevelName {
  const value = (env.LOG_LEVEL ?? '').trim().toLowerCase() || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  return value as LogLevelName;
}

/**
 * Fields that hold a secret wherever they appear in a logged object (one or two levels deep): pino removes their
 * values before the line is written. Request bodies are never logged at all; this is for what might still slip
 * into an object (headers of a failed outbound call, a DTO passed to a log call, an error's details).
 */
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'oneTimePassword',
  'accessToken',
  'refreshToken',
  'token',
  'secret',
  'clientSecret',
  'authorization',
  'cookie',
  'set-cookie',
  'smtpUrl',
  'databaseUrl',
];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const sep = key.startsWith('[') ? '' : '.';
  return [key, `*${sep}${key}`, `*.*${sep}${key}`];
});

/**
 * Secrets inside text: credentials in a URL (`postgres://user:pass@host`, `smtp://user:pass@host`), a bearer token,
 * or a JWT on its own (our access tokens are JWTs). Applied to every message and to errors' messages and stacks —
 * a driver's error may well quote the URL it was given.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^@\s/]*@/gi, '$1:[Redacted]@')
    .replace(/(bearer\s+)[^\s"',]+/gi, '$1[Redacted]')
    .replace(/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+/g, '[Redacted]');
}

function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!serialized || typeof serialized !== 'object') return serialized;
  for (const key of ['message', 'stack']) {
    if (typeof serialized[key] === 'string') serialized[key] = scrubSecrets(serialized[key]);
  }
  return serialized;
}

/**
 * Fastify logs `{ req, res }` on some paths of its own (an aborted request, its fallback error handler): only the
 * method, the path without its query and the status — never headers (Authorization, Cookie) or the raw objects.
 */
function serializeRequest(request: unknown): unknown {
  const { method, url } = (request ?? {}) as { method?: unknown; url?: unknown };
  return { method, url: typeof url === 'string' ? url.split('?')[0] : undefined };
}
function serializeReply(reply: unknown): unknown {
  return { statusCode: (reply as { statusCode?: unknown } | undefined)?.statusCode };
}

export interface CreateLoggerOptions {
  /** Default: LOG_LEVEL from the environment, else info. */
  level?: LogLevelName;
  /** Where the lines go (default: stdout). Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
  /** Fields on every line, e.g. `{ service: 'api' }`. */
  base?: Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const loggerOptions: LoggerOptions = {
    level: options.level ?? logLevelFrom(process.env),
    base: options.base ?? {},
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    // The level's name, not pino's number: an operator greps for "level":"error".
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    serializers: { err: serializeError, error: serializeError, req: serializeRequest, res: serializeReply },
    hooks: {
      // Every message (the string arguments, printf-style) is scrubbed of URL credentials and tokens.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)) as typeof args;
        method.apply(this, scrubbed);
      },
    },
  };
  return pino(loggerOptions, options.destination ?? pino.destination({ fd: 1, sync: true }));
}

/**
 * What the API knows about the request being handled (set by its log-context interceptor once the user is
 * known); the Nest logger adds it to every line logged while handling that request.
 */
export interface LogContext {
  requestId?: string;
  userId?: string;
  unitId?: string;
}
export const logContext = new AsyncLocalStorage<LogContext>();

function contextFields(): Record<string, string> {
  const store = logContext.getStore();
  if (!store) return {};
  return Object.fromEntries(Object.entries(store).filter(([, value]) => value !== undefined)) as Record<string, string>;
}

/** Nest's LoggerService (structurally; this lib imports no Nest): `context` is the Logger's name, e.g. WorkflowGateway. */
export interface NestLoggerService {
  log(message: unknown, ...optionalParams: unknown[]): void;
  error(message: unknown, ...optionalParams: unknown[]): void;
  warn(message: unknown, ...optionalParams: unknown[]): void;
  debug(message: unknown, ...optionalParams: unknown[]): void;
  verbose(message: unknown, ...optionalParams: unknown[]): void;
  fatal(message: unknown, ...optionalParams: unknown[]): void;
}

/**
 * Nest's start-up detail: a line per module loaded and per route mapped (well over a hundred per start). At debug;
 * "Starting Nest application…" and "Nest application successfully started" stay at info.
 */
const NEST_BOOT_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's logger calls onto `logger`: `new Logger('X').log(message)` arrives as (message, 'X'); `.error(message,
 * stack, 'X')` with a stack. A message may be an object with `msg` and fields (`{ msg, workflowId }`): its
 * fields join the line.
 */
export function nestLogger(logger: Logger): NestLoggerService {
  const write = (asked: pino.Level, message: unknown, params: unknown[], withStack: boolean) => {
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const level = asked === 'info' && context && NEST_BOOT_DETAIL.has(context) ? 'debug' : asked;
    const fields: Record<string, unknown> = { ...contextFields(), ...(context ? { component: context } : {}) };
    if (withStack && typeof rest[0] === 'string') fields.stack = scrubSecrets(rest.shift() as string);
    if (message instanceof Error) {
      logger[level]({ ...fields, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      const { msg, message: text, ...more } = message as Record<string, unknown>;
      logger[level]({ ...fields, ...more }, String(msg ?? text ?? ''));
    } else {
      logger[level](fields, String(message));
    }
  };
  return {
    log: (message, ...params) => write('info', message, params, false),
    error: (message, ...params) => write('error', message, params, true),
    warn: (message, ...params) => write('warn', message, params, false),
    debug: (message, ...params) => write('debug', message, params, false),
    verbose: (message, ...params) => write('trace', message, params, false),
    fatal: (message, ...params) => write('fatal', message, params, true),
  };
}

/** The Temporal SDK's Logger interface (structurally, so this lib needs no Temporal package). */
export type TemporalLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export interface TemporalLogger {
  log(level: TemporalLogLevel, message: string, meta?: Record<string | symbol, unknown>): void;
  trace(message: string, meta?: Record<string | symbol, unknown>): void;
  debug(message: string, meta?: Record<string | symbol, unknown>): void;
  info(message: string, meta?: Record<string | symbol, unknown>): void;
  warn(message: string, meta?: Record<string | symbol, unknown>): void;
  error(message: string, meta?: Record<string | symbol, unknown>): void;
}

/**
 * The Temporal SDK's logs (the worker's lifecycle, workflow and activity context loggers, the forwarded Rust core)
 * onto `logger`. Their metadata becomes fields: activity and workflow logs carry `workflowId`, `workflowType`,
 * `activityType`, `taskQueue`…; `sdkComponent` says which part spoke. The core's symbol-keyed timestamp is
 * dropped (the line has its own `time`).
 */
export function temporalLogger(logger: Logger): TemporalLogger {
  const levels: Record<TemporalLogLevel, pino.Level> = {
    TRACE: 'trace',
    DEBUG: 'debug',
    INFO: 'info',
    WARN: 'warn',
    ERROR: 'error',
  };
  const log = (level: TemporalLogLevel, message: string, meta: Record<string | symbol, unknown> = {}) => {
    const fields = Object.fromEntries(Object.entries(meta));
    if (fields.error instanceof Error) {
      fields.err = fields.error;
      delete fields.error;
    }
    logger[levels[level] ?? 'info'](fields, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

/**
 * A Temporal logger that writes its info lines at debug. For the workflow bundler: webpack's multi-line build
 * report ("asset workflow-bundle-… modules by path …") is detail an operator wants only when debugging the build;
 * errors and warnings keep their level.
 */
export function demoteInfoToDebug(logger: TemporalLogger): TemporalLogger {
  return {
    log: (level, message, meta) => logger.log(level === 'INFO' ? 'DEBUG' : level, message, meta),
    trace: (message, meta) => logger.trace(message, meta),
    debug: (message, meta) => logger.debug(message, meta),
    info: (message, meta) => logger.debug(message, meta),
    warn: (message, meta) => logger.warn(message, meta),
    error: (message, meta) => logger.error(message, meta),
  };
}

/**
 * Sends console.log/info/warn/error/debug of this process through `logger`, so a library's (or our own) stray
 * console call is still one JSON line, never a bare text line or a multi-line object dump.
 */
export function routeConsoleTo(logger: Logger): void {
  const to =
    (level: pino.Level) =>
    (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const message = format(...args.map((arg) => (arg instanceof Error ? arg.message : arg)));
      if (error) logger[level]({ component: 'console', err: error }, message);
      else logger[level]({ component: 'console' }, message);
    };
  console.log = to('info');
  console.info = to('info');
  console.warn = to('warn');
  console.error = to('error');
  console.debug = to('debug');
  console.trace = to('trace');
}

/**
 * A process's logger (the API's and the worker's main.ts): LOG_LEVEL from the environment; console.*, Node's
 * process warnings (deprecations…) and a crash (an uncaught exception or unhandled rejection, which still ends the
 * process with code 1) all come out as its JSON lines instead of Node's plain text on stderr. A LOG_LEVEL it does
 * not know stops the process with a fatal line saying so.
 */
export function processLogger(base: Record<string, unknown>): Logger {
  let level: LogLevelName;
  try {
    level = logLevelFrom(process.env);
  } catch (error) {
    createLogger({ level: 'info', base }).fatal((error as Error).message);
    process.exit(1);
  }
  const logger = createLogger({ level, base });
  routeConsoleTo(logger);
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ component: 'node', err: warning }, warning.message));
  process.on('uncaughtException', (error, origin) => {
    logger.fatal({ err: error, origin }, `the process stops: ${origin}`);
    process.exit(1);
  });
  return logger;
}
