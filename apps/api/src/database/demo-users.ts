import { Role, Unit, UnitKind } from '@county/domain';

export interface DemoUser {
  username: string;
  displayName: string;
  unitId: string;
  roles: Role[];
}

/**
 * Demo users for local mode (DESIGN §6): one staff and one head user per unit, named `<unitId>.staff` and
 * `<unitId>.head`, plus `supervisor` (督查室), `leader` (县领导) and `admin`. Also the fixtures tests log in as.
 */
export function demoUsers(units: readonly Unit[]): DemoUser[] {
  const perUnit = units.flatMap((unit) => [
    { username: `${unit.id}.staff`, displayName: `${unit.name}工作人员`, unitId: unit.id, roles: [Role.Staff] },
    { username: `${unit.id}.head`, displayName: `${unit.name}负责人`, unitId: unit.id, roles: [Role.Head] },
  ]);
  const supervision = units.find((unit) => unit.kind === UnitKind.Supervision);
  const leadership = units.find((unit) => unit.kind === UnitKind.Leadership);
  if (!supervision || !leadership) {
    throw new Error('the unit registry needs a supervision unit and a leadership unit for the demo users');
  }
  return [
    ...perUnit,
    { username: 'supervisor', displayName: '督查室督查员', unitId: supervision.id, roles: [Role.Supervisor] },
    { username: 'leader', displayName: '县领导', unitId: leadership.id, roles: [Role.Leader] },
    { username: 'admin', displayName: '系统管理员', unitId: supervision.id, roles: [Role.Admin] },
  ];
}
