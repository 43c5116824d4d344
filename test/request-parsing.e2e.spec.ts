import { request, useStack } from '@county/test-kit';

/**
 * Nothing a client sends in a query string or a JSON body makes the API answer 500 or quietly read it as
 * something else. The parameter table is generated from the OpenAPI document, so a new route or
 * parameter is probed without anyone remembering to add it.
 */

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema?: { type?: string; enum?: string[]; minimum?: number; maximum?: number; example?: unknown };
}
interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: OpenApiParameter[]; requestBody?: { content: Record<string, unknown> } }>
  >;
}

type Kind = 'integer' | 'enum' | 'boolean';

const kindOf = (parameter: OpenApiParameter): Kind | undefined => {
  const schema = parameter.schema ?? {};
  if (schema.enum) return 'enum';
  if (schema.type === 'integer' || schema.type === 'number') return 'integer';
  if (schema.type === 'boolean') return 'boolean';
  return undefined;
};

/** What no parameter of the kind accepts. `[value, value]` sends the parameter twice. */
function badValues(kind: Kind, parameter: OpenApiParameter): Array<string | [string, string]> {
  switch (kind) {
    case 'integer': {
      const { minimum, maximum } = parameter.schema!;
      return [
        'abc',
        '-1',
        '9223372036854775807',
        '1.5',
        '1e3',
        '',
        String(minimum! - 1),
        String(maximum! + 1),
        [String(minimum), String(minimum)],
      ];
    }
    case 'enum':
      return ['bogus', '', parameter.schema!.enum![0].toUpperCase(), [parameter.schema!.enum![0], 'bogus']];
    case 'boolean':
      return ['maybe', '1', '', ['true', 'true']];
  }
}

/** What each parameter of the kind must accept (answered below 500 and not 400). */
function goodValues(kind: Kind, parameter: OpenApiParameter): string[] {
  switch (kind) {
    case 'integer':
      return [String(parameter.schema!.minimum), String(parameter.schema!.maximum)];
    case 'enum':
      return parameter.schema!.enum!;
    case 'boolean':
      return ['true', 'false'];
  }
}

describe('request parsing', () => {
  const stack = useStack();
  let openApi: OpenApiDocument;
  const token = (username: string) => stack.login(username);
  /** Users allowed past each route's role guard, so validation is what answers. */
  const userFor = (path: string) =>
    ['/calendar/years', '/users', '/deliveries', '/channel-endpoints'].some((prefix) => path.startsWith(prefix))
      ? 'admin'
      : 'supervisor';

  beforeAll(async () => {
    openApi = (await (await fetch(`${stack.api.origin}/api/docs/openapi.json`)).json()) as OpenApiDocument;
  });

  const operations = () =>
    Object.entries(openApi.paths).flatMap(([fullPath, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: fullPath.replace('/api/v1', ''),
        operation,
      })),
    );

  /** Sends `parameter=value` on top of the route's required query parameters (taken from their examples). */
  const query = (parameters: OpenApiParameter[], name: string, value: string | [string, string]) => {
    const search = new URLSearchParams();
    for (const required of parameters.filter((p) => p.in === 'query' && p.required && p.name !== name)) {
      search.append(required.name, String(required.schema?.example));
    }
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
    return search.toString();
  };

  /** Mutating routes that take query parameters, and the suite that probes them with a real body. */
  const MUTATING_WITH_QUERY: Record<string, string> = {
    'POST /users/import': 'test/staff-import.e2e.spec.ts and the attack suite (dryRun, partial)',
  };

  it('refuses every malformed, out-of-range or unknown query parameter value with 400 naming it; accepts the valid ones', async () => {
    const probed: string[] = [];
    const failures: string[] = [];
    for (const { method, path, operation } of operations()) {
      const parameters = operation.parameters ?? [];
      for (const parameter of parameters.filter((p) => p.in === 'query')) {
        const kind = kindOf(parameter);
        if (!kind) continue;
        // A mutating route with query parameters needs its body too: those are probed by their own suites.
        if (method !== 'GET') {
          expect(`${method} ${path}`).toBe(
            MUTATING_WITH_QUERY[`${method} ${path}`] ? `${method} ${path}` : 'a GET route',
          );
          continue;
        }
        probed.push(`${path} ${parameter.name} (${kind})`);
        const auth = { token: await token(userFor(path)) };

        for (const value of badValues(kind, parameter)) {
          const response = await request(
            stack.baseUrl,
            method,
            `${path}?${query(parameters, parameter.name, value)}`,
            auth,
          );
          const ok =
            response.status === 400 &&
            /^application\/problem\+json/.test(response.headers.get('content-type') ?? '') &&
            response.body?.code === 'VALIDATION_FAILED' &&
            String(response.body?.detail).includes(parameter.name);
          if (!ok)
            failures.push(
              `${path}?${parameter.name}=${JSON.stringify(value)}: ${response.status} ${String(response.body?.detail)}`,
            );
        }
        for (const value of goodValues(kind, parameter)) {
          const response = await request(
            stack.baseUrl,
            method,
            `${path}?${query(parameters, parameter.name, value)}`,
            auth,
          );
          // 422 is a domain answer (n working days reaching a year without a holiday notice), not a parse failure.
          if (response.status === 400 || response.status >= 500) {
            failures.push(
              `${path}?${parameter.name}=${value} (valid): ${response.status} ${String(response.body?.detail)}`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // The table really came from the document: the parameters the issue named are in it.
    expect(probed).toEqual(
      expect.arrayContaining([
        '/audit afterSeq (integer)',
        '/audit limit (integer)',
        '/tasks status (enum)',
        '/tasks light (enum)',
        '/escalations open (boolean)',
        '/notifications unread (boolean)',
        '/calls status (enum)',
        '/extension-requests status (enum)',
        '/calendar/workdays n (integer)',
      ]),
    );
  }, 60_000);

  it('documents the allowed values of every enum query parameter and the range of every integer one', () => {
    const undocumented = operations().flatMap(({ path, operation }) =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .filter((parameter) =>
          kindOf(parameter) === 'integer'
            ? parameter.schema?.type !== 'integer' ||
              parameter.schema.minimum === undefined ||
              parameter.schema.maximum === undefined ||
              parameter.schema.maximum > Number.MAX_SAFE_INTEGER
            : /status|light|open|unread/i.test(parameter.name) && !kindOf(parameter),
        )
        .map((parameter) => `${path} ${parameter.name} ${JSON.stringify(parameter.schema)}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('refuses a numeric path parameter out of range with 400, never 500', async () => {
    /** A valid body for each such route, so that only the path parameter can be what is refused. */
    const VALID_BODY: Record<string, unknown> = { 'PUT /calendar/years/{year}': { notice: '国办发明电〔2099〕1号' } };
    const failures: string[] = [];
    let probed = 0;
    for (const { method, path, operation } of operations()) {
      for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'path' && kindOf(p) === 'integer')) {
        const key = `${method} ${path}`;
        if (method !== 'GET') expect({ route: key, hasBody: key in VALID_BODY }).toEqual({ route: key, hasBody: true });
        for (const value of ['abc', '-1', '9223372036854775807', '1.5']) {
          probed += 1;
          const response = await request(stack.baseUrl, method, path.replace(`{${parameter.name}}`, value), {
            token: await token(userFor(path)),
            body: VALID_BODY[key],
          });
          if (response.status !== 400)
            failures.push(`${method} ${path} ${parameter.name}=${value}: ${response.status}`);
        }
      }
    }
    expect(probed).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  describe('JSON nested deeper than 32 levels', () => {
    const deepArrays = `{"username":${'['.repeat(10_000)}${']'.repeat(10_000)},"password":"x"}`;
    const deepObjects = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const expectTooDeep = (response: { status: number; headers: Headers; body: Record<string, unknown> }) => {
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        detail: 'The JSON body is nested more than 32 levels deep.',
      });
    };

    it.each([
      ['arrays', deepArrays],
      ['objects', deepObjects],
    ])('is refused with 400 on the unauthenticated login (%s, 10,000 deep)', async (_shape, body) => {
      expectTooDeep(await request(stack.baseUrl, 'POST', '/auth/login', { body }));
    });

    it('is refused with 400 on every route that takes a JSON body, signed in', async () => {
      const jsonRoutes = operations().filter(({ operation }) => operation.requestBody?.content['application/json']);
      expect(jsonRoutes.length).toBeGreaterThan(20);
      const outcomes: string[] = [];
      for (const route of jsonRoutes) {
        const path = route.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const response = await request(stack.baseUrl, route.method, path, {
          token: await token('supervisor'),
          body: deepObjects,
        });
        outcomes.push(`${route.method} ${route.path}: ${response.status} ${String(response.body?.detail)}`);
      }
      expect(outcomes).toEqual(
        jsonRoutes.map(
          (route) => `${route.method} ${route.path}: 400 The JSON body is nested more than 32 levels deep.`,
        ),
      );
    });

    it('counts only real nesting: 32 levels are parsed, and brackets inside strings do not count', async () => {
      const atTheLimit = await request(stack.baseUrl, 'POST', '/auth/login', {
        body: `{"username":${'['.repeat(31)}${']'.repeat(31)},"password":"x"}`,
      });
      expect(atTheLimit.status).toBe(400);
      expect(atTheLimit.body.detail).toContain('username must be a string');

      const bracketsInAString = await request(stack.baseUrl, 'POST', '/auth/login', {
        body: { username: `auth-test-nobody-${process.pid}`, password: `${'['.repeat(100)}${'{'.repeat(100)}` },
      });
      expect(bracketsInAString.status).toBe(401);
    });
  });
});
