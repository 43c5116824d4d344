import { unstorableTextProblem } from './storable-text';

/**
 * Single sign-on (统一身份认证): which registered user a person the identity provider vouches for is. The
 * provider's claims are matched to a username by one configured claim, exactly (after trimming), never by a
 * display name, and never by a claim that is not a plain string: a list or an object matches nobody.
 */
export type SsoMatch = { matched: true; username: string } | { matched: false; reason: string };

/** Longest username the registry stores (LoginRequest accepts 80 characters). */
const MAX_USERNAME_LENGTH = 80;

export function usernameFromClaims(claims: Record<string, unknown>, claim: string): SsoMatch {
  const value = claims[claim];
  if (typeof value !== 'string') {
    return { matched: false, reason: `统一身份认证未提供用于匹配账号的字段（${claim}），无法登录。` };
  }
  const username = value.trim();
  if (username === '' || username.length > MAX_USERNAME_LENGTH || unstorableTextProblem(username) !== null) {
    return { matched: false, reason: `统一身份认证提供的字段 ${claim} 不是有效的用户名，无法登录。` };
  }
  return { matched: true, username };
}

/** The name a user created at their first SSO gets: the provider's `name` when usable, else the username. */
export function displayNameFromClaims(claims: Record<string, unknown>, username: string): string {
  const name = typeof claims.name === 'string' ? claims.name.trim() : '';
  return name !== '' && name.length <= MAX_USERNAME_LENGTH && unstorableTextProblem(name) === null ? name : username;
}

/** Who may sign in by SSO: a registered user who is not disabled (the unknown and the disabled get these). */
export const SSO_REFUSALS = {
  unknown: (username: string) => `统一身份认证账号“${username}”未在本系统登记，不能登录。请联系系统管理员开通账号。`,
  disabled: (username: string) => `账号“${username}”已停用，不能登录。`,
  badState: '统一身份认证登录已失效或不是从本系统发起的，请返回登录页重新登录。',
  providerRefused: '统一身份认证未能完成登录，请返回登录页重新登录。',
  providerUnavailable: '统一身份认证平台暂时无法访问，请稍后重试或使用用户名密码登录。',
} as const;
