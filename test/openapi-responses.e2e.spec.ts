import { RunningApi, startApi } from './support/api';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

/**
 * The OpenAPI document is the contract (issue 13): every 2xx answer of every operation names its schema
 * (a 204 has no body and needs none). This lists the operations that do not, so the list can be read.
 */
export function operationsWithout2xxSchema(document: { paths: Record<string, Record<string, Operation>> }): string[] {
  const missing: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      const described = success.some(
        ([status, response]) =>
          status === '204' || Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
      );
      if (!described) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return missing.sort();
}

describe('the OpenAPI document', () => {
  let api: RunningApi;
  let document: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    api = await startApi();
    const response = await fetch(`${api.baseUrl.replace(/\/api\/v1$/, '')}/api/docs/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as typeof document;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('gives every 2xx answer of every operation a schema', () => {
    expect(operationsWithout2xxSchema(document)).toEqual([]);
  });

  it('names the allowedActions enums, with the route verbs in button order', () => {
    const values = (name: string) => (document.components.schemas[name] as { enum?: unknown } | undefined)?.enum;
    expect(values('AssignmentAction')).toEqual([
      'acknowledge',
      'progress',
      'submit',
      'requestExtension',
      'approve',
      'return',
      'reassign',
    ]);
    expect(values('TaskAction')).toEqual(['consolidate', 'close', 'return', 'changeDeadline', 'addUnit', 'cancel']);
    expect(values('CallAction')).toEqual(['respond', 'resolve', 'evaluate']);
    expect(values('EscalationAction')).toEqual(['remind', 'reassign', 'extend']);
    expect(values('ExtensionAction')).toEqual(['approve', 'reject']);
  });
});
