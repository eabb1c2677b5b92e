import {
  CompactSign,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';

import { createJwtVerifier, JwtRejected, type JwtVerifier } from './jwt-verifier';

const issuer = 'https://idp.example';
const audience = 'mlflow';
const secret = 'a-shared-secret-of-at-least-32-bytes!';
const secretKey = new TextEncoder().encode(secret);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { iss: issuer, aud: audience, sub: 'alice', exp: nowSeconds() + 600, ...overrides };
}

function signHs256(payload: JWTPayload, key: Uint8Array = secretKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

async function rejection(verifier: JwtVerifier, token: string): Promise<JwtRejected> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(JwtRejected);
  const rejected = error as JwtRejected;
  if (token !== '') expect(rejected.message).not.toContain(token);
  return rejected;
}

describe(createJwtVerifier.name, () => {
  describe('with an HS256 secret', () => {
    let verifier: JwtVerifier;

    beforeAll(async () => {
      verifier = await createJwtVerifier({ issuer, audience, hs256Secret: secret });
    });

    it('returns the subject and the expiry of a valid token', async () => {
      const exp = nowSeconds() + 600;
      const token = await signHs256(claims({ exp }));
      await expect(verifier.verify(token)).resolves.toEqual({
        subject: 'alice',
        expiresAt: exp * 1000,
      });
    });

    it('refuses a token signed with another secret', async () => {
      const token = await signHs256(claims(), new TextEncoder().encode(`${secret}-other`));
      expect((await rejection(verifier, token)).message).toBe('The token signature is not valid.');
    });

    it('refuses an expired token', async () => {
      const token = await signHs256(claims({ exp: nowSeconds() - 60 }));
      expect((await rejection(verifier, token)).message).toBe('The token has expired.');
    });

    it('accepts a just-expired token within the clock tolerance', async () => {
      const tolerant = await createJwtVerifier({
        issuer,
        audience,
        hs256Secret: secret,
        clockToleranceSeconds: 120,
      });
      const token = await signHs256(claims({ exp: nowSeconds() - 60 }));
      await expect(tolerant.verify(token)).resolves.toMatchObject({ subject: 'alice' });
    });

    it('refuses a token for another audience or from another issuer', async () => {
      const otherAudience = await signHs256(claims({ aud: 'someone-else' }));
      const otherIssuer = await signHs256(claims({ iss: 'https://evil.example' }));
      expect((await rejection(verifier, otherAudience)).message).toBe(
        'The token was not issued for this server.',
      );
      expect((await rejection(verifier, otherIssuer)).message).toBe(
        'The token was not issued for this server.',
      );
    });

    it('refuses a token that is not valid yet', async () => {
      const token = await signHs256(claims({ nbf: nowSeconds() + 300 }));
      expect((await rejection(verifier, token)).message).toBe('The token is not valid yet.');
    });

    it('refuses a token without exp or without sub', async () => {
      const { exp: _exp, ...withoutExp } = claims();
      const { sub: _sub, ...withoutSub } = claims();
      expect((await rejection(verifier, await signHs256(withoutExp))).message).toBe(
        'The token lacks a required claim.',
      );
      expect((await rejection(verifier, await signHs256(withoutSub))).message).toBe(
        'The token lacks a required claim.',
      );
    });

    it('refuses an unsigned token (alg none)', async () => {
      const token = new UnsecuredJWT(claims()).encode();
      expect((await rejection(verifier, token)).message).toBe(
        'The token is not signed with an accepted algorithm.',
      );
    });

    it('refuses an asymmetric token', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'ES256' })
        .sign(privateKey);
      expect((await rejection(verifier, token)).message).toBe(
        'The token is not signed with an accepted algorithm.',
      );
    });

    it('refuses garbage as malformed', async () => {
      for (const token of ['', 'not-a-jwt', 'a.b.c', 'a.b.c.d.e']) {
        expect((await rejection(verifier, token)).message).toBe('The token is malformed.');
      }
    });

    it('refuses a correctly signed payload that is not a claims set', async () => {
      const token = await new CompactSign(new TextEncoder().encode('not json'))
        .setProtectedHeader({ alg: 'HS256' })
        .sign(secretKey);
      expect((await rejection(verifier, token)).message).toBe('The token is malformed.');
    });

    it('checks the signature before reading the payload', async () => {
      const token = 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln';
      expect((await rejection(verifier, token)).message).toBe('The token signature is not valid.');
    });
  });

  describe('with a public key PEM', () => {
    it('verifies RS256 tokens', async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const verifier = await createJwtVerifier({
        issuer,
        audience,
        publicKeyPem: await exportSPKI(publicKey),
      });
      const token = await new SignJWT(claims({ sub: 'bob' }))
        .setProtectedHeader({ alg: 'RS256' })
        .sign(privateKey);
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'bob' });
    });

    it('verifies ES256 tokens', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const verifier = await createJwtVerifier({
        issuer,
        audience,
        publicKeyPem: await exportSPKI(publicKey),
      });
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'ES256' })
        .sign(privateKey);
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'alice' });
    });

    it('refuses an RS256 token from another key', async () => {
      const { publicKey } = await generateKeyPair('RS256');
      const { privateKey: otherKey } = await generateKeyPair('RS256');
      const verifier = await createJwtVerifier({
        issuer,
        audience,
        publicKeyPem: await exportSPKI(publicKey),
      });
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(otherKey);
      expect((await rejection(verifier, token)).message).toBe('The token signature is not valid.');
    });

    it('refuses an HS256 token keyed with the public key text (algorithm confusion)', async () => {
      const { publicKey } = await generateKeyPair('RS256');
      const pem = await exportSPKI(publicKey);
      const verifier = await createJwtVerifier({ issuer, audience, publicKeyPem: pem });
      const token = await signHs256(claims(), new TextEncoder().encode(pem));
      expect((await rejection(verifier, token)).message).toBe(
        'The token is not signed with an accepted algorithm.',
      );
    });
  });

  describe('with a JWKS', () => {
    it('verifies ES256 tokens by key id and refuses unknown keys', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const { privateKey: strangerKey } = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      const verifier = await createJwtVerifier({ issuer, audience, jwks: { keys: [jwk] } });

      const token = await new SignJWT(claims({ sub: 'carol' }))
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .sign(privateKey);
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'carol' });

      const stranger = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
        .sign(strangerKey);
      expect((await rejection(verifier, stranger)).message).toBe(
        'The token was signed with an unknown key.',
      );
    });

    it('refuses HS256 tokens even when the set holds a symmetric key', async () => {
      const jwk = { ...(await exportJWK(secretKey)), kid: 'oct' };
      const verifier = await createJwtVerifier({ issuer, audience, jwks: { keys: [jwk] } });
      const token = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', kid: 'oct' })
        .sign(secretKey);
      expect((await rejection(verifier, token)).message).toBe(
        'The token is not signed with an accepted algorithm.',
      );
    });
  });

  describe('options', () => {
    it('needs exactly one key source', async () => {
      await expect(createJwtVerifier({ issuer, audience })).rejects.toThrow(
        'exactly one of hs256Secret, publicKeyPem and jwks; 0 were given',
      );
      await expect(
        createJwtVerifier({ issuer, audience, hs256Secret: secret, jwks: { keys: [] } }),
      ).rejects.toThrow('exactly one of hs256Secret, publicKeyPem and jwks; 2 were given');
    });

    it('needs an issuer and an audience', async () => {
      await expect(
        createJwtVerifier({ issuer: '', audience, hs256Secret: secret }),
      ).rejects.toThrow('needs an issuer');
      await expect(
        createJwtVerifier({ issuer, audience: '', hs256Secret: secret }),
      ).rejects.toThrow('needs an audience');
    });

    it('refuses a short secret, a bad PEM, an unsupported key and a bad JWKS', async () => {
      await expect(createJwtVerifier({ issuer, audience, hs256Secret: 'short' })).rejects.toThrow(
        'at least 32 bytes',
      );
      await expect(
        createJwtVerifier({ issuer, audience, publicKeyPem: 'not a pem' }),
      ).rejects.toThrow('not a PEM public key');
      const { publicKey: edKey } = await generateKeyPair('EdDSA');
      await expect(
        createJwtVerifier({ issuer, audience, publicKeyPem: await exportSPKI(edKey) }),
      ).rejects.toThrow('must be an RSA key (RS256) or a P-256 key (ES256)');
      await expect(
        createJwtVerifier({ issuer, audience, jwks: { keys: 'nope' } as unknown as { keys: [] } }),
      ).rejects.toThrow('not a JSON Web Key Set');
    });

    it('refuses a negative clock tolerance', async () => {
      await expect(
        createJwtVerifier({ issuer, audience, hs256Secret: secret, clockToleranceSeconds: -1 }),
      ).rejects.toThrow('clock tolerance');
    });
  });
});
