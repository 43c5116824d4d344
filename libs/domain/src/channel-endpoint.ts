/**
 * Whether a notification channel's address and secret may be saved (the configure-time check; libs/notify checks
 * again at send time, after DNS, because a name can start pointing elsewhere later).
 */

import { isIpAddress, isPrivateAddress } from './private-address';

export const CHANNEL_KINDS = ['wecom', 'dingtalk', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelEndpoint {
  kind: ChannelKind;
  url: string;
  secret?: string | null;
}

export interface ChannelEndpointProblem {
  field: 'url' | 'secret';
  /** Chinese, shown next to the field. */
  message: string;
}

export const CHANNEL_URL_MAX_LENGTH = 2000;
export const CHANNEL_SECRET_MAX_LENGTH = 200;
export const WEBHOOK_SECRET_MIN_LENGTH = 16;

/** The only hosts a robot of each kind posts to; a look-alike host would receive the county's messages. */
const ROBOT_HOSTS: Partial<Record<ChannelKind, { host: string; name: string }>> = {
  wecom: { host: 'qyapi.weixin.qq.com', name: '企业微信机器人' },
  dingtalk: { host: 'oapi.dingtalk.com', name: '钉钉机器人' },
};

/** Visible ASCII only: a space or a non-ASCII character in a secret is lost or changed by some receivers. */
const VISIBLE_ASCII = /^[\x21-\x7e]*$/;

/**
 * Whether a URL's host is on the admin's allow list (entries are `host` or `host:port`, compared without case).
 * This is how a county lets a channel reach its intranet OA, and how tests reach a local receiver.
 */
export function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
  const entries = new Set(allowedHosts.map((entry) => entry.trim().toLowerCase()));
  return entries.has(url.host.toLowerCase()) || entries.has(url.hostname.toLowerCase());
}

function urlProblem(kind: ChannelKind, text: string, allowedHosts: readonly string[]): string | null {
  if (typeof text !== 'string' || text.trim() === '') return '请填写地址';
  if (text.length > CHANNEL_URL_MAX_LENGTH) return `地址不能超过 ${CHANNEL_URL_MAX_LENGTH} 个字符`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return '地址不是有效的网址';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return '地址必须以 https:// 开头';
  // Credentials in a URL end up in logs and in the console's channel list.
  if (url.username !== '' || url.password !== '') return '地址不能包含用户名或密码';
  if (isAllowedHost(url, allowedHosts)) return null;
  if (url.protocol !== 'https:') return '地址必须使用 https://（内网地址须由管理员加入允许的主机）';
  const hostname = url.hostname.toLowerCase();
  if (hostname === 'localhost' || hostname.endsWith('.localhost'))
    return '地址不能指向本机（内网地址须由管理员加入允许的主机）';
  if (isIpAddress(hostname) && isPrivateAddress(hostname))
    return '地址不能指向本机或内网（内网地址须由管理员加入允许的主机）';
  const robot = ROBOT_HOSTS[kind];
  if (robot && hostname !== robot.host) return `${robot.name}的地址必须是 https://${robot.host}/ 开头`;
  return null;
}

function secretProblem(kind: ChannelKind, secret: string | null | undefined): string | null {
  const given = secret !== undefined && secret !== null && secret !== '';
  if (given && typeof secret !== 'string') return '密钥必须是文字';
  switch (kind) {
    case 'wecom':
      return given ? '企业微信机器人不使用密钥，请留空' : null;
    case 'dingtalk':
      if (!given) return null;
      if (!secret.startsWith('SEC')) return '钉钉机器人的加签密钥以 SEC 开头';
      if (secret.length > CHANNEL_SECRET_MAX_LENGTH) return `密钥不能超过 ${CHANNEL_SECRET_MAX_LENGTH} 个字符`;
      if (!VISIBLE_ASCII.test(secret)) return '密钥只能包含英文字母、数字和符号（不含空格）';
      return null;
    case 'webhook':
      if (!given) return '请填写签名密钥（接收方用它核对 X-Signature）';
      if (secret.length < WEBHOOK_SECRET_MIN_LENGTH) return `密钥至少 ${WEBHOOK_SECRET_MIN_LENGTH} 个字符`;
      if (secret.length > CHANNEL_SECRET_MAX_LENGTH) return `密钥不能超过 ${CHANNEL_SECRET_MAX_LENGTH} 个字符`;
      if (!VISIBLE_ASCII.test(secret)) return '密钥只能包含英文字母、数字和符号（不含空格）';
      return null;
    default: {
      const unknown: never = kind;
      return `未知的渠道类型：${String(unknown)}`;
    }
  }
}

/**
 * The first problem with a channel's address or secret, or null when it may be saved. `allowedHosts` is the
 * deployment's allow list (host or host:port): an allowed host may use http, a private address or any path.
 */
export function validateChannelEndpoint(
  endpoint: ChannelEndpoint,
  allowedHosts: readonly string[],
): ChannelEndpointProblem | null {
  if (!(CHANNEL_KINDS as readonly string[]).includes(endpoint.kind))
    return { field: 'url', message: `未知的渠道类型：${String(endpoint.kind)}` };
  const url = urlProblem(endpoint.kind, endpoint.url, allowedHosts);
  if (url) return { field: 'url', message: url };
  const secret = secretProblem(endpoint.kind, endpoint.secret);
  if (secret) return { field: 'secret', message: secret };
  return null;
}

/** NOTIFY_ALLOWED_HOSTS as the API and the worker read it: comma-separated `host` or `host:port`, any case. */
export function parseAllowedHosts(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}
