import { field, newDeadlineProblem, requestProblem } from './request-rules';

const NOW = Date.parse('2027-03-01T00:00:00Z');
const actor = { userId: '0b0f6c1e-5f6a-4c1e-9d3a-2b7c8d9e0f11', unitId: 'finance', roles: ['staff'] };

describe('new deadlines', () => {
  it.each([
    ['2027-06-30T23:59:59+08:00', null],
    ['2027-02-28T23:59:59+08:00', 'must lie in the future'],
    ['2020-01-01T00:00:00Z', 'must lie in the future'],
    ['2032-02-28T00:00:00Z', null],
    ['2032-03-02T00:00:00Z', 'must lie within 5 years from now'],
    ['9999-12-31T23:59:59Z', 'must lie within 5 years from now'],
    ['2027-06-30', 'must be an ISO-8601 instant with a time zone'],
    ['tomorrow', 'must be an ISO-8601 instant with a time zone'],
    ['2027-13-45T00:00:00Z', 'must be an ISO-8601 instant with a time zone'],
  ])('%s → %s', (dueAt, problem) => {
    expect(newDeadlineProblem(dueAt, NOW)).toBe(problem);
  });
});

describe('request shapes (what a workflow update accepts)', () => {
  const shape = {
    actor: field.actor(),
    note: field.text('progressNote'),
    percent: field.integer(0, 100),
    comment: field.optionalText('note'),
    evidence: field.texts('evidenceItem', 2),
    rating: field.oneOf(['satisfied', 'dissatisfied'], false),
    dueAt: field.deadline(false),
  };
  const valid = { actor, note: '已完成', percent: 40, evidence: [] };
  const actingFor = {
    delegationId: '0b0f6c1e-5f6a-4c1e-9d3a-2b7c8d9e0f12',
    headUserId: '0b0f6c1e-5f6a-4c1e-9d3a-2b7c8d9e0f13',
    headName: '县财政局负责人',
    deputyName: '县财政局工作人员',
  };

  it('accepts a well-formed request', () => {
    expect(requestProblem(valid, shape, NOW)).toBeNull();
    expect(requestProblem({ ...valid, rating: 'satisfied', dueAt: '2027-04-01T00:00:00Z' }, shape, NOW)).toBeNull();
    // The actor of a unit that absorbed others (机构改革) names them.
    expect(requestProblem({ ...valid, actor: { ...actor, mergedUnitIds: ['civil-affairs'] } }, shape, NOW)).toBeNull();
    // 委派: a deputy's sign-off names the head it is made for.
    expect(requestProblem({ ...valid, actor: { ...actor, actingFor } }, shape, NOW)).toBeNull();
  });

  it.each([
    [{ ...valid, note: 'a\u0000b' }, 'note: 不得含有 NUL 字符（U+0000）'],
    [{ ...valid, actor: { ...actor, userId: '\ud800' } }, 'actor.userId: 须为有效的 Unicode 文本'],
    [{ ...valid, note: 'x'.repeat(5001) }, 'note: must be at most 5000 characters'],
    [{ ...valid, note: '   ' }, 'note: must contain text'],
    [{ ...valid, percent: 101 }, 'percent: must be from 0 to 100'],
    [{ ...valid, percent: '40' }, 'percent: must be a whole number'],
    [{ ...valid, evidence: ['a', 'b', 'c'] }, 'evidence: must have at most 2 entries'],
    [{ ...valid, evidence: ['  '] }, 'evidence: [0] must contain text'],
    [{ ...valid, rating: 'great' }, 'rating: must be one of satisfied, dissatisfied'],
    [{ ...valid, dueAt: '2020-01-01T00:00:00Z' }, 'dueAt: must lie in the future'],
    [{ ...valid, status: 'approved' }, 'status: unknown field'],
    [{ ...valid, actor: { ...actor, userId: 'u1' } }, 'actor: must name a user (a UUID)'],
    [{ ...valid, actor: { ...actor, unitId: 'Finance Bureau' } }, 'actor: must name a unit'],
    [{ ...valid, actor: { ...actor, roles: ['root'] } }, 'actor: roles must be a list of'],
    [{ ...valid, actor: { ...actor, admin: true } }, 'actor: admin: unknown field'],
    [
      { ...valid, actor: { ...actor, mergedUnitIds: 'civil-affairs' } },
      'actor: mergedUnitIds must be a list of unit ids',
    ],
    [{ ...valid, actor: { ...actor, mergedUnitIds: ['Civil Affairs'] } }, 'actor: mergedUnitIds must be a list'],
    [{ note: 'x', percent: 1, evidence: [] }, 'actor: is required'],
    [{ ...valid, actor: { ...actor, actingFor: { ...actingFor, headUserId: 'x' } } }, 'actingFor.headUserId: must be'],
    [{ ...valid, actor: { ...actor, actingFor: { ...actingFor, headName: '' } } }, 'actingFor.headName: must be'],
    [{ ...valid, actor: { ...actor, actingFor: { ...actingFor, roles: ['head'] } } }, 'actingFor.roles: unknown'],
    [{ ...valid, actor: { ...actor, actingFor: 'head' } }, 'actingFor: must be an object'],
    ['a string', 'request: must be an object'],
  ])('refuses %j', (request, problem) => {
    expect(requestProblem(request, shape, NOW)).toEqual(expect.stringContaining(problem));
  });

  it('lets an optional list be left out, and checks it when it is given', () => {
    const edit = { actor: field.actor(), measures: field.optionalTexts('taskItem', 2) };
    expect(requestProblem({ actor }, edit, NOW)).toBeNull();
    expect(requestProblem({ actor, measures: ['1.制定方案'] }, edit, NOW)).toBeNull();
    expect(requestProblem({ actor, measures: '1.制定方案' }, edit, NOW)).toBe('measures: must be a list');
    expect(requestProblem({ actor, measures: ['a', 'b', 'c'] }, edit, NOW)).toBe(
      'measures: must have at most 2 entries',
    );
  });

  it('takes a unit id only as the registry stores one (at most 40 characters)', () => {
    const shape = { unitId: field.unitId() };
    expect(requestProblem({ unitId: 'market-regulation' }, shape, NOW)).toBeNull();
    for (const unitId of ['x'.repeat(41), 'Finance', '', 42]) {
      expect(requestProblem({ unitId }, shape, NOW)).toBe('unitId: must be a unit id');
    }
  });
});
