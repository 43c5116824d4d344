/**
 * What a refusal says to a person. The API's problem document carries a stable `code` (and, for a form that is not
 * valid, the fields and the rules they broke); its `detail` is written for whoever reads the logs and is often
 * English. The console words the code and the fields in Chinese, and shows the detail itself only when it is already
 * Chinese (the importer's "第 12 行：…", a refusal naming the unit): then it says more than a general message could.
 */
import type { components } from './api-types';

type ErrorCode = components['schemas']['Problem']['code'];

const CODE_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '填写的内容不符合要求，请检查后重试。',
  INVALID_CREDENTIALS: '用户名或密码错误。',
  UNAUTHENTICATED: '登录已过期，请重新登录。',
  FORBIDDEN: '您没有权限进行此操作。',
  NOT_FOUND: '要找的内容不存在，或您无权查看。',
  CONFLICT: '当前状态不允许此操作（可能刚被他人处理），请刷新页面后再试。',
  INVALID_DOCUMENT: '该文件无法导入，请检查文件内容。',
  UNRESOLVED_UNITS: '文件中有单位库里没有的单位。',
  DUPLICATE_PLAN: '该文件已经导入过。',
  CALENDAR_YEAR_NOT_COVERED: '工作日历尚未载入该年份的节假日安排，请联系系统管理员。',
  IDEMPOTENCY_KEY_REUSED: '同一次提交的内容前后不一致，请刷新页面后重新操作。',
  MENTION_NOT_PARTICIPANT: '提到的单位不是本事项的参与单位。',
  TOO_MANY_REQUESTS: '操作过于频繁，请稍等一分钟后再试。',
  PAYLOAD_TOO_LARGE: '内容或文件太大。',
  EXPORT_TOO_LARGE: '导出的行数超过上限，请缩小筛选范围后再导出。',
  UNSUPPORTED_MEDIA_TYPE: '不支持该文件类型。',
  DEPENDENCY_UNAVAILABLE: '系统暂时无法处理（依赖的服务不可用），请稍后再试。',
  INTERNAL: '系统出错了，请稍后再试；如一直出现，请联系系统管理员。',
};

/** The request fields a person fills in, by the names the API gives them (nested paths use the last part). */
const FIELD_LABELS: Record<string, string> = {
  reason: '理由',
  note: '说明',
  summary: '汇总说明',
  comment: '评价意见',
  body: '内容',
  text: '内容',
  resolution: '办理结果',
  title: '标题',
  subject: '事项',
  message: '内容',
  requestedDueAt: '申请的新时限',
  dueAt: '完成时限',
  percent: '进度',
  rating: '评分',
  satisfaction: '满意度',
  toUnitId: '转办单位',
  unitId: '单位',
  targetUnitId: '单位',
  leadUnitIds: '牵头单位',
  username: '用户名',
  password: '密码',
  currentPassword: '当前密码',
  newPassword: '新密码',
  displayName: '姓名',
  fullName: '姓名',
  phone: '电话',
  email: '电子邮箱',
  name: '名称',
  roles: '角色',
  year: '时限年份',
  period: '期间',
  attachmentIds: '佐证材料',
  urgency: '紧急程度',
  action: '处理方式',
  q: '搜索词',
  deputyUserId: '代理人',
  startsAt: '开始时间',
  endsAt: '结束时间',
  address: '地址',
  url: '地址',
};

/** class-validator's rule names (and our own: hasText, newDeadline, storableText) in words. */
const RULE_MESSAGES: Record<string, string> = {
  hasText: '不能为空',
  isNotEmpty: '不能为空',
  arrayNotEmpty: '不能为空',
  arrayMinSize: '至少要选一项',
  minLength: '太短',
  maxLength: '太长',
  isLength: '长度不符合要求',
  arrayMaxSize: '数量超过上限',
  arrayUnique: '有重复项',
  isIn: '不是可选的值',
  isEnum: '不是可选的值',
  isString: '应为文字',
  isInt: '应为整数',
  isNumber: '应为数字',
  min: '小于允许的最小值',
  max: '大于允许的最大值',
  isBoolean: '应为是或否',
  isUuid: '格式不正确',
  isEmail: '不是有效的电子邮箱',
  isIso8601: '不是有效的日期时间',
  isDateString: '不是有效的日期时间',
  matches: '格式不正确',
  newDeadline: '应为将来的日期（且在允许的年限内）',
  isCalendarDay: '不是有效的日期',
  storableText: '含有无法保存的字符（如空字符），请删除后重试',
  whitelistValidation: '不是可以填写的项目',
  entriesHaveText: '每一项都不能为空',
};

interface FieldError {
  field: string;
  problems?: string[];
  rules?: string[];
}

/** A run of three or more Latin words: an English sentence (unit ids like approval.head are one word). */
const ENGLISH_RUN = /[A-Za-z][\w'’.-]*(?:[ ,;:()]+[A-Za-z][\w'’.-]*){2,}/;
const CHINESE = /[\u4e00-\u9fff]/;

/** Whether a text can be shown to a person as it is: Chinese, with no English sentence in it. */
export function readsAsChinese(text: string | undefined | null): text is string {
  return !!text && CHINESE.test(text) && !ENGLISH_RUN.test(text);
}

function fieldLabel(path: string): string {
  const last = path.split('.').pop() ?? path;
  return FIELD_LABELS[last] ?? FIELD_LABELS[path] ?? '填写的内容';
}

function fieldMessage(error: FieldError): string {
  // class-validator starts a message with the property ("requestedDueAt 须…"): the label replaces it.
  const said = (error.problems ?? []).map((problem) => problem.replace(/^[A-Za-z][\w.]*\s*/, '')).find(readsAsChinese);
  const rule = (error.rules ?? []).map((name) => RULE_MESSAGES[name]).find(Boolean);
  return `${fieldLabel(error.field)}${said ? `：${said}` : (rule ?? '不符合要求')}`;
}

/** "requestedDueAt: …; reason: …" (the API's way of naming fields in a detail) with the fields named in Chinese. */
function labelFields(detail: string): string {
  return detail.replace(
    /(^|; )([A-Za-z][\w.]*): /g,
    (_match, separator: string, field: string) => `${separator ? '；' : ''}${fieldLabel(field)}：`,
  );
}

/** The Chinese message for a problem document (or a made-up one: status 0 for no answer at all). */
export function problemMessage(problem: {
  status: number;
  code?: string;
  detail?: string;
  title?: string;
  errors?: unknown;
  retryAfterSeconds?: number;
}): string {
  const detail = problem.detail ? labelFields(problem.detail) : undefined;
  if (readsAsChinese(detail)) return detail;
  const errors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
  if (problem.code === 'VALIDATION_FAILED' && errors.length > 0)
    return `${[...new Set(errors.map(fieldMessage))].join('；')}。`;
  // A field named in an English detail still says where to look.
  const namedField = problem.code === 'VALIDATION_FAILED' ? /^([A-Za-z][\w.]*): /.exec(problem.detail ?? '') : null;
  if (namedField) return `${fieldLabel(namedField[1])}不符合要求，请检查后重试。`;
  // The importer names where the document went wrong (line, and sheet for an .xlsx) even when its words are English.
  const at = problem as { line?: unknown; sheet?: unknown };
  if (problem.code === 'INVALID_DOCUMENT' && typeof at.line === 'number' && at.line > 0)
    return `该文件无法导入：${typeof at.sheet === 'string' ? `工作表「${at.sheet}」` : ''}第 ${at.line} 行不符合任务清单的格式。`;
  const known = problem.code ? CODE_MESSAGES[problem.code as ErrorCode] : undefined;
  if (known) {
    if (problem.code === 'TOO_MANY_REQUESTS' && problem.retryAfterSeconds)
      return `操作过于频繁，请 ${Math.max(1, Math.ceil(problem.retryAfterSeconds / 60))} 分钟后再试。`;
    return known;
  }
  if (problem.status === 0) return '无法连接服务器，请检查网络后重试。';
  if (problem.status >= 500) return `系统暂时无法处理（HTTP ${problem.status}），请稍后再试。`;
  return `请求未能完成（HTTP ${problem.status}）。`;
}
