import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FastifyInstance, FastifyReply, FastifyRequest, LogController } from 'fastify';
import { Observable } from 'rxjs';
import { LogContext, logContext } from '@county/logging';
import type { AuthenticatedRequest } from '../auth/current-user.decorator';

export const REQUEST_ID_HEADER = 'x-request-id';
/** What an incoming id may be: a proxy's or a client's correlation id, never free text that could forge a log line. */
const REQUEST_ID_PATTERN = /^[\w.:@/+=-]{1,128}$/;

/**
 * Fastify's genReqId: the caller's X-Request-Id when it is a plausible id (a reverse proxy or another system
 * correlating its own logs with ours), else a fresh UUID. The id is on every log line of the request and echoed
 * in the answer's X-Request-Id (registerRequestLog), so a user's report of a failure can be found in the logs.
 */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
}

/** Every answer says which request it was (X-Request-Id), also when it is an error or the console's files. */
export function registerRequestIdHeader(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
}

/**
 * Fastify's request lines: one per request when it is answered (none when it arrives) — method, path without the
 * query (a query may hold an OpenID code or search words), status, duration, and the user and unit once the request
 * was authenticated. Headers and bodies are never logged: they carry passwords and tokens. Fastify's other lines (a
 * stream error, a failing serializer) keep their default form.
 */
export class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'requestId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const { user } = request as AuthenticatedRequest;
    const fields = {
      method: request.method,
      url: request.url.split('?')[0],
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime),
      ...(user ? { userId: user.id, unitId: user.unitId } : {}),
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}

/** The request's id, user and unit, for the lines logged while it is handled. */
export function requestLogContext(request: AuthenticatedRequest): LogContext {
  return {
    requestId: request.id,
    ...(request.user ? { userId: request.user.id, unitId: request.user.unitId } : {}),
  };
}

/**
 * Runs the handler (and the interceptors after this one) with the request's log context, so a Nest Logger line
 * written on its behalf — a Temporal call, an export failing — says which request, user and unit it was for.
 * Interceptors run after the guards, so the user is known here.
 */
@Injectable()
export class LogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Nest binds next.handle()'s work to the async context it is called in (AsyncResource.bind).
    return logContext.run(requestLogContext(request), () => next.handle());
  }
}
