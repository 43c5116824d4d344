import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * What the SSO login keeps between GET /auth/oidc/login and the callback: the state, the nonce and the PKCE
 * verifier. It lives in the browser that started the login, in a cookie encrypted and authenticated with a key
 * only the API has (AES-256-GCM), so any API instance can finish the login, nothing is stored server-side, and a
 * callback from any other browser (login CSRF: a victim fed an attacker's code) has no cookie to match.
 */
export interface OidcLoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Epoch milliseconds after which the login must be started again. */
  expiresAt: number;
}

export const OIDC_COOKIE = 'county_oidc';
/** Ten minutes to log in at the provider. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;

export function sealChecks(checks: OidcLoginChecks, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(checks), 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

/** The checks in a cookie value this API sealed and that has not expired; undefined for anything else. */
export function openChecks(value: string | undefined, key: Buffer, now = Date.now()): OidcLoginChecks | undefined {
  if (!value) return undefined;
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [iv, tag, sealed] = parts.map((part) => Buffer.from(part, 'base64url'));
    if (iv.length !== 12 || tag.length !== 16) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
    const checks = JSON.parse(text) as Partial<OidcLoginChecks>;
    if (
      typeof checks.state !== 'string' ||
      typeof checks.nonce !== 'string' ||
      typeof checks.codeVerifier !== 'string' ||
      typeof checks.expiresAt !== 'number' ||
      checks.expiresAt < now
    ) {
      return undefined;
    }
    return checks as OidcLoginChecks;
  } catch {
    return undefined;
  }
}

/** One cookie's value from a Cookie header (no cookie plugin: this is the API's only cookie). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

export function setCookieHeader(
  value: string,
  options: { path: string; secure: boolean; maxAgeSeconds: number },
): string {
  return [
    `${OIDC_COOKIE}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    // Lax: the browser comes back from the provider by a top-level navigation to the console.
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
