import { assignmentActions, callActions } from './allowed-actions';
import { AssignmentAction } from './assignment-state';
import { CallAction } from './call-state';
import {
  decideDelegation,
  decideHandler,
  decideRevokeDelegation,
  decideSetHandler,
  Delegation,
  isDelegationActive,
  maySeeHandlerContact,
  signOffActor,
} from './people';
import { decideAssignmentAction, AssignmentStatus } from './assignment-state';
import { isLeadUnitHead, Role } from './user';

const HEAD = { userId: '00000000-0000-4000-8000-000000000001', unitId: 'finance', roles: [Role.Head] };
const STAFF = { userId: '00000000-0000-4000-8000-000000000002', unitId: 'finance', roles: [Role.Staff] };
const STAFF2 = { userId: '00000000-0000-4000-8000-000000000003', unitId: 'finance', roles: [Role.Staff] };
const OTHER = { userId: '00000000-0000-4000-8000-000000000004', unitId: 'housing', roles: [Role.Head] };
const open = (handlerUserId: string | null = null) => ({ unitId: 'finance', open: true, handlerUserId });
const candidate = (actor: typeof STAFF, disabled = false) => ({
  id: actor.userId,
  unitId: actor.unitId,
  roles: actor.roles,
  disabled,
});

describe('承办人: who may name whom', () => {
  it("lets the unit's head name or change the handler at any time while the work is open", () => {
    expect(decideSetHandler(HEAD, open()).allowed).toBe(true);
    expect(decideSetHandler(HEAD, open(STAFF.userId)).allowed).toBe(true);
    expect(decideSetHandler(HEAD, { ...open(), open: false })).toMatchObject({ allowed: false, code: 'CONFLICT' });
  });

  it('lets staff name one while nobody is named, or hand on their own, but not take a colleague’s', () => {
    expect(decideSetHandler(STAFF, open()).allowed).toBe(true);
    expect(decideSetHandler(STAFF, open(STAFF.userId)).allowed).toBe(true);
    expect(decideSetHandler(STAFF, open(STAFF2.userId))).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });

  it("refuses another unit's people, as actors and as the named colleague", () => {
    expect(decideSetHandler(OTHER, open())).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(decideHandler(HEAD, open(), candidate(OTHER))).toMatchObject({ allowed: false, code: 'VALIDATION_FAILED' });
    expect(decideHandler(HEAD, open(), null)).toMatchObject({ allowed: false, code: 'VALIDATION_FAILED' });
    expect(decideHandler(HEAD, open(), candidate(STAFF2, true))).toMatchObject({ allowed: false });
    expect(decideHandler(HEAD, open(), candidate(STAFF2)).allowed).toBe(true);
    expect(decideHandler(OTHER, open(), candidate(STAFF2))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('offers setHandler in allowedActions exactly where the rule allows it', () => {
    const assignment = { unitId: 'finance', role: 'responsible', status: 'assigned', dueAt: null };
    const task = { status: 'in-progress', leadUnitIds: ['development'] };
    expect(assignmentActions(STAFF, assignment, task)).toContain(AssignmentAction.SetHandler);
    expect(assignmentActions(STAFF, { ...assignment, handlerUserId: STAFF2.userId }, task)).not.toContain(
      AssignmentAction.SetHandler,
    );
    expect(assignmentActions(OTHER, assignment, task)).not.toContain(AssignmentAction.SetHandler);
    expect(assignmentActions(HEAD, { ...assignment, status: 'approved' }, task)).not.toContain(
      AssignmentAction.SetHandler,
    );
    const call = { status: 'raised', fromUnitId: 'town', toUnitId: 'finance' };
    expect(callActions(STAFF, call)).toContain(CallAction.SetHandler);
    expect(callActions(STAFF, { ...call, status: 'closed' })).not.toContain(CallAction.SetHandler);
    expect(callActions({ ...OTHER, unitId: 'town' }, call)).not.toContain(CallAction.SetHandler);
  });

  it('shows the phone to the unit, the lead units, the office and leaders only', () => {
    const item = { unitId: 'finance', leadUnitIds: ['development'] };
    expect(maySeeHandlerContact({ unitId: 'development', roles: [Role.Staff] }, item)).toBe(true);
    expect(maySeeHandlerContact({ unitId: 'supervision', roles: [Role.Supervisor] }, item)).toBe(true);
    expect(maySeeHandlerContact({ unitId: 'finance', roles: [Role.Staff] }, item)).toBe(true);
    expect(maySeeHandlerContact({ unitId: 'housing', roles: [Role.Head] }, item)).toBe(false);
  });
});

describe('委派: a head’s sign-off while away', () => {
  const now = new Date('2027-03-10T08:00:00Z');
  const window = { startsAt: '2027-03-09T00:00:00Z', endsAt: '2027-03-20T00:00:00Z' };
  const delegation: Delegation = {
    id: '00000000-0000-4000-8000-0000000000aa',
    unitId: 'finance',
    headUserId: HEAD.userId,
    headName: '财政局局长',
    deputyUserId: STAFF.userId,
    deputyName: '财政局副局长',
    revokedAt: null,
    ...window,
  };

  it('lets a head delegate to an enabled non-head colleague of the same unit, for a bounded future window', () => {
    expect(decideDelegation(HEAD, candidate(STAFF), window, now).allowed).toBe(true);
    expect(decideDelegation(STAFF, candidate(STAFF2), window, now)).toMatchObject({ code: 'FORBIDDEN' });
    expect(decideDelegation(HEAD, candidate(OTHER), window, now)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(decideDelegation(HEAD, candidate({ ...HEAD }), window, now)).toMatchObject({ allowed: false });
    expect(decideDelegation(HEAD, candidate(STAFF, true), window, now)).toMatchObject({ allowed: false });
    const backwards = { startsAt: window.endsAt, endsAt: window.startsAt };
    expect(decideDelegation(HEAD, candidate(STAFF), backwards, now)).toMatchObject({ allowed: false });
    const past = { startsAt: '2027-01-01T00:00:00Z', endsAt: '2027-01-02T00:00:00Z' };
    expect(decideDelegation(HEAD, candidate(STAFF), past, now)).toMatchObject({ allowed: false });
    const long = { startsAt: window.startsAt, endsAt: '2027-12-31T00:00:00Z' };
    expect(decideDelegation(HEAD, candidate(STAFF), long, now)).toMatchObject({ allowed: false });
  });

  it('runs inside its window until revoked', () => {
    expect(isDelegationActive(delegation, now)).toBe(true);
    expect(isDelegationActive(delegation, new Date('2027-03-20T00:00:00Z'))).toBe(false);
    expect(isDelegationActive(delegation, new Date('2027-03-08T00:00:00Z'))).toBe(false);
    expect(isDelegationActive({ ...delegation, revokedAt: now.toISOString() }, now)).toBe(false);
    // A head who was disabled, moved or lost the head role no longer lends it.
    expect(isDelegationActive({ ...delegation, headInOffice: false }, now)).toBe(false);
  });

  it('makes the deputy a lead-unit head for sign-off, naming the head, only while it runs', () => {
    const acting = signOffActor(STAFF, [delegation], now);
    expect(isLeadUnitHead(STAFF, ['finance'])).toBe(false);
    expect(isLeadUnitHead(acting, ['finance'])).toBe(true);
    expect(acting.actingFor).toMatchObject({ headUserId: HEAD.userId, headName: '财政局局长' });
    const parties = { unitId: 'housing', leadUnitIds: ['finance'] };
    expect(decideAssignmentAction(AssignmentAction.Approve, AssignmentStatus.Submitted, acting, parties).allowed).toBe(
      true,
    );
    expect(signOffActor(STAFF, [delegation], new Date('2027-04-01T00:00:00Z'))).toBe(STAFF);
    expect(signOffActor(STAFF2, [delegation], now)).toBe(STAFF2);
    // A deputy who moved to another unit no longer signs for the old one.
    expect(signOffActor({ ...STAFF, unitId: 'housing' }, [delegation], now).actingFor).toBeUndefined();
  });

  it('is ended early only by its head, once', () => {
    expect(decideRevokeDelegation(HEAD, delegation, now).allowed).toBe(true);
    expect(decideRevokeDelegation(STAFF, delegation, now)).toMatchObject({ code: 'FORBIDDEN' });
    expect(decideRevokeDelegation(HEAD, { ...delegation, revokedAt: now.toISOString() }, now)).toMatchObject({
      code: 'CONFLICT',
    });
  });
});
