import { lookup } from 'node:dns/promises';
import { isAllowedHost, isIpAddress, isPrivateAddress } from '@county/domain';
import { DeliveryError } from './message';

/** getaddrinfo has no timeout of its own, and the send's fetch timeout starts only after the look-up. */
const DNS_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function refused(reason: string): DeliveryError {
  return new DeliveryError(`不允许发送到该地址：${reason}`, false, 'destination-refused');
}

/**
 * The send-time SSRF guard every HTTP channel passes before it connects. The configure-time check
 * (`validateChannelEndpoint`) cannot see what a name resolves to, and a name can be pointed at 127.0.0.1 or
 * the metadata service later, so here the name is resolved and every address it has must be public.
 *
 * Hosts on `allowedHosts` (`host` or `host:port`) skip the checks: that is how a county reaches its intranet OA
 * and how tests reach a local receiver. A remaining gap, accepted: fetch resolves the name again, so a DNS
 * answer that changes between the two look-ups (rebinding) is not caught; closing it needs a pinned-address agent.
 */
export async function assertSafeDestination(
  url: string,
  allowedHosts: readonly string[] = [],
  timeoutMs = DNS_TIMEOUT_MS,
): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refused('不是有效的网址');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw refused('只支持 https');
  if (parsed.username !== '' || parsed.password !== '') throw refused('地址不能包含用户名或密码');
  if (isAllowedHost(parsed, allowedHosts)) return parsed;
  if (parsed.protocol !== 'https:') throw refused('必须使用 https');
  const hostname = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIpAddress(hostname)) {
    if (isPrivateAddress(hostname)) throw refused('指向本机或内网');
    return parsed;
  }
  let addresses: { address: string }[];
  try {
    addresses = await withTimeout(lookup(hostname, { all: true, verbatim: true }), timeoutMs);
  } catch (error) {
    // A name that does not resolve now may resolve later (a DNS outage); the outbox gives up after its attempts.
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new DeliveryError(`无法解析域名 ${hostname}（${code}）`, true, 'dns-failed');
  }
  if (addresses.length === 0) throw new DeliveryError(`无法解析域名 ${hostname}`, true, 'dns-failed');
  if (addresses.some(({ address }) => isPrivateAddress(address))) throw refused(`${hostname} 解析到本机或内网地址`);
  return parsed;
}
