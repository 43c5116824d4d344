import { DomainError, ErrorCode } from './errors';

/** What a search can find (GET /search?kind=): a task's text, a unit's report on its part, a 乡呼县应 call. */
export enum SearchKind {
  Task = 'task',
  Report = 'report',
  Call = 'call',
}
export const SEARCH_KINDS: readonly SearchKind[] = Object.values(SearchKind);

/** The field a hit matched in, so the console can say where the words were found. */
export type SearchField = 'title' | 'measures' | 'goals' | 'note' | 'subject' | 'description' | 'resolution';

/** A search string, counted in characters (code points: a Chinese character is one), after trimming. */
export const SEARCH_QUERY_LIMITS = { min: 1, max: 100 } as const;

/**
 * The search string as it is matched: trimmed, 1–100 characters, no control characters (the indexed text joins a
 * record's fields with line breaks, so a query holding one could match across two fields). Anything else is a
 * 400 that says what is wrong, before any query runs.
 */
export function searchQueryOf(raw: unknown): string {
  if (typeof raw !== 'string') throw invalid('请输入要搜索的关键词（q）。');
  const q = raw.trim();
  const length = [...q].length;
  if (length < SEARCH_QUERY_LIMITS.min) throw invalid('关键词（q）不能为空或只有空格。');
  if (length > SEARCH_QUERY_LIMITS.max) {
    throw invalid(`关键词（q）最多 ${SEARCH_QUERY_LIMITS.max} 个字，现在是 ${length} 个字。`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(q)) throw invalid('关键词（q）不能包含换行或控制字符。');
  return q;
}

/** `q` as a literal inside an ILIKE pattern: `%`, `_` and the escape character itself lose their meaning. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * Whether case matters for `q`: only when it holds letters with an upper and a lower case. Chinese has none, and
 * then LIKE finds exactly what ILIKE finds — several times faster on a scan, which is what a one- or
 * two-character fragment needs (trigram indexes serve both operators from three characters on).
 */
export function hasLetterCase(q: string): boolean {
  return q.toLowerCase() !== q.toUpperCase();
}

/** Case-insensitive position of `q` in `text` (as ILIKE matches it, for the letters a search string holds). */
export function matchIndex(text: string, q: string): number {
  return text.toLowerCase().indexOf(q.toLowerCase());
}

/** The first of `fields` (in order) whose text holds `q`, or null. */
export function firstMatch<F extends string>(
  fields: ReadonlyArray<readonly [F, string | null | undefined]>,
  q: string,
): { field: F; text: string; index: number } | null {
  for (const [field, text] of fields) {
    if (!text) continue;
    const index = matchIndex(text, q);
    if (index >= 0) return { field, text, index };
  }
  return null;
}

/** How many characters a snippet shows on each side of the match. */
export const SNIPPET_RADIUS = 20;

/**
 * A short excerpt around the match (on one line, with … where the text was cut), counted in characters so a
 * Chinese character is never split.
 */
export function snippetAround(text: string, q: string, radius: number = SNIPPET_RADIUS): string {
  const characters = [...text.replace(/\s+/g, ' ')];
  const flat = characters.join('');
  const at = matchIndex(flat, q);
  if (at < 0) return characters.slice(0, radius * 2).join('') + (characters.length > radius * 2 ? '…' : '');
  // indexOf counts UTF-16 units; convert to a character index.
  const start = [...flat.slice(0, at)].length;
  const end = start + [...q].length;
  const from = Math.max(0, start - radius);
  const to = Math.min(characters.length, end + radius);
  return `${from > 0 ? '…' : ''}${characters.slice(from, to).join('')}${to < characters.length ? '…' : ''}`;
}

/** 已办: what the signed-in user did (me) or what anyone of the user's unit did (unit). */
export enum DoneScope {
  Me = 'me',
  Unit = 'unit',
}
export const DONE_SCOPES: readonly DoneScope[] = Object.values(DoneScope);

/**
 * The audit subjects whose events a person's own action records (签收, 报告, 提交, 审核, 汇总, 销号, 应答, 办结, 评价,
 * 申请延期…). An event with an actor on one of them is something that person did; events without an actor are the
 * machine's (reminders, escalations, limits) and never part of anyone's 已办.
 */
export const DONE_SUBJECT_TYPES = ['task', 'assignment', 'call'] as const;

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message);
}

/**
 * A due-date range given as calendar days, as instants: from the start of `from` to the end of `to` in China time
 * (a deadline day ends at 23:59:59 Asia/Shanghai, DESIGN §5). A range that ends before it starts is refused.
 */
export function chinaDayRange(from?: string, to?: string): { from?: string; to?: string } {
  if (from && to && from > to) throw invalid(`日期范围无效：开始日期 ${from} 晚于结束日期 ${to}。`);
  return {
    ...(from ? { from: new Date(`${from}T00:00:00+08:00`).toISOString() } : {}),
    ...(to ? { to: new Date(`${to}T23:59:59.999+08:00`).toISOString() } : {}),
  };
}
