import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createApiDocument } from '@county/api';
import { API_TYPES_FILE, lintApiDocument } from '../scripts/src/openapi';

const ROOT = path.resolve(__dirname, '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Reference {
  $ref: string;
}
interface Response {
  description: string;
  content?: Record<string, { schema?: Reference }>;
}
interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, Response | Reference>;
}
interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { responses: Record<string, Response>; schemas: Record<string, { required?: string[] }> };
}

/** The document as /api/docs/openapi.json serves it (built in preview mode: no database, no Temporal). */
let document: Document;

function operations(): Array<[string, Operation]> {
  return Object.entries(document.paths).flatMap(([route, item]) =>
    METHODS.flatMap((method) => (item[method] ? [[`${method.toUpperCase()} ${route}`, item[method]]] : [])),
  ) as Array<[string, Operation]>;
}

function resolve(response: Response | Reference): Response {
  if (!('$ref' in response)) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  return document.components.responses[name];
}

beforeAll(async () => {
  document = (await createApiDocument()) as unknown as Document;
});

describe('the OpenAPI document (the contract)', () => {
  it('passes redocly lint with the recommended rules (redocly.yaml): 0 errors', () => {
    const result = lintApiDocument(document);
    if (result.errors > 0) console.error(result.output);
    expect(result.errors).toBe(0);
  });

  it('documents the error answers of every operation as application/problem+json with the Problem schema', () => {
    expect(document.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    const undocumented: string[] = [];
    for (const [name, operation] of operations()) {
      const errors = Object.keys(operation.responses).filter((status) => status === 'default' || Number(status) >= 400);
      // Every operation can fail: at least a 400 (malformed URL), a 503 (a dependency down) and a default (500).
      expect({ name, has: ['400', '503', 'default'].every((status) => errors.includes(status)) }).toEqual({
        name,
        has: true,
      });
      for (const status of errors) {
        // /health answers 503 with its own report (which dependency is down), not with a problem.
        if (name === 'GET /api/v1/health' && status === '503') continue;
        const schema = resolve(operation.responses[status]).content?.['application/problem+json']?.schema;
        if (schema?.$ref !== '#/components/schemas/Problem') undocumented.push(`${name} ${status}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('takes security from @Public(): login, the SSO routes and health need no token, every other operation a bearer token', () => {
    const open = operations()
      .filter(([, operation]) => operation.security?.length === 0)
      .map(([name]) => name);
    expect(open.sort()).toEqual([
      // Single sign-on: the login page asks how one can log in, and the provider's answer comes back without a token.
      'GET /api/v1/auth/oidc/callback',
      'GET /api/v1/auth/oidc/login',
      'GET /api/v1/auth/options',
      'GET /api/v1/health',
      'POST /api/v1/auth/login',
    ]);
    for (const [name, operation] of operations()) {
      if (open.includes(name)) continue;
      expect({ name, security: operation.security }).toEqual({ name, security: [{ bearer: [] }] });
      expect({ name, has401: '401' in operation.responses }).toEqual({ name, has401: true });
    }
  });

  it('gives the console the types the document generates (drift check; `npm run openapi:types` regenerates)', () => {
    // A child process: openapi-typescript and prettier load ES modules, which Jest's module system cannot.
    const generated = spawnSync(
      process.execPath,
      [path.join(ROOT, 'scripts/dist/openapi-cli.js'), 'types', '--stdout'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(generated.stderr).toBe('');
    expect(generated.status).toBe(0);
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    // Compared as lines so a failure shows where they differ.
    expect(committed.split('\n')).toEqual(generated.stdout.split('\n'));
  });
});
