import {
  currentUnits,
  planUnitAdd,
  planUnitMerge,
  planUnitRename,
  planUnitRetire,
  RegistryUnit,
  resolveUnitName,
  survivorOf,
  UnitAction,
  unitActions,
  UnitKind,
  unitsMergedInto,
} from './unit';
import { actsForUnit, isLeadUnitHead, isUnitWorker, Role, unitsActedFor } from './user';
import { AssignmentAction, AssignmentStatus, decideAssignmentAction } from './assignment-state';
import { CallAction, CallStatus, decideCallAction } from './call-state';

const unit = (id: string, name: string, extra: Partial<RegistryUnit> = {}): RegistryUnit => ({
  id,
  name,
  fullName: `平罗县${name}`,
  aliases: [],
  kind: UnitKind.CountyDepartment,
  ...extra,
});

const registry: RegistryUnit[] = [
  unit('culture', '县文广局', { aliases: ['文广局'] }),
  unit('tourism', '县旅游局', { retired: true, mergedInto: 'culture' }),
  unit('archive', '县档案局', { retired: true }),
  unit('supervision', '县委督查室', { kind: UnitKind.Supervision }),
  unit('town-a', '甲镇', { kind: UnitKind.Township }),
];

describe('the unit registry over time (机构改革)', () => {
  it('resolves a merged unit’s names to the survivor and refuses a unit retired without one', () => {
    expect(resolveUnitName(registry, '县旅游局')).toEqual({ unitId: 'culture' });
    expect(resolveUnitName(registry, '平罗县县旅游局')).toEqual({ unitId: 'culture' });
    expect(resolveUnitName(registry, '文 广局')).toEqual({ unitId: 'culture' });
    expect(resolveUnitName(registry, '县档案局')).toEqual({ retiredUnitId: 'archive' });
    expect(resolveUnitName(registry, '县未来局')).toBeNull();
  });

  it('maps a retired id to its survivor, and offers only current units', () => {
    expect(survivorOf(registry, 'tourism')).toBe('culture');
    expect(survivorOf(registry, 'culture')).toBe('culture');
    expect(unitsMergedInto(registry, 'culture')).toEqual(['tourism']);
    expect(currentUnits(registry).map((u) => u.id)).toEqual(['culture', 'supervision', 'town-a']);
  });

  it('a rename keeps the old name and full name as aliases', () => {
    const renamed = planUnitRename(registry, 'culture', { name: '县文旅局', fullName: '平罗县文化旅游局' });
    expect(renamed).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: '县文旅局',
        fullName: '平罗县文化旅游局',
        aliases: ['文广局', '县文广局', '平罗县县文广局'],
      }),
    });
    expect(planUnitRename(registry, 'culture', { name: '甲镇' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(planUnitRename(registry, 'tourism', { name: '新名' })).toMatchObject({ ok: false, code: 'conflict' });
    // Taking back its own alias as its name is fine.
    expect(planUnitRename(registry, 'culture', { name: '文广局' })).toMatchObject({ ok: true });
  });

  it('a new unit needs a fresh id and names no current unit carries', () => {
    expect(planUnitAdd(registry, unit('museum', '县博物馆'))).toMatchObject({ ok: true });
    expect(planUnitAdd(registry, unit('culture', '县新局'))).toMatchObject({ ok: false, code: 'conflict' });
    expect(planUnitAdd(registry, unit('museum', '文广局'))).toMatchObject({ ok: false, code: 'conflict' });
    expect(planUnitAdd(registry, unit('Bad Id', '县新局'))).toMatchObject({ ok: false, code: 'validation' });
  });

  it('merges only two different current units of the same kind, never 督查室 or 县领导', () => {
    const more = [...registry, unit('sports', '县体育局')];
    expect(planUnitMerge(more, 'sports', 'culture')).toEqual({
      ok: true,
      value: { retired: 'sports', survivor: 'culture' },
    });
    expect(planUnitMerge(more, 'sports', 'sports')).toMatchObject({ ok: false, code: 'validation' });
    expect(planUnitMerge(more, 'sports', 'tourism')).toMatchObject({ ok: false, code: 'conflict' });
    expect(planUnitMerge(more, 'sports', 'town-a')).toMatchObject({ ok: false, code: 'validation' });
    expect(planUnitMerge(more, 'supervision', 'culture')).toMatchObject({ ok: false, code: 'conflict' });
    expect(planUnitMerge(more, 'nobody', 'culture')).toMatchObject({ ok: false, code: 'validation' });
  });

  it('retires without a successor only a unit with nothing left', () => {
    expect(planUnitRetire(registry, 'culture', { openWork: 0, activeUsers: 0 })).toMatchObject({ ok: true });
    expect(planUnitRetire(registry, 'culture', { openWork: 2, activeUsers: 0 })).toMatchObject({
      ok: false,
      code: 'conflict',
    });
    expect(planUnitRetire(registry, 'culture', { openWork: 0, activeUsers: 1 })).toMatchObject({ ok: false });
    expect(planUnitRetire(registry, 'supervision', { openWork: 0, activeUsers: 0 })).toMatchObject({ ok: false });
  });

  it('offers unit actions to admins only', () => {
    expect(unitActions({ roles: [Role.Admin] }, registry[0])).toEqual([
      UnitAction.Rename,
      UnitAction.Merge,
      UnitAction.Retire,
    ]);
    expect(unitActions({ roles: [Role.Admin] }, registry[3])).toEqual([UnitAction.Rename]);
    expect(unitActions({ roles: [Role.Admin] }, registry[1])).toEqual([]);
    expect(unitActions({ roles: [Role.Head, Role.Supervisor] }, registry[0])).toEqual([]);
  });
});

describe('acting for a merged unit', () => {
  const survivorStaff = { userId: 'u', unitId: 'culture', roles: [Role.Staff], mergedUnitIds: ['tourism'] };
  const survivorHead = { ...survivorStaff, roles: [Role.Head] };
  const otherStaff = { userId: 'o', unitId: 'town-a', roles: [Role.Staff] };

  it('the survivor’s people act for the merged unit’s work; nobody else does', () => {
    expect(actsForUnit(survivorStaff, 'tourism')).toBe(true);
    expect(actsForUnit(survivorStaff, 'culture')).toBe(true);
    expect(actsForUnit(otherStaff, 'tourism')).toBe(false);
    expect(unitsActedFor(survivorStaff)).toEqual(['culture', 'tourism']);
    expect(isUnitWorker(survivorStaff, 'tourism')).toBe(true);
    expect(isLeadUnitHead(survivorHead, ['tourism'])).toBe(true);
    expect(isLeadUnitHead(survivorStaff, ['tourism'])).toBe(false);
  });

  it('the assignment rule lets the survivor sign for the merged unit’s assignment', () => {
    const parties = { unitId: 'tourism', leadUnitIds: ['supervision'] };
    expect(
      decideAssignmentAction(AssignmentAction.Acknowledge, AssignmentStatus.Assigned, survivorStaff, parties),
    ).toMatchObject({ allowed: true });
    expect(
      decideAssignmentAction(AssignmentAction.Acknowledge, AssignmentStatus.Assigned, otherStaff, parties),
    ).toMatchObject({ allowed: false });
  });

  it('the call rule lets the survivor answer a call addressed to the merged unit, and evaluate one it raised', () => {
    const township = { userId: 't', unitId: 'town-b', roles: [Role.Staff], mergedUnitIds: ['town-a'] };
    expect(
      decideCallAction(CallAction.Respond, CallStatus.Raised, survivorStaff, {
        fromUnitId: 'town-a',
        toUnitId: 'tourism',
      }),
    ).toMatchObject({ allowed: true });
    expect(
      decideCallAction(CallAction.Evaluate, CallStatus.Resolved, township, {
        fromUnitId: 'town-a',
        toUnitId: 'culture',
      }),
    ).toMatchObject({ allowed: true });
    expect(
      decideCallAction(CallAction.Respond, CallStatus.Raised, otherStaff, {
        fromUnitId: 'town-a',
        toUnitId: 'tourism',
      }),
    ).toMatchObject({ allowed: false });
  });
});
