/**
 * What the .xlsx exports (issue 17) decide on the server: the row limit and the Chinese words for the codes a
 * reader sees in a cell. The console's labels (apps/web/src/labels.ts) read the same tables from here, so a
 * ledger printed from the board and one downloaded as .xlsx never word a status differently.
 */

/**
 * The most rows one export may hold. A filtered export that would be longer is refused (413, the limit named)
 * before a byte is written — counted first, cheaply — rather than cut short silently; narrow the filters
 * instead. 200,000 is twice the bench's 100k assignments; the writer streams, so memory does not grow with it.
 * The API reads EXPORT_MAX_ROWS to lower it (tests); this is the default.
 */
export const EXPORT_MAX_ROWS = 200_000;

import { hasRole, RoleHolder, Role, unitsActedFor } from './user';

/** How many rows the API reads from PostgreSQL per batch while streaming an export (keyset pages). */
export const EXPORT_BATCH_ROWS = 1_000;

/** A code's Chinese wording; an unknown code is shown as it is rather than hidden. */
export type Labeller = (code: string | null | undefined) => string;

const labeller =
  (table: Readonly<Record<string, string>>): Labeller =>
  (code) =>
    code == null ? '' : (table[code] ?? code);

export const ASSIGNMENT_STATUS_LABELS: Readonly<Record<string, string>> = {
  assigned: '待签收',
  acknowledged: '已签收',
  'in-progress': '办理中',
  submitted: '已提交待审核',
  returned: '被退回',
  approved: '已审核通过',
  cancelled: '已撤销',
  reassigned: '已转办',
  removed: '已减签',
};

export const TASK_STATUS_LABELS: Readonly<Record<string, string>> = {
  open: '待启动',
  'in-progress': '推进中',
  'awaiting-consolidation': '待牵头单位汇总',
  'awaiting-verification': '待督查室销号',
  closed: '已销号',
  cancelled: '已撤销',
};

export const CALL_STATUS_LABELS: Readonly<Record<string, string>> = {
  raised: '待签收',
  responded: '办理中',
  resolved: '已办结待评价',
  reopened: '不满意重办',
  closed: '已关闭',
};

export const LIGHT_LABELS: Readonly<Record<string, string>> = { green: '正常', yellow: '预警', red: '逾期' };
export const URGENCY_LABELS: Readonly<Record<string, string>> = { normal: '一般', urgent: '紧急' };
export const RATING_LABELS: Readonly<Record<string, string>> = {
  satisfied: '满意',
  'basically-satisfied': '基本满意',
  dissatisfied: '不满意',
};

export const assignmentStatusLabel = labeller(ASSIGNMENT_STATUS_LABELS);
export const taskStatusLabel = labeller(TASK_STATUS_LABELS);
export const callStatusLabel = labeller(CALL_STATUS_LABELS);
export const lightLabel = labeller(LIGHT_LABELS);
export const urgencyLabel = labeller(URGENCY_LABELS);
export const ratingLabel = labeller(RATING_LABELS);

/**
 * The `filename*` parameter of a Content-Disposition header (RFC 6266 / RFC 5987): a Chinese file name travels
 * percent-encoded as UTF-8, with a plain ASCII `filename` before it for clients that do not read `filename*`.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

/** Whose rows an export may hold for a reader: `unitIds` null means every unit's. */
export type ExportScope = { allowed: true; unitIds: string[] | null } | { allowed: false; reason: string };

/**
 * Who may export which rows of the ledgers (the task ledger, the call ledger). The supervision office, county
 * leaders and admins: every unit's, as their lists show them. A unit's staff or head: their own unit's rows only
 * (and those of units merged into it) — the ledger is a unit's record, and its own is what it reports on; asking
 * for another unit's rows is refused rather than silently answered with an empty file. The figures exports (the
 * unit ranking, the per-unit call figures) are not scoped: they are GET /dashboard's figures, which every user reads.
 */
export function exportScope(viewer: RoleHolder, requestedUnitId?: string): ExportScope {
  if ([Role.Supervisor, Role.Leader, Role.Admin].some((role) => hasRole(viewer, role))) {
    return { allowed: true, unitIds: null };
  }
  const own = unitsActedFor(viewer);
  if (requestedUnitId !== undefined && !own.includes(requestedUnitId)) {
    return { allowed: false, reason: `本单位只能导出本单位的台账，不能导出 ${requestedUnitId} 的。` };
  }
  return { allowed: true, unitIds: own };
}
