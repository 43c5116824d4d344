import { Role, ROLES } from './user';

/** What an administrator can do with a user in 用户管理 (the items' allowedActions). */
export const USER_ITEM_ACTIONS = ['edit', 'disable', 'enable', 'reset-password'] as const;
export type UserItemAction = (typeof USER_ITEM_ACTIONS)[number];

/** Letters, digits and . _ - ; starts with a letter or digit (no spaces, so a name typed twice is one name). */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,79}$/;

export interface AccountState {
  id: string;
  roles: readonly string[];
  disabled: boolean;
}

/** The first role that is not one of ROLES, or null: an unknown role is refused, naming it. */
export function unknownRole(roles: readonly string[]): string | null {
  return roles.find((role) => !(ROLES as readonly string[]).includes(role)) ?? null;
}

/** Whether `account` counts as one of the enabled administrators that must never run out. */
export function isEnabledAdmin(account: Pick<AccountState, 'roles' | 'disabled'>): boolean {
  return !account.disabled && account.roles.includes(Role.Admin);
}

/**
 * Why `actor` may not change `target` to `next`, or null. An administrator may not disable themselves (they
 * would lock themselves out mid-task), and the last enabled administrator may not lose the role or be disabled
 * (nobody could administer the installation any more).
 */
export function accountChangeProblem(
  actor: { userId: string },
  target: AccountState,
  next: Pick<AccountState, 'roles' | 'disabled'>,
  enabledAdmins: number,
): string | null {
  if (next.disabled && !target.disabled && target.id === actor.userId) return '不能停用自己的账号';
  if (isEnabledAdmin(target) && !isEnabledAdmin(next) && enabledAdmins <= 1) {
    return '不能停用或撤销最后一位系统管理员';
  }
  return null;
}

/** What `actor` can do with `target` (only administrators administer users). */
export function userAllowedActions(
  actor: { userId: string; roles: readonly string[] },
  target: AccountState,
  enabledAdmins: number,
): UserItemAction[] {
  if (!actor.roles.includes(Role.Admin)) return [];
  const actions: UserItemAction[] = ['edit', 'reset-password'];
  if (target.disabled) actions.push('enable');
  else if (accountChangeProblem(actor, target, { roles: target.roles, disabled: true }, enabledAdmins) === null)
    actions.push('disable');
  return actions;
}
