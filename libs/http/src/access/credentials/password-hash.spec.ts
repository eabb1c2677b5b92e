import {
  DUMMY_PASSWORD_HASH,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from './password-hash';

describe(hashPassword.name, () => {
  it('writes a self-describing scrypt encoding with the current parameters', async () => {
    const encoded = await hashPassword('correct horse');
    expect(encoded).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });

  it('salts every hash, so two hashes of one password differ', async () => {
    const [first, second] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(first).not.toBe(second);
    await expect(verifyPassword('same', first)).resolves.toBe(true);
    await expect(verifyPassword('same', second)).resolves.toBe(true);
  });
});

describe(verifyPassword.name, () => {
  let encoded: string;

  beforeAll(async () => {
    encoded = await hashPassword('s3cret-påss');
  });

  it('accepts the password that was hashed', async () => {
    await expect(verifyPassword('s3cret-påss', encoded)).resolves.toBe(true);
  });

  it('accepts the same password in another Unicode normal form', async () => {
    await expect(verifyPassword('s3cret-pa\u030ass', encoded)).resolves.toBe(true);
  });

  it('refuses a wrong password', async () => {
    await expect(verifyPassword('s3cret-pass', encoded)).resolves.toBe(false);
    await expect(verifyPassword('', encoded)).resolves.toBe(false);
  });

  it('returns false for malformed or absurd encodings instead of throwing', async () => {
    const [, , , , salt, key] = encoded.split('$');
    const malformed = [
      '',
      'not-a-hash',
      `bcrypt$32768$8$3$${salt}$${key}`,
      `scrypt$32768$8$3$${salt}`,
      `scrypt$32768$8$3$${salt}$${key}$extra`,
      `scrypt$30000$8$3$${salt}$${key}`,
      `scrypt$8192$8$3$${salt}$${key}`,
      `scrypt$2097152$8$3$${salt}$${key}`,
      `scrypt$32768$0$3$${salt}$${key}`,
      `scrypt$32768$33$3$${salt}$${key}`,
      `scrypt$32768$8$0$${salt}$${key}`,
      `scrypt$32768$8$17$${salt}$${key}`,
      `scrypt$032768$8$3$${salt}$${key}`,
      `scrypt$32768.0$8$3$${salt}$${key}`,
      `scrypt$32768$8$3$$${key}`,
      `scrypt$32768$8$3$${salt}$`,
      `scrypt$32768$8$3$${salt}$${key}=`,
      `scrypt$32768$8$3$${salt}$${key.slice(0, 10)}`,
      `scrypt$32768$8$3$${salt}$${key}${key}${key}`,
    ];
    for (const candidate of malformed) {
      await expect(verifyPassword('s3cret-påss', candidate)).resolves.toBe(false);
    }
  });

  it('reads the parameters from the encoding rather than assuming the current ones', async () => {
    const [, , , , salt, key] = encoded.split('$');
    await expect(verifyPassword('s3cret-påss', `scrypt$32768$8$3$${salt}$${key}`)).resolves.toBe(
      true,
    );
    await expect(verifyPassword('s3cret-påss', `scrypt$16384$8$3$${salt}$${key}`)).resolves.toBe(
      false,
    );
  });
});

describe(verifyAgainstDummy.name, () => {
  it('is a well-formed hash with the current parameters', () => {
    expect(DUMMY_PASSWORD_HASH.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '3']);
  });

  it('always answers false', async () => {
    await expect(verifyAgainstDummy('anything')).resolves.toBe(false);
    await expect(verifyAgainstDummy('')).resolves.toBe(false);
  });
});
