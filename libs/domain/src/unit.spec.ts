import { Unit, UnitKind, validateUnitRegistry } from './unit';

const unit = (overrides: Partial<Unit> = {}): Unit => ({
  id: 'approval',
  name: '县审批局',
  fullName: '平罗县行政审批服务局',
  aliases: ['县行政审批服务局'],
  kind: UnitKind.CountyDepartment,
  ...overrides,
});

describe('validateUnitRegistry', () => {
  it('accepts a well-formed registry', () => {
    expect(
      validateUnitRegistry([
        unit(),
        unit({ id: 'chengguan', name: '城关镇', fullName: '平罗县城关镇', aliases: [], kind: UnitKind.Township }),
      ]),
    ).toEqual([]);
  });

  it.each([
    [[unit({ id: 'Approval Office' })], 'must be lowercase ASCII'],
    [[unit(), unit({ name: '县财政局', fullName: '平罗县财政局', aliases: [] })], 'is used twice'],
    [
      [unit(), unit({ id: 'finance', name: '县财政局', fullName: '平罗县财政局', aliases: ['县审批局'] })],
      'also belongs to unit "approval"',
    ],
    [[unit({ kind: 'department' as UnitKind })], 'kind "department" is not one of'],
    [[unit({ name: ' ' })], 'name is empty'],
  ])('reports %#', (units, message) => {
    expect(validateUnitRegistry(units).join('\n')).toContain(message);
  });
});
