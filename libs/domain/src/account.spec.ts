import { accountChangeProblem, unknownRole, userAllowedActions } from './account';

const admin = { id: 'a1', roles: ['admin'], disabled: false };
const other = { id: 'a2', roles: ['admin', 'supervisor'], disabled: false };
const staff = { id: 's1', roles: ['staff'], disabled: false };

describe('unknownRole', () => {
  it('names the first role that is not known', () => {
    expect(unknownRole(['staff', 'head'])).toBeNull();
    expect(unknownRole(['staff', 'boss', 'king'])).toBe('boss');
  });
});

describe('accountChangeProblem', () => {
  it('refuses disabling yourself', () => {
    expect(accountChangeProblem({ userId: 'a1' }, admin, { roles: ['admin'], disabled: true }, 2)).toContain('自己');
  });
  it('refuses removing or disabling the last enabled admin', () => {
    expect(accountChangeProblem({ userId: 'a2' }, admin, { roles: ['staff'], disabled: false }, 1)).toContain('最后');
    expect(accountChangeProblem({ userId: 'a2' }, admin, { roles: ['admin'], disabled: true }, 1)).toContain('最后');
  });
  it('allows it while another admin remains, and any change to a non-admin', () => {
    expect(accountChangeProblem({ userId: 'a2' }, admin, { roles: ['staff'], disabled: false }, 2)).toBeNull();
    expect(accountChangeProblem({ userId: 'a1' }, staff, { roles: ['head'], disabled: true }, 1)).toBeNull();
    expect(
      accountChangeProblem({ userId: 'a1' }, admin, { roles: ['admin', 'leader'], disabled: false }, 1),
    ).toBeNull();
  });
});

describe('userAllowedActions', () => {
  it('offers nothing to a non-admin', () => {
    expect(userAllowedActions({ userId: 's1', roles: ['head'] }, staff, 2)).toEqual([]);
  });
  it('offers disable except for yourself and the last admin, enable for the disabled', () => {
    const actor = { userId: 'a1', roles: ['admin'] };
    expect(userAllowedActions(actor, staff, 1)).toEqual(['edit', 'reset-password', 'disable']);
    expect(userAllowedActions(actor, admin, 2)).toEqual(['edit', 'reset-password']);
    expect(userAllowedActions(actor, other, 2)).toEqual(['edit', 'reset-password', 'disable']);
    expect(userAllowedActions({ userId: 'a2', roles: ['admin'] }, admin, 1)).toEqual(['edit', 'reset-password']);
    expect(userAllowedActions(actor, { ...staff, disabled: true }, 1)).toEqual(['edit', 'reset-password', 'enable']);
  });
});
