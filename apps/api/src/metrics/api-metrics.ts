import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Every metric the API exports starts so (README "Metrics" lists them). */
export const API_METRIC_PREFIX = 'county_api_';

/** The Temporal calls the API makes (WorkflowGateway), as the `operation` label names them. */
export type TemporalOperation = 'start' | 'update' | 'update_with_start' | 'signal' | 'describe';
/**
 * ok: Temporal answered and the operation took effect; rejected: the workflow answered with a refusal (an update
 * validator's 403/409 — a normal answer, not an outage); error: no answer in time, or Temporal failed.
 */
export type TemporalOutcome = 'ok' | 'rejected' | 'error';
/** invalid_credentials: a wrong name or password (or a disabled account); rate_limited: refused with 429 before looking. */
export type LoginFailureReason = 'invalid_credentials' | 'rate_limited';

/**
 * Requests come back within the update deadline (WORKFLOW_UPDATE_TIMEOUT_MS, 15 s by default), so the top buckets
 * reach past it: a pile-up at the deadline shows as requests that waited for a worker that never answered.
 */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

/**
 * The API's Prometheus metrics, in a registry of its own per application (the tests run several APIs in one
 * process; prom-client's global registry would refuse the second). Served at /metrics (metrics-route.ts).
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly unavailable: Counter<'route'>;
  private readonly temporalCalls: Histogram<'operation' | 'outcome'>;
  private readonly loginFailures: Counter<'reason'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: `${API_METRIC_PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by method, route template (never the raw URL) and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: `${API_METRIC_PREFIX}http_request_duration_seconds`,
      help: 'Time from receiving a request to sending its answer, by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.unavailable = new Counter({
      name: `${API_METRIC_PREFIX}unavailable_responses_total`,
      help: '503 answers (a dependency — PostgreSQL or Temporal — did not answer in time), by route template.',
      labelNames: ['route'],
      registers,
    });
    this.temporalCalls = new Histogram({
      name: `${API_METRIC_PREFIX}temporal_call_duration_seconds`,
      help: 'Temporal client calls (workflow starts, updates, signals), by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.loginFailures = new Counter({
      name: `${API_METRIC_PREFIX}login_failures_total`,
      help: 'Refused password logins, by reason (invalid_credentials, rate_limited).',
      labelNames: ['reason'],
      registers,
    });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: API_METRIC_PREFIX });
  }

  /** `route` is the route's template (/api/v1/assignments/:id/approve), so no id ever becomes a label value. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.requestDuration.observe(labels, seconds);
    if (status === 503) this.unavailable.inc({ route });
  }

  observeTemporalCall(operation: TemporalOperation, outcome: TemporalOutcome, seconds: number): void {
    this.temporalCalls.observe({ operation, outcome }, seconds);
  }

  loginFailed(reason: LoginFailureReason): void {
    this.loginFailures.inc({ reason });
  }

  /** The text exposition format, for a scrape. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
