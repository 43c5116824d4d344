import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { catchError, from, Observable, of, switchMap, throwError } from 'rxjs';
import { DomainError, ErrorCode } from '@county/domain';
import { IdempotencyRepository } from '@county/persistence';
import { AuthenticatedRequest } from '../auth/current-user.decorator';
import { idempotencyScope } from './request-scope';

const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/**
 * Honours `Idempotency-Key` on every mutating request: the first answer is stored per user and key, and
 * a repeat (same user, key, method, path and body) gets it back without running again. The same key for
 * a different request is refused (400); a repeat while the first is still running gets 409. A failed
 * request is not stored, so retrying it runs it again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly keys: IdempotencyRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = request.headers[HEADER];
    if (request.method === 'GET' || key === undefined || !request.user) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1–200 printable ASCII characters.');
    }
    const userId = request.user.id;
    const requestHash = hashRequest(request);

    return from(this.keys.claim(userId, key, requestHash)).pipe(
      switchMap((claim) => {
        switch (claim.state) {
          case 'done':
            void reply.status(claim.status).header('idempotent-replayed', 'true');
            return of(claim.response);
          case 'in-progress':
            return throwError(
              () =>
                new DomainError(ErrorCode.Conflict, 'A request with this Idempotency-Key is still being processed.'),
            );
          case 'mismatch':
            return throwError(
              () =>
                new DomainError(ErrorCode.ValidationFailed, 'This Idempotency-Key was used for a different request.'),
            );
          case 'new':
            // Nest binds the handler to the async context current when handle() is called.
            return idempotencyScope
              .run({ userId, key }, () => next.handle())
              .pipe(
                switchMap((body) =>
                  from(this.keys.complete(userId, key, reply.statusCode, body)).pipe(switchMap(() => of(body))),
                ),
                catchError((error: unknown) =>
                  from(this.keys.release(userId, key)).pipe(switchMap(() => throwError(() => error))),
                ),
              );
        }
      }),
    );
  }
}

function hashRequest(request: AuthenticatedRequest): string {
  // Multipart bodies are streamed to the handler and not available here: their type and length stand in.
  const body = request.isMultipart?.()
    ? `${request.headers['content-type']}:${request.headers['content-length']}`
    : JSON.stringify(request.body ?? null);
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}
