import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@county/domain';
import { problem, PROBLEM_CONTENT_TYPE } from '../common/problem';
import { ApiConfig } from '../config';
import { ApiMetrics } from './api-metrics';

/** The operators' scrape path: outside /api/v1, so not in the OpenAPI document. */
export const METRICS_PATH = '/metrics';

/** The route label of a request no route matched (a 404 for an unknown path): one value, whatever the URL was. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Counts and times every answer by its route template, and serves /metrics.
 *
 * Who may read it: with METRICS_TOKEN set, only a request carrying `Authorization: Bearer <METRICS_TOKEN>` (a user's
 * access token is not one: metrics are the operators', not the console's). Without it, local mode serves everyone
 * on the listening address, and production answers 404 — metrics there are off until an operator sets a token.
 * With METRICS_PORT the scrape path moves to a listener of its own (same rule) and the API's address answers 404.
 */
export function setUpMetrics(fastify: FastifyInstance, config: ApiConfig, metrics: ApiMetrics): void {
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  const listener = config.metricsListener;
  fastify.get(METRICS_PATH, async (request, reply) => {
    const answer = listener ? DISABLED : await scrape(request.headers.authorization, config, metrics);
    return reply.status(answer.status).headers(answer.headers).send(answer.body);
  });
  if (!listener) return;

  // Opened and closed with the API itself (app.listen / app.close), never in preview mode, which does not listen.
  let server: Server | undefined;
  fastify.addHook('onReady', async () => {
    server = createServer((request, response) => {
      const found = request.method === 'GET' && request.url?.split('?')[0] === METRICS_PATH;
      const answered = found ? scrape(request.headers.authorization, config, metrics) : Promise.resolve(DISABLED);
      void answered
        .catch((): Answer => problemAnswer(500, problem(500, ErrorCode.Internal)))
        .then((answer) => response.writeHead(answer.status, answer.headers).end(answer.body));
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(listener.port, listener.host, () => resolve());
    });
  });
  fastify.addHook('onClose', async () => {
    if (!server) return;
    const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
    server.closeAllConnections();
    await closing;
  });
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const problemAnswer = (status: number, body: object, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  body: JSON.stringify(body),
});

/** As if there were no such route: a production API without a token does not say it has metrics. */
const DISABLED = problemAnswer(404, problem(404, ErrorCode.NotFound));

async function scrape(authorization: string | undefined, config: ApiConfig, metrics: ApiMetrics): Promise<Answer> {
  const refusal = refusalOf(authorization, config);
  if (refusal === 'disabled') return DISABLED;
  if (refusal === 'unauthenticated') {
    return problemAnswer(401, problem(401, ErrorCode.Unauthenticated, '读取监控指标需要监控令牌（METRICS_TOKEN）。'), {
      'www-authenticate': 'Bearer realm="metrics"',
    });
  }
  const { contentType, body } = await metrics.render();
  return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body };
}

type Refusal = 'disabled' | 'unauthenticated';

function refusalOf(authorization: string | undefined, config: ApiConfig): Refusal | undefined {
  if (config.metricsToken === undefined) return config.production ? 'disabled' : undefined;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  return sameSecret(presented, config.metricsToken) ? undefined : 'unauthenticated';
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes before the comparison. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
