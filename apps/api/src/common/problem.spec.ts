import { ErrorCode } from '@county/domain';
import { codeForStatus, problem, statusForCode } from './problem';

describe('problem documents', () => {
  it('maps every error code to a 4xx or 5xx status, and back', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = statusForCode(code);
      expect(status).toBeGreaterThanOrEqual(400);
      // Several codes share a status; the status maps back to the generic code of its class.
      if (
        ![
          ErrorCode.InvalidCredentials,
          ErrorCode.InvalidDocument,
          ErrorCode.UnresolvedUnits,
          ErrorCode.DuplicatePlan,
          ErrorCode.CalendarYearNotCovered,
          ErrorCode.IdempotencyKeyReused,
          ErrorCode.MentionNotParticipant,
          ErrorCode.ExportTooLarge,
        ].includes(code)
      ) {
        expect(codeForStatus(status)).toBe(code);
      }
    }
  });

  it('builds an RFC 9457 body with our code', () => {
    expect(problem(409, ErrorCode.Conflict, 'already approved')).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'already approved',
      code: 'CONFLICT',
    });
  });
});
