import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '@county/domain';
import { logContext } from '@county/logging';
import type { AuthenticatedRequest } from '../auth/current-user.decorator';
import { sqlState } from '@county/persistence';
import { isDependencyDown } from './dependency-down';
import { codeForStatus, problem, Problem, problemFromDomainError, PROBLEM_CONTENT_TYPE } from './problem';
import { requestLogContext } from './request-log';

/**
 * The one place where errors become HTTP answers. Expected failures (DomainError, framework 4xx) keep
 * their detail; anything else is a bug and is answered with a generic 500 — the stack trace goes to
 * the log, never to the client.
 */
const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // A filter runs outside the handler's log context: a logged failure still names its request and user.
    const request = host.switchToHttp().getRequest<AuthenticatedRequest>();
    sendProblem(
      reply,
      logContext.run(requestLogContext(request), () => toProblem(exception, this.logger)),
    );
  }
}

function sendProblem(reply: FastifyReply, body: Problem): void {
  if (typeof body.retryAfterSeconds === 'number') void reply.header('retry-after', String(body.retryAfterSeconds));
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
}

function toProblem(exception: unknown, logger: Logger): Problem {
  if (exception instanceof DomainError) return problemFromDomainError(exception);

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status >= 500) logger.error(exception.message, exception.stack);
    return problem(status, codeForStatus(status), status >= 500 ? undefined : httpExceptionDetail(exception));
  }

  // Fastify rejects some requests before the handler runs (body too large, bad JSON, wrong content type);
  // Nest routes those errors here too.
  const frameworkStatus = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof frameworkStatus === 'number' && frameworkStatus >= 400 && frameworkStatus < 500) {
    return problem(frameworkStatus, codeForStatus(frameworkStatus), (exception as Error).message);
  }

  // Data PostgreSQL refuses (class 22: bad encoding, out of range…). The global input checks should stop it
  // before any query runs; if one slips through it is still the request's fault, not a server error.
  if (sqlState(exception)?.startsWith('22')) {
    logger.warn(`data refused by PostgreSQL: ${exception instanceof Error ? exception.message : String(exception)}`);
    return problem(400, ErrorCode.ValidationFailed, '提交的内容中有无法保存的值。');
  }

  // The database is unreachable: not a bug, and the same request may work in a moment.
  if (isDependencyDown(exception)) {
    logger.warn(`dependency unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
    return problem(503, ErrorCode.DependencyUnavailable, '数据库暂时没有响应，请稍后再试。', {
      retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
    });
  }

  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return problem(500, ErrorCode.Internal);
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
