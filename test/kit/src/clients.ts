import { request } from './api';
import { queryRows } from './db';
import { waitFor } from './wait';

/** What a client needs: where the API is, and a token for a user (logged in once, on first use). */
export interface ClientContext {
  baseUrl: string;
  login(username: string): Promise<string>;
}

/** The fields most answers carry (a status after an action, a problem code after a refusal). */
export interface Answer {
  status: string;
  code?: string;
}

type Headers = Record<string, string>;

/** `who` acts: one HTTP call as that user (a username: 'finance.staff', 'supervisor', …). */
export function asUser(context: ClientContext) {
  return async <T = Answer>(who: string, method: string, path: string, body?: unknown, headers: Headers = {}) =>
    request<T>(context.baseUrl, method, path, { token: await context.login(who), body, headers });
}

/** /assignments/:id/… */
export function assignmentsClient(context: ClientContext) {
  const call = asUser(context);
  return {
    /** POST /assignments/:id/:action (acknowledge, progress, submit, approve, return, …). */
    act: <T = Answer>(who: string, assignmentId: string, action: string, body: unknown = {}, headers: Headers = {}) =>
      call<T>(who, 'POST', `/assignments/${assignmentId}/${action}`, body, headers),
    get: <T = { assignment: Record<string, unknown> & Answer }>(assignmentId: string, who = 'supervisor') =>
      call<T>(who, 'GET', `/assignments/${assignmentId}`),
    /** The assignment's status as the read model has it. */
    status: async (assignmentId: string, who = 'supervisor') =>
      (await call<{ assignment: Answer }>(who, 'GET', `/assignments/${assignmentId}`)).body.assignment.status,
    /** acknowledge then submit, each expected to succeed. */
    submit: async (who: string, assignmentId: string, report = { summary: '已完成', evidence: [] as string[] }) => {
      for (const [action, body] of [
        ['acknowledge', {}],
        ['submit', report],
      ] as const) {
        const answer = await call(who, 'POST', `/assignments/${assignmentId}/${action}`, body);
        if (answer.status !== 200)
          throw new Error(`${action} of ${assignmentId} as ${who}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    },
  };
}

/** /tasks/:id/… */
export function tasksClient(context: ClientContext) {
  const call = asUser(context);
  return {
    get: <T = Record<string, unknown>>(taskId: string, who = 'supervisor') => call<T>(who, 'GET', `/tasks/${taskId}`),
    /** POST /tasks/:id/:action (consolidate, close, return, deadline, units, cancel). */
    act: <T = Answer>(who: string, taskId: string, action: string, body: unknown = {}, headers: Headers = {}) =>
      call<T>(who, 'POST', `/tasks/${taskId}/${action}`, body, headers),
    changeDeadline: <T = { dueAt: string; deadlineChanges: unknown[]; code?: string }>(
      taskId: string,
      dueAt: Date,
      reason: string,
      who = 'supervisor',
    ) => call<T>(who, 'POST', `/tasks/${taskId}/deadline`, { dueAt: dueAt.toISOString(), reason }),
  };
}

/** A call as GET /calls/:id answers (the fields tests look at). */
export interface CallBody {
  id: string;
  status: string;
  fromUnitId: string;
  toUnitId: string;
  respondBy: string | null;
  resolveBy: string | null;
  rating: string | null;
  autoClosed: boolean;
  reworkCount: number;
  escalationLevel: number;
  light: string;
  flagged: boolean;
  code?: string;
}

/** /calls (乡呼县应). */
export function callsClient(context: ClientContext) {
  const call = asUser(context);
  return {
    raise: (who: string, toUnitId: string, extra: Record<string, unknown> = {}, headers: Headers = {}) =>
      call<CallBody>(
        who,
        'POST',
        '/calls',
        {
          toUnitId,
          subject: `测试呼叫 ${Math.random().toString(36).slice(2, 8)}`,
          description: '需要县级部门协助',
          urgency: 'normal',
          ...extra,
        },
        headers,
      ),
    /** POST /calls/:id/:action (respond, resolve, evaluate). */
    act: (who: string, callId: string, action: string, body: unknown = {}, headers: Headers = {}) =>
      call<CallBody>(who, 'POST', `/calls/${callId}/${action}`, body, headers),
    get: async (callId: string, who = 'supervisor') => (await call<CallBody>(who, 'GET', `/calls/${callId}`)).body,
  };
}

/** The call's stored row, as the projection wrote it. */
export async function callRow(callId: string): Promise<Record<string, unknown>> {
  return (await queryRows<Record<string, unknown>>('SELECT * FROM calls WHERE id = $1', [callId]))[0];
}

export async function waitForCall(
  description: string,
  callId: string,
  predicate: (row: Record<string, unknown>) => boolean,
  timeoutMs = 40_000,
): Promise<Record<string, unknown>> {
  let row: Record<string, unknown> = {};
  await waitFor(
    description,
    async () => {
      row = await callRow(callId);
      return predicate(row);
    },
    timeoutMs,
    200,
  );
  return row;
}

/** /escalations (the supervision office's queue). */
export function escalationsClient(context: ClientContext) {
  const call = asUser(context);
  return {
    list: <T = { items: Array<Record<string, unknown> & { id: string; subjectId: string; level: number }> }>(
      query = '',
      who = 'supervisor',
    ) => call<T>(who, 'GET', `/escalations${query ? `?${query}` : ''}`),
    /** POST /escalations/:id/handle with `{ action, … }` (remind, extend, reassign, close, …). */
    handle: <T = Answer>(who: string, escalationId: string, body: unknown, headers: Headers = {}) =>
      call<T>(who, 'POST', `/escalations/${escalationId}/handle`, body, headers),
  };
}

/** Extension requests: a unit asks, the office decides. */
export function extensionsClient(context: ClientContext) {
  const call = asUser(context);
  return {
    request: <T = Answer & { id: string }>(who: string, assignmentId: string, body: unknown, headers: Headers = {}) =>
      call<T>(who, 'POST', `/assignments/${assignmentId}/extension-requests`, body, headers),
    list: <T = { items: Array<Record<string, unknown> & { id: string; status: string }> }>(
      query = '',
      who = 'supervisor',
    ) => call<T>(who, 'GET', `/extension-requests${query ? `?${query}` : ''}`),
    approve: <T = Answer>(who: string, requestId: string, body: unknown = {}, headers: Headers = {}) =>
      call<T>(who, 'POST', `/extension-requests/${requestId}/approve`, body, headers),
    reject: <T = Answer>(who: string, requestId: string, body: unknown = {}, headers: Headers = {}) =>
      call<T>(who, 'POST', `/extension-requests/${requestId}/reject`, body, headers),
  };
}
