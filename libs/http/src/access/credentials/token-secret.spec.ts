import {
  looksLikeJwt,
  looksLikeTokenSecret,
  newTokenSecret,
  TOKEN_SECRET_PREFIX,
  tokenSecretHash,
} from './token-secret';

describe(newTokenSecret.name, () => {
  it('is the prefix followed by 32 bytes of base64url', () => {
    const secret = newTokenSecret();
    expect(secret.startsWith(TOKEN_SECRET_PREFIX)).toBe(true);
    const body = secret.slice(TOKEN_SECRET_PREFIX.length);
    expect(body).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(body, 'base64url')).toHaveLength(32);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => newTokenSecret()));
    expect(secrets.size).toBe(100);
  });

  it('is recognised by looksLikeTokenSecret', () => {
    expect(looksLikeTokenSecret(newTokenSecret())).toBe(true);
  });
});

describe(tokenSecretHash.name, () => {
  it('is the sha256 of the secret in lower-case hex', () => {
    expect(tokenSecretHash('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('is stable for one secret and differs between secrets', () => {
    const secret = newTokenSecret();
    expect(tokenSecretHash(secret)).toBe(tokenSecretHash(secret));
    expect(tokenSecretHash(secret)).not.toBe(tokenSecretHash(newTokenSecret()));
  });
});

describe(looksLikeTokenSecret.name, () => {
  it('refuses a wrong prefix, length or alphabet', () => {
    const body = newTokenSecret().slice(TOKEN_SECRET_PREFIX.length);
    expect(looksLikeTokenSecret(body)).toBe(false);
    expect(looksLikeTokenSecret(`mlsK_${body}`)).toBe(false);
    expect(looksLikeTokenSecret(`mlsk_${body.slice(1)}`)).toBe(false);
    expect(looksLikeTokenSecret(`mlsk_${body}A`)).toBe(false);
    expect(looksLikeTokenSecret(`mlsk_${body.slice(1)}+`)).toBe(false);
    expect(looksLikeTokenSecret(`mlsk_${body.slice(1)}=`)).toBe(false);
    expect(looksLikeTokenSecret(` mlsk_${body}`)).toBe(false);
  });
});

describe(looksLikeJwt.name, () => {
  it('accepts three base64url segments, the last possibly empty', () => {
    expect(looksLikeJwt('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln-_')).toBe(true);
    expect(looksLikeJwt('eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.')).toBe(true);
  });

  it('refuses anything else', () => {
    expect(looksLikeJwt(newTokenSecret())).toBe(false);
    expect(looksLikeJwt('a.b')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
    expect(looksLikeJwt('.b.c')).toBe(false);
    expect(looksLikeJwt('a..c')).toBe(false);
    expect(looksLikeJwt('a.b+.c')).toBe(false);
    expect(looksLikeJwt('a.b.c=')).toBe(false);
    expect(looksLikeJwt('Bearer a.b.c')).toBe(false);
  });
});
