import { login, request, RunningApi, startApi } from './support/api';
import { checkAgainstSchema, Schema } from './support/openapi-check';
import { ImportedPlan, importAndStart, ONE_TASK_LIST } from './support/plans';
import { RunningWorker, startWorker } from './support/worker';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/**
 * The OpenAPI document is the contract (issue 13): every 2xx answer of every operation names its schema
 * (a 204 has no body and needs none). This lists the operations that do not, so the list can be read.
 */
export function operationsWithout2xxSchema(document: Document): string[] {
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
  let worker: RunningWorker;
  let api: RunningApi;
  let plan: ImportedPlan;
  let document: Document;
  const tokens: Record<string, string> = {};

  /** The real answer to GET `path` (as `who`), checked against the document's 200 schema for `template`. */
  const answerProblems = async (who: string, template: string, path: string) => {
    const response = await request(api.baseUrl, 'GET', path, { token: tokens[who] });
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    const schema = document.paths[`/api/v1${template}`]?.get?.responses?.['200']?.content?.['application/json']?.schema;
    expect({ template, documented: schema !== undefined }).toEqual({ template, documented: true });
    return checkAgainstSchema(document, schema!, response.body);
  };

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApi({ TEMPORAL_TASK_QUEUE: worker.taskQueue });
    const response = await fetch(`${api.baseUrl.replace(/\/api\/v1$/, '')}/api/docs/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
    for (const username of ['supervisor', 'approval.head', 'finance.staff', 'chengguan.staff', 'housing.staff']) {
      tokens[username] = await login(api.baseUrl, username);
    }
    plan = await importAndStart(api, tokens.supervisor, ONE_TASK_LIST);
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
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
      'setHandler',
    ]);
    expect(values('TaskAction')).toEqual(['consolidate', 'close', 'return', 'changeDeadline', 'addUnit', 'cancel']);
    expect(values('CallAction')).toEqual(['respond', 'resolve', 'evaluate', 'setHandler']);
    expect(values('EscalationAction')).toEqual(['remind', 'reassign', 'extend', 'flag']);
    expect(values('ExtensionAction')).toEqual(['approve', 'reject']);
  });

  it('the checker finds a field the document does not name, a missing one and a wrong enum value', () => {
    const schema: Schema = { $ref: '#/components/schemas/CallInboxItemResponse' };
    const item = {
      kind: 'respond',
      callId: 'c',
      subject: 's',
      urgency: 'normal',
      fromUnitId: 'a',
      toUnitId: 'b',
      status: 'raised',
      light: 'green',
      dueAt: null,
      allowedActions: ['respond'],
      handler: null,
    };
    expect(checkAgainstSchema(document, schema, item)).toEqual([]);
    const { subject: _subject, ...withoutSubject } = item;
    expect(checkAgainstSchema(document, schema, { ...withoutSubject, secret: 1, allowedActions: ['approve'] })).toEqual(
      ['$.subject: missing', '$.allowedActions[0]: "approve" is not in the enum', '$.secret: not in the document'],
    );
  });

  it('describes the real answers exactly: every field documented, every documented required field there', async () => {
    const finance = plan.tasks[0].assignments.find((assignment) => assignment.unitId === 'finance')!;
    const asked = await request(api.baseUrl, 'POST', `/assignments/${finance.id}/extension-requests`, {
      token: tokens['finance.staff'],
      body: { requestedDueAt: '2027-07-31T23:59:59+08:00', reason: '需等待上级文件下发' },
    });
    expect(asked.status).toBe(201);
    const raised = await request(api.baseUrl, 'POST', '/calls', {
      token: tokens['chengguan.staff'],
      body: { toUnitId: 'housing', subject: '危房鉴定', description: '两户危房需鉴定', urgency: 'normal' },
    });
    expect(raised.status).toBe(201);
    const callId = (raised.body as { id: string }).id;

    const created = (template: string) =>
      document.paths[`/api/v1${template}`].post.responses!['201'].content!['application/json'].schema!;
    const problems = [
      ...checkAgainstSchema(document, created('/assignments/{id}/extension-requests'), asked.body),
      ...checkAgainstSchema(document, created('/calls'), raised.body),
      ...(await answerProblems('supervisor', '/tasks', `/tasks?planId=${plan.id}`)),
      ...(await answerProblems('supervisor', '/tasks/{id}', `/tasks/${plan.tasks[0].id}`)),
      ...(await answerProblems('finance.staff', '/assignments/{id}', `/assignments/${finance.id}`)),
      ...(await answerProblems('finance.staff', '/inbox', '/inbox')),
      ...(await answerProblems('housing.staff', '/inbox', '/inbox')),
      ...(await answerProblems('supervisor', '/extension-requests', '/extension-requests')),
      ...(await answerProblems('housing.staff', '/calls', '/calls')),
      ...(await answerProblems('housing.staff', '/calls/{id}', `/calls/${callId}`)),
      ...(await answerProblems('supervisor', '/escalations', '/escalations?open=false')),
      ...(await answerProblems('supervisor', '/dashboard', '/dashboard')),
      ...(await answerProblems('supervisor', '/plans', '/plans')),
      ...(await answerProblems('supervisor', '/plans/{id}', `/plans/${plan.id}`)),
      ...(await answerProblems('supervisor', '/notifications', '/notifications')),
      ...(await answerProblems('supervisor', '/audit', '/audit')),
      ...(await answerProblems('supervisor', '/me', '/me')),
      ...(await answerProblems('finance.staff', '/colleagues', '/colleagues')),
      ...(await answerProblems('finance.staff', '/delegations', '/delegations')),
      ...(await answerProblems('supervisor', '/units', '/units')),
    ];
    expect(problems).toEqual([]);
  });
});
