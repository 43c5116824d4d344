import { createHash } from 'node:crypto';
import path from 'node:path';
import { EXPORT_MAX_ROWS, parseAllowedHosts } from '@county/domain';
import { TASK_QUEUE } from '@county/workflows';

/**
 * Everything the API reads from the environment, validated once at start-up so a misconfigured
 * deployment fails immediately with a message instead of misbehaving later.
 */
export interface ApiConfig {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** Where task and assignment workflows run; the worker must poll the same queue. */
  temporalTaskQueue: string;
  /**
   * HS256 signing key from JWT_SECRET. Undefined in local mode without one: the API then signs with a
   * random key it keeps in `dataDir` (auth/signing-key.ts). Production refuses to start without it.
   */
  jwtSecret?: string;
  /** COUNTY_DATA_DIR: where local state goes (the local signing key; the scripts keep databases there). */
  dataDir: string;
  /** ATTACHMENTS_DIR: where 佐证材料 files are kept (content-addressed); `<dataDir>/attachments` by default. */
  attachmentsDir: string;
  /** Access-token lifetime in seconds. */
  jwtExpiresInSeconds: number;
  /** Password for the demo users; undefined in production, where demo users are never created. */
  demoPassword?: string;
  /** Honour X-Forwarded-For from a reverse proxy when identifying clients (login rate limit). */
  trustProxy: boolean;
  /** Failed logins allowed per account (username), from any address, per minute before answering 429. */
  loginFailuresPerMinute: number;
  /**
   * Failed logins allowed per client address, for any accounts, per minute. Higher than the per-account
   * limit: a county office's staff share one NAT address, and one person's mistakes must not lock out the rest.
   */
  loginFailuresPerAddressPerMinute: number;
  bodyLimitBytes: number;
  /**
   * How long a human action waits for its workflow to answer before the API says 503. With no worker
   * running, Temporal holds an update indefinitely; the caller is better told to retry (with the same
   * Idempotency-Key, which makes the retry join the first attempt instead of acting twice).
   */
  workflowUpdateTimeoutMs: number;
  /**
   * CALL_POLICY: fields laid over the default policy's `call` section for calls raised from now on (each
   * call keeps the policy it was raised with). Calls belong to no plan, so this is where a county sets its
   * own limits, and where tests and demos pass durations in seconds. Checked field by field at start-up.
   */
  callPolicy?: Record<string, unknown>;
  /**
   * ASSESSMENT_POLICY: fields laid over the default policy's `assessment` section (考核 weights and deductions).
   * A score spans plans, so it is set county-wide here, never per plan. Checked field by field at start-up.
   */
  assessmentPolicy?: Record<string, unknown>;
  /**
   * Single sign-on with the county's unified identity platform (统一身份认证), by OpenID Connect. Undefined unless
   * OIDC_ISSUER_URL is set: then the /auth/oidc routes answer 404 and the console shows no SSO button.
   */
  oidc?: OidcConfig;
  /**
   * NOTIFY_ALLOWED_HOSTS: hosts (`host` or `host:port`) a robot or webhook may point at although private or plain
   * http — a county's intranet OA, or a test's receiver. Everything else must be public https (the worker checks
   * the resolved address again when it sends).
   */
  notifyAllowedHosts: string[];
  /**
   * EXPORT_MAX_ROWS: the most rows one .xlsx export may hold (413 over it); EXPORT_MAX_ROWS in @county/domain by
   * default. Lowered by tests to reach the limit without writing 200,000 rows.
   */
  exportMaxRows: number;
  /**
   * METRICS_TOKEN: the bearer token a Prometheus scrape of /metrics must present (compared in constant time).
   * Unset: local mode serves /metrics to anyone who reaches the API, production answers 404 (metrics/metrics-route.ts).
   */
  metricsToken?: string;
  /**
   * METRICS_PORT (and METRICS_HOST, 127.0.0.1 by default): serve /metrics on a listener of its own there instead of
   * on the API's address, e.g. an interface only the monitoring network reaches. The token rule is the same on it.
   */
  metricsListener?: { port: number; host: string };
}

export interface OidcConfig {
  /** OIDC_ISSUER_URL: the provider's issuer; its /.well-known/openid-configuration is read at the first login. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** OIDC_REDIRECT_URL: registered at the provider; the console's /login/oidc page (it calls the API's callback). */
  redirectUrl: string;
  /** OIDC_USERNAME_CLAIM: the ID-token / userinfo claim whose value is a user's username here. */
  usernameClaim: string;
  /** OIDC_SCOPES: asked for at the provider (space-separated; always includes openid). */
  scopes: string;
  /** OIDC_BUTTON_LABEL: the console's SSO button text. */
  buttonLabel: string;
  /**
   * OIDC_AUTO_CREATE_UNIT: when set (a unit id), a person the provider knows but the registry does not is
   * created as staff of that unit at their first login. Unset (the default): such a person is refused.
   */
  autoCreateUnitId?: string;
}

/** Documented default for local mode only (README); refused when NODE_ENV=production. */
export const DEFAULT_DEMO_PASSWORD = 'pingluo-demo-2021';
/**
 * SHA-256 of the local-mode signing key earlier releases published in their source. Anyone can sign tokens
 * with it, so it is refused as JWT_SECRET (a deployment may have copied it); only its hash is kept here.
 */
const PUBLISHED_JWT_SECRET_SHA256 = 'e3ba5045bda763665bbd803e1a6709e8e03a42fdb71e7c9e4e120ede1f70f6af';
const MIN_JWT_SECRET_LENGTH = 32;
/** A scrape token is a secret like the signing key: long enough that guessing it is hopeless. */
const MIN_METRICS_TOKEN_LENGTH = 32;
/** apps/api/src or apps/api/dist → the repository root, where `npm start` keeps `.data` too (scripts/src/paths.ts). */
const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const production = env.NODE_ENV === 'production';
  const problems: string[] = [];

  const databaseUrl = env.DATABASE_URL ?? '';
  if (!databaseUrl) problems.push('DATABASE_URL is required (e.g. postgres://user@127.0.0.1:5432/county)');

  const jwtSecret = env.JWT_SECRET || undefined;
  if (production && jwtSecret === undefined) {
    problems.push(`JWT_SECRET must be set to at least ${MIN_JWT_SECRET_LENGTH} characters when NODE_ENV=production`);
  } else if (jwtSecret !== undefined && jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    problems.push(`JWT_SECRET must be set to at least ${MIN_JWT_SECRET_LENGTH} characters, got ${jwtSecret.length}`);
  } else if (jwtSecret !== undefined && sha256(jwtSecret) === PUBLISHED_JWT_SECRET_SHA256) {
    problems.push('JWT_SECRET is the key published in the source of earlier releases; choose a random one');
  }

  if (production && env.DEMO_PASSWORD) {
    problems.push('DEMO_PASSWORD is refused when NODE_ENV=production: demo users must not exist in production');
  }
  const demoPassword = production ? undefined : (env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD);

  const port = integer(env.PORT, 3000, 'PORT', problems);
  const jwtExpiresInSeconds = integer(env.JWT_EXPIRES_IN_SECONDS, 8 * 3600, 'JWT_EXPIRES_IN_SECONDS', problems);
  const loginFailuresPerMinute = integer(env.LOGIN_FAILURES_PER_MINUTE, 10, 'LOGIN_FAILURES_PER_MINUTE', problems);
  const loginFailuresPerAddressPerMinute = integer(
    env.LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE,
    100,
    'LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE',
    problems,
  );
  if (loginFailuresPerAddressPerMinute < loginFailuresPerMinute) {
    problems.push(
      `LOGIN_FAILURES_PER_ADDRESS_PER_MINUTE (${loginFailuresPerAddressPerMinute}) must be at least ` +
        `LOGIN_FAILURES_PER_MINUTE (${loginFailuresPerMinute}): otherwise one person's mistakes lock out everyone behind the same address`,
    );
  }
  const bodyLimitBytes = integer(env.BODY_LIMIT_BYTES, 1024 * 1024, 'BODY_LIMIT_BYTES', problems);
  const workflowUpdateTimeoutMs = integer(
    env.WORKFLOW_UPDATE_TIMEOUT_MS,
    15_000,
    'WORKFLOW_UPDATE_TIMEOUT_MS',
    problems,
  );

  const exportMaxRows = integer(env.EXPORT_MAX_ROWS, EXPORT_MAX_ROWS, 'EXPORT_MAX_ROWS', problems);

  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < MIN_METRICS_TOKEN_LENGTH) {
    problems.push(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters, got ${metricsToken.length}`);
  }

  const metricsPort = env.METRICS_PORT ? integer(env.METRICS_PORT, 0, 'METRICS_PORT', problems) : undefined;
  if (metricsPort !== undefined && (metricsPort > 65535 || metricsPort === port)) {
    problems.push(`METRICS_PORT must be a port number other than PORT's, got ${metricsPort}`);
  }

  const callPolicy = jsonObject(env.CALL_POLICY, 'CALL_POLICY', problems);
  const assessmentPolicy = jsonObject(env.ASSESSMENT_POLICY, 'ASSESSMENT_POLICY', problems);
  const oidc = oidcConfig(env, production, problems);
  const dataDir = path.resolve(env.COUNTY_DATA_DIR || path.join(REPOSITORY_ROOT, '.data'));

  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n- ${problems.join('\n- ')}`);

  return {
    production,
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalTaskQueue: env.TEMPORAL_TASK_QUEUE || TASK_QUEUE,
    jwtSecret,
    dataDir,
    attachmentsDir: path.resolve(env.ATTACHMENTS_DIR || path.join(dataDir, 'attachments')),
    jwtExpiresInSeconds,
    demoPassword,
    trustProxy: env.TRUST_PROXY === 'true',
    loginFailuresPerMinute,
    loginFailuresPerAddressPerMinute,
    bodyLimitBytes,
    workflowUpdateTimeoutMs,
    callPolicy,
    assessmentPolicy,
    oidc,
    notifyAllowedHosts: parseAllowedHosts(env.NOTIFY_ALLOWED_HOSTS),
    exportMaxRows,
    metricsToken,
    metricsListener: metricsPort ? { port: metricsPort, host: env.METRICS_HOST || '127.0.0.1' } : undefined,
  };
}

const OIDC_REQUIRED = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const;

function oidcConfig(env: NodeJS.ProcessEnv, production: boolean, problems: string[]): OidcConfig | undefined {
  const given = OIDC_REQUIRED.filter((name) => env[name]);
  if (given.length === 0) return undefined;
  const missing = OIDC_REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) {
    problems.push(`single sign-on needs ${OIDC_REQUIRED.join(', ')}; missing: ${missing.join(', ')}`);
    return undefined;
  }
  for (const name of ['OIDC_ISSUER_URL', 'OIDC_REDIRECT_URL'] as const) {
    let url: URL | undefined;
    try {
      url = new URL(env[name]!);
    } catch {
      problems.push(`${name} must be an absolute URL, got ${JSON.stringify(env[name])}`);
      continue;
    }
    // Codes and tokens travel on these URLs: plain HTTP is for a provider on the same machine in tests only.
    if (production && url.protocol !== 'https:') problems.push(`${name} must be https when NODE_ENV=production`);
  }
  if (env.OIDC_AUTO_CREATE === 'true' && !env.OIDC_AUTO_CREATE_UNIT) {
    problems.push('OIDC_AUTO_CREATE=true needs OIDC_AUTO_CREATE_UNIT (the unit id new users join)');
  }
  const scopes = new Set(['openid', ...(env.OIDC_SCOPES ?? 'openid profile').split(/\s+/).filter(Boolean)]);
  return {
    issuerUrl: env.OIDC_ISSUER_URL!,
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET!,
    redirectUrl: env.OIDC_REDIRECT_URL!,
    usernameClaim: env.OIDC_USERNAME_CLAIM || 'preferred_username',
    scopes: [...scopes].join(' '),
    buttonLabel: env.OIDC_BUTTON_LABEL || '统一身份认证登录',
    autoCreateUnitId: env.OIDC_AUTO_CREATE === 'true' ? env.OIDC_AUTO_CREATE_UNIT : undefined,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function jsonObject(raw: string | undefined, name: string, problems: string[]): Record<string, unknown> | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  problems.push(`${name} must be a JSON object, got ${JSON.stringify(raw.slice(0, 80))}`);
  return undefined;
}

function integer(raw: string | undefined, fallback: number, name: string, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    problems.push(`${name} must be a positive integer, got "${raw}"`);
    return fallback;
  }
  return value;
}
