/** The API client: bearer token from the session, problem+json errors, an Idempotency-Key on every change. */
import type { LoginResponse, Problem as ApiProblem, UnitResponse, UserResponse } from './api-types';
import { problemMessage } from './problem-messages';

export type Unit = UnitResponse;
export type User = UserResponse;

/** What the console keeps of a login (per tab, sessionStorage). */
export type Session = Pick<LoginResponse, 'accessToken' | 'user'>;

/**
 * RFC 9457 problem details as the API answers them (the document's Problem schema), or as the console makes
 * one up when there was no answer (a network error: status 0) or the answer was not a problem document.
 */
export type Problem = Partial<ApiProblem> & { status: number };

/** A refused request; its message is the Chinese one for the problem (problem-messages.ts), `problem` the rest. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problemMessage(problem));
  }
}

const SESSION_KEY = 'county.session';
const API_BASE = '/api/v1';

let session: Session | null = readStoredSession();
const listeners = new Set<() => void>();

function readStoredSession(): Session | null {
  try {
    const stored = sessionStorage.getItem(SESSION_KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return session;
}

/** Kept per browser tab (sessionStorage): closing the tab signs out, a reload does not. */
export function setSession(next: Session | null): void {
  keepSession(next);
  sessionChannel?.postMessage(
    next ? ({ kind: 'share', session: next } satisfies SessionMessage) : { kind: 'signed-out' },
  );
}

function keepSession(next: Session | null): void {
  session = next;
  if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
  else sessionStorage.removeItem(SESSION_KEY);
  for (const listener of listeners) listener();
}

/**
 * A link opened in a new tab (Ctrl-click, 在新标签页中打开) starts with an empty sessionStorage: it asks the console's
 * other tabs of this browser (same origin only) for their session instead of showing the login page, and signing
 * out in one tab signs out all of them. Nothing leaves the browser, and closing the last tab still ends it.
 */
type SessionMessage = { kind: 'ask' } | { kind: 'share'; session: Session } | { kind: 'signed-out' };
const sessionChannel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('county.session') : null;
/** How long a new tab waits for another tab's answer before it shows the login page. */
const ASK_TIMEOUT_MS = 250;

if (sessionChannel) {
  sessionChannel.onmessage = (event: MessageEvent<SessionMessage>) => {
    const message = event.data;
    if (message.kind === 'ask' && session)
      sessionChannel.postMessage({ kind: 'share', session } satisfies SessionMessage);
    else if (message.kind === 'share' && !session) keepSession(message.session);
    else if (message.kind === 'signed-out' && session) keepSession(null);
  };
}

/** Resolves once a new tab knows whether another tab shares a session (at once when it has its own or none can). */
export const sessionSettled: Promise<void> = new Promise((resolve) => {
  if (session || !sessionChannel) return resolve();
  sessionChannel.postMessage({ kind: 'ask' } satisfies SessionMessage);
  const timer = setTimeout(resolve, ASK_TIMEOUT_MS);
  listeners.add(() => {
    clearTimeout(timer);
    resolve();
  });
});

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** randomUUID exists only in secure contexts; a console opened over plain HTTP on a LAN address still needs keys. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function apiRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (session) headers.authorization = `Bearer ${session.accessToken}`;
  // One key per attempt: a network retry of the same attempt would reuse it, a new click makes a new one.
  if (method !== 'GET') headers['idempotency-key'] = newIdempotencyKey();
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { method, headers, body: payload });
  } catch {
    throw new ApiError({ status: 0, title: '网络错误', detail: '无法连接服务器，请检查网络后重试。' });
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.status === 401 && session) {
    // The token expired or was revoked: back to the login page.
    setSession(null);
    throw new ApiError({ status: 401, detail: '登录已过期，请重新登录。' });
  }
  if (!response.ok) {
    const problem = (parsed && typeof parsed === 'object' ? parsed : {}) as Partial<Problem>;
    throw new ApiError({ ...problem, status: response.status, detail: problem.detail ?? text.slice(0, 300) });
  }
  return parsed as T;
}

export const get = <T>(path: string) => apiRequest<T>('GET', path);

/** One page of a paged list (every list route answers so: items plus the cursor of the next page). */
interface Paged {
  items: unknown[];
  nextCursor: string | null;
}

/** The most pages getPages follows by default: 40 × 500 rows is far beyond what one screen should hold. */
const MAX_PAGES = 40;

/**
 * Follows nextCursor through up to `maxPages` pages of a list and merges them: every array field (items, and the
 * inbox's calls) is concatenated, other fields (total, unreadCount) come from the first page; `more` says whether
 * the list goes on (the page then offers 加载更多). The path carries the page size (limit) and filters.
 */
export async function getPages<T extends Paged>(path: string, maxPages = MAX_PAGES): Promise<T & { more: boolean }> {
  const separator = path.includes('?') ? '&' : '?';
  let page = await get<T>(path);
  const merged: Record<string, unknown> = { ...(page as object) };
  for (let loaded = 1; page.nextCursor !== null && loaded < maxPages; loaded += 1) {
    page = await get<T>(`${path}${separator}cursor=${encodeURIComponent(page.nextCursor)}`);
    for (const [key, value] of Object.entries(page as object)) {
      if (Array.isArray(value)) merged[key] = [...(merged[key] as unknown[]), ...value];
    }
  }
  return { ...(merged as T), nextCursor: page.nextCursor, more: page.nextCursor !== null };
}
export const post = <T>(path: string, body: unknown = {}) => apiRequest<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, body);

/**
 * A file from the API (an attachment, an export, a 通报): a plain link cannot carry the bearer token, so the console
 * fetches it. A refusal (403, 413 over an export's row limit…) is a problem document whose Chinese detail is thrown;
 * `refused` words the failure when the answer carries none.
 */
export async function fetchFile(path: string, refused: string): Promise<Response> {
  const token = getSession()?.accessToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError({ status: 0, detail: '无法连接服务器，请检查网络后重试。' });
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError({
      ...problem,
      status: response.status,
      detail: problem.detail ?? `${refused}（HTTP ${response.status}）。`,
    });
  }
  return response;
}

/** Saves a fetched file under `fileName` through a temporary link (the browser's own download). */
export async function saveFile(response: Response, fileName: string): Promise<void> {
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the file once the click is handled; the blob need not outlive it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
