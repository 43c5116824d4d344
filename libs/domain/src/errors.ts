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
  [ErrorCode.ValidationFailed]: 'The request is not valid.',
  [ErrorCode.InvalidCredentials]: 'Wrong username or password.',
  [ErrorCode.Unauthenticated]: 'A valid access token is required.',
  [ErrorCode.Forbidden]: 'You are not allowed to do this.',
  [ErrorCode.NotFound]: 'Not found.',
  [ErrorCode.Conflict]: 'The request conflicts with the current state.',
  [ErrorCode.InvalidDocument]: 'The document cannot be imported.',
  [ErrorCode.UnresolvedUnits]: 'The document names units that are not in the unit registry.',
  [ErrorCode.DuplicatePlan]: 'This document has been imported before.',
  [ErrorCode.CalendarYearNotCovered]: 'The working-day calendar does not cover that year yet.',
  [ErrorCode.IdempotencyKeyReused]: 'This Idempotency-Key was already used for a different request.',
  [ErrorCode.MentionNotParticipant]: 'A unit named in the comment takes no part in this work.',
  [ErrorCode.TooManyRequests]: 'Too many requests; try again later.',
  [ErrorCode.PayloadTooLarge]: 'The request body is too large.',
  [ErrorCode.ExportTooLarge]: 'The export would hold more rows than allowed; narrow the filters.',
  [ErrorCode.UnsupportedMediaType]: 'The request body has an unsupported content type.',
  [ErrorCode.DependencyUnavailable]: 'A service the system depends on is unavailable; try again shortly.',
  [ErrorCode.Internal]: 'Something went wrong on our side.',
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
