import { request, RunningApi } from './api';
import { queryRows } from './db';
import { waitFor } from './wait';

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

/** Call limits in seconds or minutes instead of working days, laid over the default call policy. */
export function callPolicy(seconds: {
  respond: number;
  resolve: number;
  ladder: [number, number, number];
  autoClose: number;
  remind?: number;
}): string {
  const limits = { respondWithin: `PT${seconds.respond}S`, resolveWithin: `PT${seconds.resolve}S` };
  return JSON.stringify({
    normal: limits,
    urgent: limits,
    remindBefore: seconds.remind === undefined ? [] : [`PT${seconds.remind}S`],
    escalateAfter: seconds.ladder.map((after, index) => ({ after: `PT${after}S`, level: index + 1 })),
    autoCloseAfter: `PT${seconds.autoClose}S`,
  });
}

export function callsClient(api: RunningApi, tokens: Record<string, string>) {
  return {
    raise: (who: string, toUnitId: string, extra: Record<string, unknown> = {}) =>
      request<CallBody>(api.baseUrl, 'POST', '/calls', {
        token: tokens[who],
        body: {
          toUnitId,
          subject: `测试呼叫 ${Math.random().toString(36).slice(2, 8)}`,
          description: '需要县级部门协助',
          urgency: 'normal',
          ...extra,
        },
      }),
    act: (who: string, callId: string, action: string, body: unknown = {}) =>
      request<CallBody>(api.baseUrl, 'POST', `/calls/${callId}/${action}`, { token: tokens[who], body }),
    get: async (callId: string) =>
      (await request<CallBody>(api.baseUrl, 'GET', `/calls/${callId}`, { token: tokens.supervisor })).body,
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
