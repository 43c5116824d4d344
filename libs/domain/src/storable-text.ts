/**
 * What text the system can store. PostgreSQL refuses U+0000 in `text` and `jsonb`, and a lone UTF-16
 * surrogate cannot be encoded as UTF-8 at all: a workflow that accepted either would fail to project its
 * change for ever. So every request is checked with these rules before anything is accepted — by the API
 * (globally, for every string of every body, query and form) and again by every workflow update validator.
 */

/**
 * The longest text each kind of field takes, in characters. The API documents these in its OpenAPI
 * document (`maxLength`), and the workflow validators refuse anything longer, so a forged update cannot
 * carry more than the API would have accepted.
 */
export const TEXT_LIMITS = {
  /** A 签收 note, an approval or decision comment, a call response note, an evaluation comment. */
  note: 2000,
  /** A reason given for a change (deadline, 退回, 加签, 转办, cancel, extension, escalation handling). */
  reason: 2000,
  /** A progress report's note. */
  progressNote: 5000,
  /** A completion report, a consolidated report, a call's resolution or description. */
  report: 10000,
  /** A comment in a task's, an assignment's or a call's thread, or a leader's 批示. */
  comment: 5000,
  /** One entry of a report's 佐证材料 list. */
  evidenceItem: 500,
  /** A call's subject. */
  subject: 200,
  /** A unit id (stable ASCII code). */
  unitId: 40,
  /** A unit's name, full name or alias. */
  unitName: 200,
  /** A search or filter value. */
  filter: 200,
  /** The name of a holiday or make-up workday in the working-day calendar. */
  holidayName: 200,
  /** The State Council notice a calendar year comes from. */
  notice: 500,
  /** A task's title (主要任务), as the plan import allows it. */
  taskTitle: 500,
  /** One numbered measure (推进措施) or goal (预期目标) of a task. */
  taskItem: 2000,
} as const;

export type TextKind = keyof typeof TEXT_LIMITS;

/** How many 佐证材料 entries one report may list. */
export const MAX_EVIDENCE_ITEMS = 20;

/** How many measures or goals an edited task may list (real lists have a handful). */
export const MAX_TASK_ITEMS = 50;

/** How many lead units an edited task may name. */
export const MAX_LEAD_UNITS = 10;

const NUL = String.fromCharCode(0);
// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `value` cannot be stored as text, or null when it can. */
export function unstorableTextProblem(value: string): string | null {
  if (value.includes(NUL)) return '不得含有 NUL 字符（U+0000）';
  if (LONE_SURROGATE.test(value)) return '须为有效的 Unicode 文本（含有未配对的 UTF-16 代理项）';
  return null;
}

/** The first string anywhere inside `value` (object fields, array items) that cannot be stored. */
export function findUnstorableText(value: unknown, path = ''): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = unstorableTextProblem(value);
    return problem ? { path: path || '(value)', problem } : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableTextProblem(key);
      if (keyProblem) return { path: path ? `${path}.(key)` : '(key)', problem: keyProblem };
      const found = findUnstorableText(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** Length in characters as a person counts them (a surrogate pair is one character). */
export function textLength(value: string): number {
  let length = 0;
  for (const _ of value) length += 1;
  return length;
}

/** True when `value` has something besides white space (a reason of only spaces says nothing). */
export function hasText(value: string): boolean {
  return value.trim().length > 0;
}

/**
 * Checks one text field of a request: its type, storability, length and (when required) that it says
 * something. Returns the problem, or null. The same function serves the API and the workflow validators.
 */
export function textFieldProblem(
  value: unknown,
  kind: TextKind,
  options: { required: boolean } = { required: true },
): string | null {
  if (value === undefined || value === null) return options.required ? 'is required' : null;
  if (typeof value !== 'string') return 'must be a string';
  const unstorable = unstorableTextProblem(value);
  if (unstorable) return unstorable;
  if (textLength(value) > TEXT_LIMITS[kind]) return `must be at most ${TEXT_LIMITS[kind]} characters`;
  if (options.required && !hasText(value)) return 'must contain text';
  return null;
}

/**
 * The same text made storable: NUL and unpaired surrogates become U+FFFD. Only for the last line of
 * defence (a projection the database refused anyway), never to accept input silently.
 */
export function toStorableText(value: string): string {
  return value.replaceAll(NUL, '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/** `toStorableText` applied to every string (and key) inside a JSON-like value. */
export function toStorableValue<T>(value: T): T {
  if (typeof value === 'string') return toStorableText(value) as T;
  if (Array.isArray(value)) return value.map((item) => toStorableValue(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [toStorableText(key), toStorableValue(item)]),
    ) as T;
  }
  return value;
}
