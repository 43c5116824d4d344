import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

  fastify.get(METRICS_PATH, async (request, reply) => {
    const refusal = refusalOf(request, config);
    if (refusal) return sendRefusal(reply, refusal);
    const { contentType, body } = await metrics.render();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}

type Refusal = 'disabled' | 'unauthenticated';

function refusalOf(request: FastifyRequest, config: ApiConfig): Refusal | undefined {
  if (config.metricsToken === undefined) return config.production ? 'disabled' : undefined;
  const header = request.headers.authorization ?? '';
  const presented = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
  return sameSecret(presented, config.metricsToken) ? undefined : 'unauthenticated';
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes before the comparison. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function sendRefusal(reply: FastifyReply, refusal: Refusal) {
  if (refusal === 'disabled') {
    // As if there were no such route: a production API without a token does not say it has metrics.
    return reply.status(404).type(PROBLEM_CONTENT_TYPE).send(problem(404, ErrorCode.NotFound));
  }
  return reply
    .status(401)
    .header('www-authenticate', 'Bearer realm="metrics"')
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem(401, ErrorCode.Unauthenticated, '读取监控指标需要监控令牌（METRICS_TOKEN）。'));
}
