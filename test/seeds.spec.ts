import { UnitKind } from '@county/domain';
import { demoUsers, loadUnitRegistry } from '@county/api';

describe('seeds/units.json', () => {
  it('is a valid registry with 13 townships, one supervision office and one leadership unit', async () => {
    const units = await loadUnitRegistry();
    const count = (kind: UnitKind) => units.filter((unit) => unit.kind === kind).length;
    expect(count(UnitKind.Township)).toBe(13);
    expect(count(UnitKind.Supervision)).toBe(1);
    expect(count(UnitKind.Leadership)).toBe(1);
  });

  it('gives every unit a staff and a head demo user, plus supervisor, leader and admin', async () => {
    const units = await loadUnitRegistry();
    const users = demoUsers(units);
    expect(users).toHaveLength(units.length * 2 + 3);
    expect(new Set(users.map((user) => user.username)).size).toBe(users.length);
    expect(users.find((user) => user.username === 'approval.head')).toMatchObject({
      unitId: 'approval',
      roles: ['head'],
    });
    expect(users.find((user) => user.username === 'supervisor')).toMatchObject({
      unitId: 'supervision',
      roles: ['supervisor'],
    });
  });
});
