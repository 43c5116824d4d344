import { STATUS_CODES } from 'node:http';
import { DomainError, ERROR_MESSAGES, ErrorCode } from '@county/domain';

/** RFC 9457 problem document; the only error shape the API ever sends. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return 400;
    case ErrorCode.InvalidCredentials:
    case ErrorCode.Unauthenticated:
      return 401;
    case ErrorCode.Forbidden:
      return 403;
    case ErrorCode.NotFound:
      return 404;
    case ErrorCode.Conflict:
    case ErrorCode.DuplicatePlan:
      return 409;
    // IdempotencyKeyReused: the status the IETF Idempotency-Key draft gives a key reused for another payload.
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.InvalidDocument:
    case ErrorCode.UnresolvedUnits:
    case ErrorCode.CalendarYearNotCovered:
    case ErrorCode.MentionNotParticipant:
      return 422;
    case ErrorCode.PayloadTooLarge:
    case ErrorCode.ExportTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.TooManyRequests:
      return 429;
    case ErrorCode.Internal:
      return 500;
    case ErrorCode.DependencyUnavailable:
      return 503;
    default: {
      const unhandled: never = code;
      throw new Error(`no HTTP status for error code ${String(unhandled)}`);
    }
  }
}

/** The code a bare HTTP status stands for, when the error came from the framework rather than our code. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return ErrorCode.ValidationFailed;
    case 401:
      return ErrorCode.Unauthenticated;
    case 403:
      return ErrorCode.Forbidden;
    case 404:
    case 405:
      return ErrorCode.NotFound;
    case 409:
      return ErrorCode.Conflict;
    case 413:
      return ErrorCode.PayloadTooLarge;
    case 415:
      return ErrorCode.UnsupportedMediaType;
    case 429:
      return ErrorCode.TooManyRequests;
    case 503:
      return ErrorCode.DependencyUnavailable;
    default:
      return status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed;
  }
}

export function problem(
  status: number,
  code: ErrorCode,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    ...extensions,
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: detail ?? ERROR_MESSAGES[code],
    code,
  };
}

export function problemFromDomainError(error: DomainError): Problem {
  return problem(statusForCode(error.code), error.code, error.message, error.extensions);
}
