import { hash } from '@node-rs/argon2';
import { PasswordService } from './password.service';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  it('hashes with argon2id and the current parameters, and verifies', async () => {
    const stored = await passwords.hash('河湖长制-台账-2027');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(passwords.needsRehash(stored)).toBe(false);
    await expect(passwords.verify(stored, '河湖长制-台账-2027')).resolves.toBe(true);
    await expect(passwords.verify(stored, '河湖长制-台账-2028')).resolves.toBe(false);
  });

  it('still verifies a hash made with older parameters or argon2i, and says it needs a new one', async () => {
    const older = await hash('an older password', { algorithm: 1, memoryCost: 4096, timeCost: 3 } as never);
    expect(older).toMatch(/^\$argon2i\$/);
    await expect(passwords.verify(older, 'an older password')).resolves.toBe(true);
    expect(passwords.needsRehash(older)).toBe(true);
    const weaker = await hash('another password', { memoryCost: 4096 });
    expect(passwords.needsRehash(weaker)).toBe(true);
  });

  it('refuses what is not a hash without throwing', async () => {
    await expect(passwords.verify('not-a-hash', 'x')).resolves.toBe(false);
    expect(passwords.needsRehash('not-a-hash')).toBe(true);
    await expect(passwords.verify(undefined, 'x')).resolves.toBe(false);
  });
});
