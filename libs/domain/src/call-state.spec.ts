import { Actor } from './user';
import {
  CALL_STATUSES,
  CallAction,
  callEvaluationOutcome,
  CallRating,
  CallStatus,
  CallSupervision,
  decideCallAction,
  decideCallRaise,
  decideCallSupervision,
} from './call-state';
import { ErrorCode } from './errors';
import { UnitKind } from './unit';

const actor = (unitId: string, ...roles: string[]): Actor => ({ userId: `${unitId}-user`, unitId, roles });
const parties = { fromUnitId: 'chengguan', toUnitId: 'housing' };

describe('who may raise a call', () => {
  it('lets staff or the head of a township call a county unit', () => {
    expect(decideCallRaise(actor('chengguan', 'staff'), UnitKind.Township, UnitKind.CountyDepartment)).toEqual({
      allowed: true,
      to: CallStatus.Raised,
    });
    expect(decideCallRaise(actor('chengguan', 'head'), UnitKind.Township, UnitKind.Court).allowed).toBe(true);
  });

  it('refuses a county unit calling as if it were a township, and a supervisor without staff role', () => {
    expect(decideCallRaise(actor('housing', 'staff'), UnitKind.CountyDepartment, UnitKind.CountyDepartment)).toEqual(
      expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }),
    );
    expect(decideCallRaise(actor('chengguan', 'supervisor'), UnitKind.Township, UnitKind.CountyDepartment)).toEqual(
      expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }),
    );
  });

  it.each([UnitKind.Township, UnitKind.Leadership, UnitKind.Supervision])(
    'refuses a call addressed to a unit that does not answer calls (%s)',
    (kind) => {
      expect(decideCallRaise(actor('chengguan', 'staff'), UnitKind.Township, kind)).toEqual(
        expect.objectContaining({ allowed: false, code: ErrorCode.ValidationFailed }),
      );
    },
  );

  it.each([UnitKind.CountyDepartment, UnitKind.CityBranch, UnitKind.Court, UnitKind.Procuratorate])(
    'lets a township call a unit that answers calls (%s)',
    (kind) => {
      expect(decideCallRaise(actor('chengguan', 'staff'), UnitKind.Township, kind).allowed).toBe(true);
    },
  );
});

describe('the call state machine', () => {
  // Every (action, status) pair: the expected outcome for an actor who is the right party.
  const table: Array<[CallAction.Respond | CallAction.Resolve | CallAction.Evaluate, CallStatus, CallStatus | null]> =
    [];
  const allowed: Record<string, CallStatus> = {
    'respond:raised': CallStatus.Responded,
    'resolve:responded': CallStatus.Resolved,
    'resolve:reopened': CallStatus.Resolved,
    'evaluate:resolved': CallStatus.Closed,
  };
  for (const action of [CallAction.Respond, CallAction.Resolve, CallAction.Evaluate] as const)
    for (const status of CALL_STATUSES) table.push([action, status, allowed[`${action}:${status}`] ?? null]);

  it.each(table)('%s from %s → %s', (action, status, to) => {
    const who = action === CallAction.Evaluate ? actor('chengguan', 'staff') : actor('housing', 'head');
    const decision = decideCallAction(action, status, who, parties);
    if (to === null) expect(decision).toEqual(expect.objectContaining({ allowed: false, code: ErrorCode.Conflict }));
    else expect(decision).toEqual({ allowed: true, to });
  });

  it('lets only the called unit respond and resolve, and only the calling township evaluate', () => {
    const forbidden = expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden });
    expect(decideCallAction(CallAction.Respond, CallStatus.Raised, actor('transport', 'head'), parties)).toEqual(
      forbidden,
    );
    expect(decideCallAction(CallAction.Respond, CallStatus.Raised, actor('chengguan', 'staff'), parties)).toEqual(
      forbidden,
    );
    expect(decideCallAction(CallAction.Resolve, CallStatus.Responded, actor('housing', 'leader'), parties)).toEqual(
      forbidden,
    );
    expect(decideCallAction(CallAction.Evaluate, CallStatus.Resolved, actor('baofeng', 'staff'), parties)).toEqual(
      forbidden,
    );
    expect(decideCallAction(CallAction.Evaluate, CallStatus.Resolved, actor('housing', 'head'), parties)).toEqual(
      forbidden,
    );
  });

  it('reopens on 不满意 and closes on any other rating', () => {
    expect(callEvaluationOutcome(CallRating.Dissatisfied)).toBe(CallStatus.Reopened);
    expect(callEvaluationOutcome(CallRating.BasicallySatisfied)).toBe(CallStatus.Closed);
    expect(callEvaluationOutcome(CallRating.Satisfied)).toBe(CallStatus.Closed);
  });
});

describe('the supervision office on a call', () => {
  const supervisor = actor('supervision', 'supervisor');

  it('reassigns a call that is not yet resolved to another county unit, which must respond afresh', () => {
    const county = { id: 'transport', kind: UnitKind.CountyDepartment };
    for (const status of [CallStatus.Raised, CallStatus.Responded, CallStatus.Reopened]) {
      expect(decideCallSupervision(CallSupervision.Reassign, status, supervisor, parties, county)).toEqual({
        allowed: true,
        to: CallStatus.Raised,
      });
    }
    expect(decideCallSupervision(CallSupervision.Reassign, CallStatus.Resolved, supervisor, parties, county)).toEqual(
      expect.objectContaining({ allowed: false, code: ErrorCode.Conflict }),
    );
  });

  it('refuses a reassignment to a township, to the same unit, or without a unit', () => {
    const invalid = expect.objectContaining({ allowed: false, code: ErrorCode.ValidationFailed });
    const status = CallStatus.Raised;
    expect(
      decideCallSupervision(CallSupervision.Reassign, status, supervisor, parties, {
        id: 'baofeng',
        kind: UnitKind.Township,
      }),
    ).toEqual(invalid);
    expect(
      decideCallSupervision(CallSupervision.Reassign, status, supervisor, parties, {
        id: 'housing',
        kind: UnitKind.CountyDepartment,
      }),
    ).toEqual(invalid);
    expect(decideCallSupervision(CallSupervision.Reassign, status, supervisor, parties)).toEqual(invalid);
  });

  it('extends only a running limit, flags anything open, and nothing once closed or by anyone else', () => {
    expect(decideCallSupervision(CallSupervision.Extend, CallStatus.Responded, supervisor, parties).allowed).toBe(true);
    expect(decideCallSupervision(CallSupervision.Extend, CallStatus.Resolved, supervisor, parties)).toEqual(
      expect.objectContaining({ allowed: false, code: ErrorCode.Conflict }),
    );
    expect(decideCallSupervision(CallSupervision.Flag, CallStatus.Resolved, supervisor, parties).allowed).toBe(true);
    expect(decideCallSupervision(CallSupervision.Flag, CallStatus.Closed, supervisor, parties)).toEqual(
      expect.objectContaining({ allowed: false, code: ErrorCode.Conflict }),
    );
    expect(decideCallSupervision(CallSupervision.Flag, CallStatus.Raised, actor('housing', 'head'), parties)).toEqual(
      expect.objectContaining({ allowed: false, code: ErrorCode.Forbidden }),
    );
  });
});
