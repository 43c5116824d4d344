/** Password rules (issue 14): one home, used by the API, the admin command and the console. */

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 hashes any length, but a 200-character cap keeps a login request from costing more than it should. */
export const PASSWORD_MAX_LENGTH = 200;

/**
 * A short list of passwords people choose first (common-password lists, plus the Chinese favourites);
 * compared case-insensitively. Only entries of at least PASSWORD_MIN_LENGTH characters matter, as shorter
 * ones fail the length rule anyway.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  [
    '1234567890',
    '0123456789',
    '12345678910',
    '123456789a',
    'a123456789',
    '1234567890a',
    '1qaz2wsx3edc',
    '1q2w3e4r5t',
    '1q2w3e4r5t6y',
    'qwertyuiop',
    'qwerty1234',
    'qwerty123456',
    'asdfghjkl1',
    'zxcvbnm123',
    'password12',
    'password123',
    'password1234',
    'passw0rd123',
    'p@ssw0rd123',
    'admin12345',
    'admin123456',
    'administrator',
    'iloveyou123',
    'woaini1314',
    'woaini5201314',
    '5201314520',
    '1314520521',
    'abc1234567',
    'abcd123456',
    'abcdefghij',
    'aaaaaaaaaa',
    '1111111111',
    '0000000000',
    '8888888888',
    '6666666666',
    '1234512345',
    '1122334455',
    '9876543210',
    'changeme123',
    'welcome123',
    'letmein123',
    'pingluo123',
    'pingluo-demo-2021',
  ].map((password) => password.toLowerCase()),
);

/**
 * Why `password` may not be the password of `username`, in Chinese for the person typing it, or null when it
 * is acceptable: at least PASSWORD_MIN_LENGTH characters, not the username (nor containing it), not a
 * common password, not one character repeated.
 */
export function passwordProblem(password: string, username: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符`;
  if (length > PASSWORD_MAX_LENGTH) return `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`;
  const lower = password.toLowerCase();
  const name = username.trim().toLowerCase();
  if (name && lower.includes(name)) return '密码不能包含用户名';
  if (COMMON_PASSWORDS.has(lower)) return '密码过于常见，请换一个';
  if (new Set(lower).size === 1) return '密码不能由同一个字符重复组成';
  return null;
}

/** Characters of a generated one-time password: no 0/O, 1/l/I, so it can be read out over the phone. */
const ONE_TIME_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const ONE_TIME_PASSWORD_LENGTH = 16;

/**
 * A one-time password from `randomBytes` (pass node:crypto's randomBytes; the domain does no I/O). Rejection
 * sampling keeps every character equally likely.
 */
export function oneTimePassword(randomBytes: (size: number) => Uint8Array): string {
  const limit = 256 - (256 % ONE_TIME_ALPHABET.length);
  let password = '';
  while (password.length < ONE_TIME_PASSWORD_LENGTH) {
    for (const byte of randomBytes(ONE_TIME_PASSWORD_LENGTH * 2)) {
      if (byte >= limit) continue;
      password += ONE_TIME_ALPHABET[byte % ONE_TIME_ALPHABET.length];
      if (password.length === ONE_TIME_PASSWORD_LENGTH) break;
    }
  }
  return password;
}
