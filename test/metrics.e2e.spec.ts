import path from 'node:path';
import parsePrometheusTextFormat, { ParsedFamily, ParsedSample } from 'parse-prometheus-text-format';
import { freePort } from '@county/scripts/dist/free-port';
import { ONE_TASK_LIST_USERS, request, useStack, waitFor } from '@county/test-kit';
import { NodeProcess, runNodeScript } from './support/node-process';

const WORKER_MAIN = path.resolve(__dirname, '../apps/worker/dist/main.js');
const METRICS_TOKEN = 'metrics-e2e-scrape-token-0123456789abcdef';
const APPROVE_ROUTE = '/api/v1/assignments/:id/approve';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Scrape {
  /** The exposition as the parser reads it: families with their types. */
  families: ParsedFamily[];
  /**
   * The same text with each histogram's TYPE line made untyped, so that its `_count` series read as samples with
   * their labels: parse-prometheus-text-format 1.1.1 folds a labelled histogram into one sample and drops its
   * labels, count and sum (flattenMetrics), which would hide the per-route figures this suite is about.
   */
  series: ParsedFamily[];
}

/** One scrape, parsed by a real Prometheus text-format parser (not by this suite's own reading of the lines). */
async function scrape(url: string, token?: string): Promise<Scrape> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  return {
    families: parsePrometheusTextFormat(text),
    series: parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped')),
  };
}

function family(scraped: Scrape, name: string): ParsedFamily {
  const found = scraped.families.find((candidate) => candidate.name === name);
  if (!found)
    throw new Error(`no metric ${name} in the scrape (has ${scraped.families.map((f) => f.name).join(', ')})`);
  return found;
}

const matches = (sample: ParsedSample, labels: Record<string, string>) =>
  Object.entries(labels).every(([name, value]) => sample.labels?.[name] === value);

/** A counter's or gauge's value for the labels (0 when no such series was exported yet). */
function value(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  return family(scraped, name)
    .metrics.filter((sample) => matches(sample, labels))
    .reduce((sum, sample) => sum + Number(sample.value), 0);
}

/** A histogram's observation count (its `_count` series), summed over the series matching the labels. */
function histogramCount(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  expect(family(scraped, name).type).toBe('HISTOGRAM');
  // Each label set's buckets, sum and count come one after another, so every `_count` line opens a family of its own.
  const counts = scraped.series.filter((candidate) => candidate.name === `${name}_count`).flatMap((f) => f.metrics);
  if (counts.length === 0) throw new Error(`no ${name}_count series in the scrape`);
  return counts.filter((sample) => matches(sample, labels)).reduce((sum, sample) => sum + Number(sample.value), 0);
}

/**
 * Issue 20's metrics, scraped from the real API and a real worker process (apps/worker/dist/main.js, its Temporal
 * runtime's exporter included) around a scripted approval: the figures must move by what was done.
 */
describe('Prometheus metrics of the API and the worker', () => {
  const taskQueue = `metrics-${process.pid}-${Date.now()}`;
  const stack = useStack({
    apiEnv: { TEMPORAL_TASK_QUEUE: taskQueue, METRICS_TOKEN },
    users: [...ONE_TASK_LIST_USERS],
  });
  let worker: NodeProcess;
  let workerMetricsUrl: string;
  const apiMetricsUrl = () => `${stack.api.origin}/metrics`;

  beforeAll(async () => {
    const port = await freePort();
    workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
    worker = runNodeScript(WORKER_MAIN, { TEMPORAL_TASK_QUEUE: taskQueue, WORKER_METRICS_PORT: String(port) });
    await waitFor('the worker to poll', async () => worker.output().includes('worker polling'), 60_000, 200);
  }, 90_000);

  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  it('answers 401 without the scrape token (or with a user token), even in local mode once a token is set', async () => {
    const anonymous = await fetch(apiMetricsUrl());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const asUser = await fetch(apiMetricsUrl(), { headers: { authorization: `Bearer ${stack.token('supervisor')}` } });
    expect(asUser.status).toBe(401);
  });

  it('moves the request, latency and Temporal figures by exactly what a scripted approval did', async () => {
    const plan = await stack.importAndStart();
    const finance = plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
    await stack.assignments.submit('finance.staff', finance.id);

    const apiBefore = await scrape(apiMetricsUrl(), METRICS_TOKEN);
    const workerBefore = await scrape(workerMetricsUrl);

    const approved = await stack.assignments.act('approval.head', finance.id, 'approve', { comment: '同意' });
    expect(approved.status).toBe(200);
    await waitFor(
      'the approval projected',
      async () => (await stack.assignments.status(finance.id)) === 'approved',
      10_000,
    );

    const apiAfter = await scrape(apiMetricsUrl(), METRICS_TOKEN);
    const approveLabels = { method: 'POST', route: APPROVE_ROUTE, status: '200' };
    expect(value(apiAfter, 'county_api_http_requests_total', approveLabels)).toBe(
      value(apiBefore, 'county_api_http_requests_total', approveLabels) + 1,
    );
    expect(histogramCount(apiAfter, 'county_api_http_request_duration_seconds', approveLabels)).toBe(
      histogramCount(apiBefore, 'county_api_http_request_duration_seconds', approveLabels) + 1,
    );
    // One update for the approval, none else: the status reads above go to PostgreSQL, not Temporal.
    const update = { operation: 'update', outcome: 'ok' };
    expect(histogramCount(apiAfter, 'county_api_temporal_call_duration_seconds', update)).toBe(
      histogramCount(apiBefore, 'county_api_temporal_call_duration_seconds', update) + 1,
    );
    // Route templates only: no assignment id (or any id) ever becomes a label value.
    const routes = family(apiAfter, 'county_api_http_requests_total').metrics.map((sample) => sample.labels?.route);
    expect(routes).toContain('/api/v1/assignments/:id/submit');
    expect(routes.filter((route) => UUID.test(route ?? ''))).toEqual([]);
    // Node's own figures, under the API's prefix.
    expect(value(apiAfter, 'county_api_process_resident_memory_bytes')).toBeGreaterThan(0);

    // The worker ran the approval's workflow task and its projection activity: the SDK's figures rose.
    const workerAfter = await scrape(workerMetricsUrl);
    expect(value(workerAfter, 'county_worker_sdk_metrics_up')).toBe(1);
    for (const name of ['temporal_workflow_task_execution_latency', 'temporal_activity_execution_latency']) {
      expect(histogramCount(workerAfter, name)).toBeGreaterThan(histogramCount(workerBefore, name));
    }
    for (const name of [
      'temporal_workflow_task_schedule_to_start_latency',
      'temporal_worker_task_slots_available',
      'temporal_sticky_cache_size',
    ]) {
      expect(family(workerAfter, name).metrics.length).toBeGreaterThan(0);
    }
    // The worker's own: failures (none in this run) and the outbox's oldest waiting notification, read on scrape.
    expect(value(workerAfter, 'county_worker_projection_failures_total')).toBe(0);
    expect(family(workerAfter, 'county_worker_delivery_failures_total').type).toBe('COUNTER');
    const oldest = value(workerAfter, 'county_worker_oldest_undelivered_notification_age_seconds');
    expect(Number.isFinite(oldest) && oldest >= 0).toBe(true);
    expect(value(workerAfter, 'county_worker_process_resident_memory_bytes')).toBeGreaterThan(0);
  }, 120_000);

  it('counts a failed login', async () => {
    const labels = { reason: 'invalid_credentials' };
    const before = value(await scrape(apiMetricsUrl(), METRICS_TOKEN), 'county_api_login_failures_total', labels);
    const refused = await request(stack.api.baseUrl, 'POST', '/auth/login', {
      body: { username: 'finance.head', password: 'not-the-password' },
    });
    expect(refused.status).toBe(401);
    const after = value(await scrape(apiMetricsUrl(), METRICS_TOKEN), 'county_api_login_failures_total', labels);
    expect(after).toBe(before + 1);
  });
});
