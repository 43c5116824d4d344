import { checkAgainstSchema, openApiDocument, Schema, useStack } from '@county/test-kit';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/**
 * The OpenAPI document is the contract (issue 13): every 2xx answer of every operation names its schema
 * (a 204 has no body and needs none, nor does a route that only redirects). This lists the operations that do not, so the list can be read.
 */
export function operationsWithout2xxSchema(document: Document): string[] {
  const missing: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      // A route that only redirects (the SSO login: 302 to the identity provider) has no body to describe.
      const redirectsOnly =
        success.length === 0 && Object.keys(operation.responses ?? {}).some((status) => /^30[1237]$/.test(status));
      const described =
        redirectsOnly ||
        success.some(
          ([status, response]) =>
            status === '204' || Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
        );
      if (!described) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return missing.sort();
}

describe('the OpenAPI document', () => {
  const stack = useStack({
    worker: true,
    users: ['supervisor', 'approval.head', 'finance.staff', 'chengguan.staff', 'housing.staff'],
    plan: {},
  });
  let document: Document;

  /** The real answer to GET `path` (as `who`), checked against the document's 200 schema for `template`. */
  const answerProblems = async (who: string, template: string, path: string) => {
    const response = await stack.as(who, 'GET', path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    const schema = document.paths[`/api/v1${template}`]?.get?.responses?.['200']?.content?.['application/json']?.schema;
    expect({ template, documented: schema !== undefined }).toEqual({ template, documented: true });
    return checkAgainstSchema(document, schema!, response.body);
  };

  beforeAll(async () => {
    document = await openApiDocument<Document>(stack.api);
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
      'withdraw',
      'requestExtension',
      'approve',
      'return',
      'reassign',
      'setHandler',
      'urge',
    ]);
    expect(values('TaskAction')).toEqual([
      'consolidate',
      'close',
      'return',
      'changeDeadline',
      'addUnit',
      'removeUnit',
      'edit',
      'cancel',
      'instruct',
    ]);
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
    const { plan } = stack;
    const finance = stack.assignmentOf('finance');
    const asked = await stack.extensions.request('finance.staff', finance.id, {
      requestedDueAt: '2027-07-31T23:59:59+08:00',
      reason: '需等待上级文件下发',
    });
    expect(asked.status).toBe(201);
    const raised = await stack.calls.raise('chengguan.staff', 'housing', {
      subject: '危房鉴定',
      description: '两户危房需鉴定',
    });
    expect(raised.status).toBe(201);
    const callId = raised.body.id;
    // Issue 16: a comment and a 批示, so the thread and the task's pinned 批示 are answered with content.
    const commented = await stack.as('finance.staff', 'POST', `/assignments/${finance.id}/comments`, {
      body: '请审批局确认代办清单',
      mentionedUnitIds: ['approval'],
    });
    expect(commented.status).toBe(201);
    const instructed = await stack.as('leader', 'POST', `/tasks/${plan.tasks[0].id}/instructions`, {
      body: '请倒排工期，按期完成',
    });
    expect(instructed.status).toBe(201);

    const created = (template: string) =>
      document.paths[`/api/v1${template}`].post.responses!['201'].content!['application/json'].schema!;
    const problems = [
      ...checkAgainstSchema(document, created('/assignments/{id}/extension-requests'), asked.body),
      ...checkAgainstSchema(document, created('/calls'), raised.body),
      ...checkAgainstSchema(document, created('/assignments/{id}/comments'), commented.body),
      ...checkAgainstSchema(document, created('/tasks/{id}/instructions'), instructed.body),
      ...(await answerProblems('approval.head', '/assignments/{id}/comments', `/assignments/${finance.id}/comments`)),
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
