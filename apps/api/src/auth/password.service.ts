import { Injectable } from '@nestjs/common';
import { hash, Options, parseOptions, verify } from '@node-rs/argon2';

/** argon2id (the enum is `const`, not usable across isolated modules; 2 is Algorithm.Argon2id). */
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;

/**
 * The parameters every new hash is made with: argon2id, 19 MiB, 2 passes, 1 lane (OWASP's first
 * recommendation). A stored hash made otherwise still verifies, and is replaced at the next login.
 */
export const PASSWORD_HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordService {
  /** A real hash of a random string, verified against when the username does not exist so timing does not reveal it. */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, PASSWORD_HASH_OPTIONS);
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash === undefined) {
      this.dummyHash ??= this.hash(`no-such-user-${Math.random()}`);
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return verify(passwordHash, password).catch(() => false);
  }

  /** Whether a stored hash was made with other parameters (or another algorithm) than new hashes are. */
  needsRehash(passwordHash: string): boolean {
    try {
      const options = parseOptions(passwordHash);
      return (
        options.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
        options.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
        options.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
        options.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
      );
    } catch {
      return true;
    }
  }
}
