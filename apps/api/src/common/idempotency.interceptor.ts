import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { catchError, from, map, Observable, of, switchMap, throwError } from 'rxjs';
import { DomainError, ErrorCode } from '@county/domain';
import { IdempotencyRepository, StoredAnswer } from '@county/persistence';
import { AuthenticatedRequest } from '../auth/current-user.decorator';
import { readMultipartForm } from './multipart-form';
import { idempotencyScope } from './request-scope';

const HEADER = 'idempotency-key';
const REPLAYED_HEADER = 'idempotent-replayed';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const ANSWER_HOLDS_SECRET = 'answerHoldsSecret';
/**
 * The answer carries a secret (a one-time password, an access token): it is never stored for replay, so nobody
 * reading the database finds it there. Such a route ignores Idempotency-Key (a retry runs again).
 */
export const AnswerHoldsSecret = () => SetMetadata(ANSWER_HOLDS_SECRET, true);

const STREAMED_UPLOAD = 'streamedUpload';
/**
 * The body is a file streamed to storage as it arrives (佐证材料, up to tens of megabytes): fingerprinting it would
 * mean reading it all into memory first. Such a route ignores Idempotency-Key; a retried upload stores the same bytes
 * once (content-addressed) and answers a new reference, and a reference nothing uses is harmless.
 */
export const StreamedUpload = () => SetMetadata(STREAMED_UPLOAD, true);

/**
 * Honours `Idempotency-Key` on every mutating request: the first answer is stored per user and key, and
 * a repeat (same user, key and request) gets the same bytes back — status, content type and body — with
 * `idempotent-replayed: true`, without running again. The same key for a different request is refused
 * (422, as the IETF Idempotency-Key draft says); a repeat while the first is still running gets 409. A
 * failed request is not stored, so retrying it runs it again.
 *
 * "The same request" is decided on what the request says, not how it was framed: method, route, path
 * parameters, query, and the body parsed — JSON with its keys sorted (key order and white space do not
 * matter), a multipart form as its fields and the sha256 of each file (with its field and file name;
 * the boundary and part order do not matter).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = request.headers[HEADER];
    if (SAFE_METHODS.has(request.method) || key === undefined || !request.user) return next.handle();
    const targets = [context.getHandler(), context.getClass()];
    if (
      this.reflector.getAllAndOverride<boolean>(ANSWER_HOLDS_SECRET, targets) ||
      this.reflector.getAllAndOverride<boolean>(STREAMED_UPLOAD, targets)
    )
      return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1–200 printable ASCII characters.');
    }
    const userId = request.user.id;

    return from(fingerprint(request)).pipe(
      switchMap((requestHash) => from(this.keys.claim(userId, key, requestHash))),
      switchMap((claim) => {
        switch (claim.state) {
          case 'done':
            void reply.header(REPLAYED_HEADER, 'true');
            return of(send(reply, claim.answer));
          case 'in-progress':
            return throwError(() => new DomainError(ErrorCode.Conflict, '同一操作正在处理中，请稍候。'));
          case 'mismatch':
            return throwError(
              () =>
                new DomainError(
                  ErrorCode.IdempotencyKeyReused,
                  '该请求编号（Idempotency-Key）已用于另一项不同的操作；新的操作请使用新的编号。',
                ),
            );
          case 'new':
            // Nest binds the handler to the async context current when handle() is called.
            return idempotencyScope
              .run({ userId, key }, () => next.handle())
              .pipe(
                switchMap((body) => {
                  const answer = serialize(body, reply.statusCode);
                  return from(this.keys.complete(userId, key, answer)).pipe(map(() => send(reply, answer)));
                }),
                catchError((error: unknown) =>
                  from(this.keys.release(userId, key)).pipe(switchMap(() => throwError(() => error))),
                ),
              );
        }
      }),
    );
  }
}

/**
 * The handler's value as the bytes that go out. Serialised here rather than by Fastify, so that what is
 * stored is exactly what the first client received (Fastify would produce the same text: JSON.stringify).
 */
function serialize(body: unknown, status: number): StoredAnswer {
  if (body === undefined) return { status, contentType: null, body: '' };
  if (typeof body === 'string') return { status, contentType: 'text/plain; charset=utf-8', body };
  return { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(body) };
}

/** Sets status and content type and gives Nest the text to send as it is (a string is not re-serialised). */
function send(reply: FastifyReply, answer: StoredAnswer): string | undefined {
  void reply.status(answer.status);
  if (answer.contentType === null) return undefined;
  void reply.header('content-type', answer.contentType);
  return answer.body;
}

/** The sha256 of the request's canonical form (see the class comment). */
async function fingerprint(request: AuthenticatedRequest): Promise<string> {
  const content = request.isMultipart() ? await formContent(request) : { json: (request.body as unknown) ?? null };
  const canonical = canonicalJson({
    method: request.method,
    route: request.routeOptions.url ?? request.url.split('?')[0],
    params: request.params ?? {},
    query: request.query ?? {},
    content,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

async function formContent(request: AuthenticatedRequest): Promise<unknown> {
  const form = await readMultipartForm(request);
  // Sorted by name (stably, so repeated names keep their order): the order of the parts means nothing.
  const byName = <T>(items: T[], name: (item: T) => string) =>
    [...items].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return {
    fields: byName(form.fields, (field) => field.name).map((field) => [field.name, field.value]),
    files: byName(form.files, (file) => file.fieldName).map((file) => [file.fieldName, file.filename, file.sha256]),
  };
}

/**
 * JSON with the keys of every object sorted, so two encodings of the same value give the same text. The
 * recursion is bounded: a JSON body is refused beyond MAX_JSON_DEPTH before it is parsed (json-body.ts),
 * and query parameters and form fields are flat.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson((value as Record<string, unknown>)[name])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
