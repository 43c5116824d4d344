import { hasRole, isLeadUnitHead, isSupervisor, isUnitWorker, Role } from './user';

describe('who someone is on a task', () => {
  it('is a head of a lead unit only as a head, and only of one of the lead units', () => {
    expect(isLeadUnitHead({ unitId: 'development', roles: [Role.Head] }, ['development', 'finance'])).toBe(true);
    expect(isLeadUnitHead({ unitId: 'development', roles: [Role.Staff] }, ['development'])).toBe(false);
    expect(isLeadUnitHead({ unitId: 'housing', roles: [Role.Head] }, ['development'])).toBe(false);
    expect(isLeadUnitHead({ unitId: 'supervision', roles: [Role.Supervisor] }, ['supervision'])).toBe(false);
  });

  it("does a unit's work as its staff or head, never as another unit's", () => {
    expect(isUnitWorker({ unitId: 'housing', roles: [Role.Staff] }, 'housing')).toBe(true);
    expect(isUnitWorker({ unitId: 'housing', roles: [Role.Head] }, 'housing')).toBe(true);
    expect(isUnitWorker({ unitId: 'housing', roles: [Role.Leader] }, 'housing')).toBe(false);
    expect(isUnitWorker({ unitId: 'finance', roles: [Role.Head] }, 'housing')).toBe(false);
  });

  it('knows the supervision office by its role, and roles by their wire values', () => {
    expect(isSupervisor({ roles: ['supervisor'] })).toBe(true);
    expect(isSupervisor({ roles: [Role.Admin] })).toBe(false);
    expect(hasRole({ roles: ['head'] }, Role.Head)).toBe(true);
    expect(Object.values(Role)).toEqual(['staff', 'head', 'supervisor', 'leader', 'admin']);
  });
});
