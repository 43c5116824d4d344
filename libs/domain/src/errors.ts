/**
 * Every error the system reports to a caller has one of these codes. The code is API: clients branch on
 * it, so a code never changes meaning once released. The HTTP status for each code is decided in one
 * place (the API's exception filter) by an exhaustive switch.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  /** A task-list document that cannot be imported; the detail names the line. */
  InvalidDocument = 'INVALID_DOCUMENT',
  /** A task list names units the registry does not know (import with allowNewUnits to add them). */
  UnresolvedUnits = 'UNRESOLVED_UNITS',
  /** The same document was imported before (import with allowDuplicate to import it again). */
  DuplicatePlan = 'DUPLICATE_PLAN',
  /** A working-day computation reached a year whose holiday notice has not been loaded (never guessed). */
  CalendarYearNotCovered = 'CALENDAR_YEAR_NOT_COVERED',
  /** An Idempotency-Key sent again with a different request (method, path, fields or file). */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** A comment names a unit that takes no part in its thread (the detail names the unit). */
  MentionNotParticipant = 'MENTION_NOT_PARTICIPANT',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** An export whose filters select more rows than EXPORT_MAX_ROWS (the detail and `limit` name it). */
  ExportTooLarge = 'EXPORT_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  DependencyUnavailable = 'DEPENDENCY_UNAVAILABLE',
  Internal = 'INTERNAL',
}

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  [ErrorCode.ValidationFailed]: '提交的内容不符合要求。',
  [ErrorCode.InvalidCredentials]: '用户名或密码错误。',
  [ErrorCode.Unauthenticated]: '登录已失效，请重新登录。',
  [ErrorCode.Forbidden]: '您无权进行此操作。',
  [ErrorCode.NotFound]: '未找到相关内容。',
  [ErrorCode.Conflict]: '当前状态下不能进行此操作。',
  [ErrorCode.InvalidDocument]: '该文件无法导入。',
  [ErrorCode.UnresolvedUnits]: '文件中有单位不在单位名录中。',
  [ErrorCode.DuplicatePlan]: '该文件已经导入过。',
  [ErrorCode.CalendarYearNotCovered]: '工作日历尚未包含该年份。',
  [ErrorCode.IdempotencyKeyReused]: '该请求编号（Idempotency-Key）已用于另一项不同的操作。',
  [ErrorCode.MentionNotParticipant]: '意见中提到的单位未参与这项工作。',
  [ErrorCode.TooManyRequests]: '操作过于频繁，请稍后再试。',
  [ErrorCode.PayloadTooLarge]: '提交的内容过大。',
  [ErrorCode.ExportTooLarge]: '导出的行数超过上限，请缩小筛选范围。',
  [ErrorCode.UnsupportedMediaType]: '不支持所提交内容的格式。',
  [ErrorCode.DependencyUnavailable]: '系统依赖的服务暂时不可用，请稍后再试。',
  [ErrorCode.Internal]: '系统内部出错，请稍后再试。',
};

/** An expected failure with a stable code; anything that is not a DomainError is a bug (reported as 500). */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    /** Extra machine-readable fields for the problem document (e.g. the names that did not resolve). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail ?? ERROR_MESSAGES[code]);
    this.name = 'DomainError';
  }
}

/**
 * The failure type of a projection the database refused for its data (not for being unreachable): retrying
 * it cannot succeed, so the activity fails at once and the workflow records it instead (see Projector).
 */
export const PROJECTION_REJECTED = 'PROJECTION_REJECTED';
