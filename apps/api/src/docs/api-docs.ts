import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ErrorCode } from '@county/domain';
import { REQUIRED_ROLES } from '../auth/roles.decorator';
import { IS_PUBLIC } from '../auth/public.decorator';
import { PROBLEM_CONTENT_TYPE } from '../common/problem';

export const DOCS_PATH = '/api/docs';

const BEARER = 'bearer';
const PROBLEM_SCHEMA = 'Problem';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The one shape of every error answer (common/problem.ts), as a schema every 4xx/5xx response refers to. */
const PROBLEM: SchemaObject = {
  type: 'object',
  description:
    'RFC 9457 problem details: the only error shape the API sends (content type application/problem+json). ' +
    'Some codes carry extra fields (e.g. `line`, and `sheet` for an .xlsx, for INVALID_DOCUMENT; `retryAfterSeconds` for 429/503).',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'about:blank' },
    title: { type: 'string', description: 'The HTTP reason phrase.', example: 'Conflict' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 409 },
    detail: { type: 'string', description: 'What went wrong, for the person who sent the request.' },
    code: { type: 'string', enum: Object.values(ErrorCode), description: 'Stable machine-readable error code.' },
    retryAfterSeconds: { type: 'integer', minimum: 0, description: 'Also sent as the Retry-After header.' },
    errors: {
      type: 'array',
      description:
        'VALIDATION_FAILED: each field that is not valid, with its problems in words and, from the request ' +
        'validation, the names of the rules it broke (`rules`, e.g. isNotEmpty, maxLength) for clients to word.',
      items: {
        type: 'object',
        required: ['field', 'problems'],
        properties: {
          field: { type: 'string', example: 'reason' },
          problems: { type: 'array', items: { type: 'string' } },
          rules: { type: 'array', items: { type: 'string' }, example: ['isNotEmpty'] },
        },
      },
    },
  },
  additionalProperties: true,
};

/** One shared response per error status, in components.responses; operations refer to them. */
const ERROR_RESPONSES: Record<string, { name: string; description: string }> = {
  '400': {
    name: 'BadRequest',
    description: 'VALIDATION_FAILED: a parameter or a body field is missing or not valid, or the URL is malformed.',
  },
  '401': {
    name: 'Unauthorized',
    description: 'UNAUTHENTICATED: no valid access token (INVALID_CREDENTIALS for a failed login).',
  },
  '403': { name: 'Forbidden', description: "FORBIDDEN: the user's roles or unit do not allow this." },
  '404': { name: 'NotFound', description: 'NOT_FOUND: no such item (or none the user may see).' },
  '409': {
    name: 'Conflict',
    description:
      'CONFLICT: the item is not in a state that allows this, or a request with the same Idempotency-Key is still running.',
  },
  '413': { name: 'PayloadTooLarge', description: 'PAYLOAD_TOO_LARGE: the request body is over the limit.' },
  '415': {
    name: 'UnsupportedMediaType',
    description: 'UNSUPPORTED_MEDIA_TYPE: the body is not JSON (or not multipart where a file is uploaded).',
  },
  '422': {
    name: 'UnprocessableContent',
    description:
      'IDEMPOTENCY_KEY_REUSED, CALENDAR_YEAR_NOT_COVERED, INVALID_DOCUMENT, UNRESOLVED_UNITS or MENTION_NOT_PARTICIPANT: well formed, but it cannot be carried out.',
  },
  '429': {
    name: 'TooManyRequests',
    description: 'TOO_MANY_REQUESTS: too many failed logins; wait Retry-After seconds.',
  },
  '503': {
    name: 'ServiceUnavailable',
    description:
      'DEPENDENCY_UNAVAILABLE: PostgreSQL or Temporal did not answer in time; retry (a change with the same Idempotency-Key).',
  },
  default: { name: 'UnexpectedError', description: 'INTERNAL: an unexpected error (500); the detail never says more.' },
};

/** Answers a route sends with a body of its own rather than a problem document (its controller documents them). */
const NOT_PROBLEM: Record<string, string[]> = { HealthController_check: ['503'] };

interface RouteGuards {
  isPublic: boolean;
  hasRoles: boolean;
}

/**
 * The OpenAPI document, built from the controllers and then completed at document level so no controller has
 * to repeat it: every operation's error answers (by what its guards and its shape can refuse) as problem+json,
 * its security (from @Public, not from whether the controller remembered @ApiBearerAuth), the servers, the
 * licence and the tag list. Served at /api/docs/openapi.json; `npm run openapi:lint` lints the same document.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('County task-list workflow engine')
      .setDescription(
        'Task lists, assignments, sign-offs, escalations and 乡呼县应 calls. Errors are application/problem+json.',
      )
      .setVersion('1')
      .addServer('/', 'This server')
      .addBearerAuth(undefined, BEARER)
      .build(),
  );
  // package.json says UNLICENSED: proprietary, so there is no licence text to link to.
  document.info.license = { name: 'UNLICENSED (proprietary)' };
  const guards = routeGuards(app);
  const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` } } };
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, [PROBLEM_SCHEMA]: PROBLEM },
    responses: {
      ...document.components?.responses,
      ...Object.fromEntries(
        Object.values(ERROR_RESPONSES).map(({ name, description }) => [name, { description, content: problemContent }]),
      ),
    },
  };

  for (const schema of Object.values(document.components.schemas ?? {})) tidyReferences(schema, document);

  const tags = new Set<string>();
  for (const pathItem of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const guard = guards.get(operation.operationId ?? '') ?? { isPublic: false, hasRoles: false };
      operation.security = guard.isPublic ? [] : [{ [BEARER]: [] }];
      completeErrorAnswers(operation, method, guard, problemContent);
      for (const tag of operation.tags ?? []) tags.add(tag);
    }
  }
  document.tags = [...tags].sort().map((name) => ({ name, description: `${name} operations` }));
  return document;
}

/** The statuses an operation can answer with a problem, from its guards and its shape (path ids, body). */
function completeErrorAnswers(
  operation: OperationObject,
  method: string,
  guard: RouteGuards,
  problemContent: ResponseObject['content'],
): void {
  const parameters: Array<ParameterObject | ReferenceObject> = operation.parameters ?? [];
  const hasPathId = parameters.some((parameter) => 'in' in parameter && parameter.in === 'path');
  const mutating = method !== 'get';
  // 400 for every route: a URL with malformed percent-encoding is refused before routing (common/request-url.ts).
  const statuses = new Set<string>(['400', '503', 'default']);
  if (operation.requestBody) {
    statuses.add('413');
    statuses.add('415');
  }
  if (guard.isPublic) {
    if (operation.operationId === 'AuthController_login') statuses.add('401').add('429');
  } else {
    statuses.add('401');
    if (guard.hasRoles || hasPathId || operation.requestBody) statuses.add('403');
  }
  if (hasPathId) statuses.add('404');
  // Single sign-on: 404 while it is not configured; the callback refuses a code (401) or a person (403).
  if (operation.operationId === 'OidcController_login') statuses.add('404');
  if (operation.operationId === 'OidcController_callback') statuses.add('401').add('403').add('404');
  // Every change may meet a state that no longer allows it, and carries an Idempotency-Key (409 while the
  // first attempt runs, 422 when the key is reused for another request).
  if (mutating && !guard.isPublic) statuses.add('409').add('422');

  const notProblem = new Set(NOT_PROBLEM[operation.operationId ?? ''] ?? []);
  const responses = operation.responses as Record<string, ResponseObject | ReferenceObject>;
  for (const status of statuses) {
    if (notProblem.has(status)) continue;
    const existing = responses[status];
    // A controller's own description of an error answer is more specific than the shared one: keep it.
    responses[status] =
      existing && 'description' in existing && existing.description
        ? { description: existing.description, content: problemContent }
        : { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  }
}

/**
 * Nest wraps a property that names an enum schema in a one-element `allOf` (so it can carry siblings), and a
 * nullable one gets no `type`, which OpenAPI 3.0 requires next to `nullable`. Without siblings the wrapper
 * becomes the plain $ref; a nullable one takes the referenced schema's type, so `null` stays documented.
 */
function tidyReferences(schema: SchemaObject | ReferenceObject, document: OpenAPIObject): void {
  if ('$ref' in schema) return;
  for (const property of Object.values(schema.properties ?? {})) {
    if ('$ref' in property) continue;
    const [only, ...others] = property.allOf ?? [];
    if (only && '$ref' in only && others.length === 0) {
      const { allOf: _wrapper, ...siblings } = property;
      const keys = Object.keys(siblings);
      if (keys.length === 0) {
        Object.assign(property, only);
        delete property.allOf;
        continue;
      }
      if (property.nullable && property.type === undefined) {
        const target = document.components?.schemas?.[only.$ref.replace('#/components/schemas/', '')];
        if (target && !('$ref' in target) && target.type) property.type = target.type;
      }
    }
    if (property.items) tidyReferences(property.items, document);
    tidyReferences(property, document);
  }
}

/** @Public and @Roles of every route handler, keyed by the operationId Nest gives it (Controller_method). */
function routeGuards(app: INestApplication): Map<string, RouteGuards> {
  const guards = new Map<string, RouteGuards>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller);
        const roles = Reflect.getMetadata(REQUIRED_ROLES, handler) ?? Reflect.getMetadata(REQUIRED_ROLES, controller);
        guards.set(`${controller.name}_${name}`, {
          isPublic: isPublic === true,
          hasRoles: Array.isArray(roles) && roles.length > 0,
        });
      }
    }
  }
  return guards;
}

/** The documents built per application, so the served one can be read back without serving it. */
const DOCUMENTS = new WeakMap<INestApplication, OpenAPIObject>();

export function apiDocumentOf(app: INestApplication): OpenAPIObject {
  const document = DOCUMENTS.get(app);
  if (!document) throw new Error('setUpApiDocs has not run for this application');
  return document;
}

/**
 * OpenAPI document at /api/docs/openapi.json and Swagger UI at /api/docs. The UI files are served from
 * swagger-ui-dist directly (Nest's built-in route needs @fastify/static, whose current release is ESM-only
 * and cannot load under the test runner); the initializer is a file of its own so the CSP can forbid inline scripts.
 */
export function setUpApiDocs(app: NestFastifyApplication): void {
  const document = buildApiDocument(app);
  DOCUMENTS.set(app, document);
  const fastify = app.getHttpAdapter().getInstance();
  const uiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const asset = (file: string, type: string) => {
    const content = readFileSync(path.join(uiDir, file));
    fastify.get(`${DOCS_PATH}/${file}`, (_request, reply) => reply.type(type).send(content));
  };
  asset('swagger-ui.css', 'text/css; charset=utf-8');
  asset('swagger-ui-bundle.js', 'application/javascript; charset=utf-8');

  fastify.get(`${DOCS_PATH}/openapi.json`, (_request, reply) => reply.send(document));
  fastify.get(`${DOCS_PATH}/initializer.js`, (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .send(`window.ui = SwaggerUIBundle({ url: '${DOCS_PATH}/openapi.json', dom_id: '#swagger-ui' });\n`),
  );
  fastify.get(DOCS_PATH, (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>County task-list workflow engine — API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/initializer.js"></script>
</body>
</html>
`),
  );
}
