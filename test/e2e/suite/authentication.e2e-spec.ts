import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

import { ConfigurationError } from '@app/config';
import { IdentityStore } from '@app/domain';
import { mlflowServiceModule } from '@app/http';

import { SUITE_SERVICE } from '../../../apps/suite/src/suite.module';
import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

const ADMIN = { username: 'root', password: 'an-Admin-passw0rd-here' };
const BASIC_ENV = {
  AUTH_MODE: 'basic',
  AUTH_ADMIN_USERNAME: ADMIN.username,
  AUTH_ADMIN_PASSWORD: ADMIN.password,
};
const JWT_SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const ISSUER = 'https://flops.example/management';
const AUDIENCE = 'flops-mlops-suite';

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

function jwt(
  claims: { sub?: string; iss?: string; aud?: string; expiresIn?: string | number } = {},
  key: Parameters<SignJWT['sign']>[0] = new TextEncoder().encode(JWT_SECRET),
  alg = 'HS256',
): Promise<string> {
  const builder = new SignJWT({})
    .setProtectedHeader({ alg })
    .setIssuedAt()
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setExpirationTime(claims.expiresIn ?? '5m');
  if (claims.sub !== '') builder.setSubject(claims.sub ?? 'customer-42');
  return builder.sign(key);
}

/** What fails the boot: checked before any module is built, each bad setting named, no value. */
describe('authentication settings at boot', () => {
  const refuse = (env: Record<string, string>) => {
    try {
      mlflowServiceModule(SUITE_SERVICE, { BACKEND_STORE_URI: 'sqlite:///unused.db', ...env });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('refuses AUTH_MODE=none beyond loopback unless ALLOW_UNAUTHENTICATED', () => {
    expect(refuse({ HOST: '0.0.0.0' })).toMatch(/AUTH_MODE none .* loopback only/);
    expect(() =>
      mlflowServiceModule(SUITE_SERVICE, { HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }),
    ).not.toThrow();
  });

  it('refuses a weak, empty or username-like first-admin password, without printing it', () => {
    for (const password of [
      '',
      'short',
      'password1234',
      'aaaaaaaaaaaaaaaa',
      'root-is-my-password',
    ]) {
      const message = refuse({
        AUTH_MODE: 'basic',
        AUTH_ADMIN_USERNAME: 'root',
        AUTH_ADMIN_PASSWORD: password,
      });
      expect(message).toMatch(/AUTH_ADMIN_PASSWORD is refused/);
      if (password.length > 4) expect(message).not.toContain(password);
    }
    expect(refuse({ AUTH_MODE: 'basic', AUTH_ADMIN_USERNAME: 'root' })).toMatch(
      /AUTH_ADMIN_PASSWORD \(or AUTH_ADMIN_PASSWORD_FILE\) is required/,
    );
  });

  it('refuses jwt mode without exactly one key, an issuer and an audience', () => {
    const message = refuse({ AUTH_MODE: 'jwt' });
    expect(message).toMatch(/AUTH_JWT_ISSUER is required/);
    expect(message).toMatch(/AUTH_JWT_AUDIENCE is required/);
    expect(message).toMatch(/exactly one key/);
    expect(
      refuse({
        AUTH_MODE: 'jwt',
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
        AUTH_JWT_SECRET: 'too-short',
      }),
    ).toMatch(/at least 32 bytes/);
  });

  it('does not start on an empty user table without a configured first admin', async () => {
    await expect(createTestApp('sqlite', { env: { AUTH_MODE: 'basic' } })).rejects.toThrow(
      /no user yet: set AUTH_ADMIN_USERNAME and AUTH_ADMIN_PASSWORD/,
    );
  });
});

describe.each(BACKENDS)('signing in on %s', (backend) => {
  describe('with users and tokens (AUTH_MODE=basic)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(backend, { env: BASIC_ENV });
    });

    afterAll(async () => {
      await t.close();
    });

    it('creates the first admin once, from the configuration', async () => {
      const users = await t.app.get(IdentityStore).listUsers();
      expect(users).toEqual([{ id: expect.any(Number), username: 'root', isAdmin: true }]);
      const res = await t.http
        .get('/api/2.0/mlflow/users/get')
        .query({ username: 'root' })
        .set('Authorization', basic(ADMIN.username, ADMIN.password));
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/);
    });

    it('answers 401 with both challenges to a missing, malformed or wrong credential, and serves /health and /docs to anyone', async () => {
      for (const authorization of [
        undefined,
        'Digest x',
        'Basic !!!',
        basic('root', 'wrong-password-1'),
        'Bearer mlsk_unknown',
        'Bearer a.b.c',
      ]) {
        const req = t.http.get('/api/2.0/mlflow/experiments/get').query({ experiment_id: '0' });
        const res = await (authorization ? req.set('Authorization', authorization) : req);
        expect([authorization, res.status, res.body.error_code]).toEqual([
          authorization,
          401,
          'UNAUTHENTICATED',
        ]);
        expect(res.headers['www-authenticate']).toContain('Basic realm="mlflow"');
        expect(res.headers['www-authenticate']).toContain('Bearer realm="mlflow"');
      }
      expect((await t.http.get('/health')).status).toBe(200);
      expect((await t.http.get('/docs-json')).status).toBe(200);
      expect((await t.http.get('/version')).status).toBe(401);
    });

    it('limits failed sign-ins per user with 429 and Retry-After, before any password check', async () => {
      const store = t.app.get(IdentityStore);
      await t.http
        .post('/api/2.0/mlflow/users/create')
        .set('Authorization', basic(ADMIN.username, ADMIN.password))
        .send({ username: 'target', password: 'the-Right-passw0rd' });
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let attempt = 0; attempt < 12; attempt++) {
        const res = await t.http
          .get('/api/2.0/mlflow/experiments/search')
          .query({ max_results: 1 })
          .set('Authorization', basic('target', `wrong-${attempt}-password`));
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers['retry-after'];
          expect(res.body.error_code).toBe('REQUEST_LIMIT_EXCEEDED');
        }
      }
      expect(statuses.slice(0, 10)).toEqual(new Array(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Even the right password waits: the limit is on the account, not on wrong guesses only.
      const right = await t.http
        .get('/api/2.0/mlflow/experiments/search')
        .query({ max_results: 1 })
        .set('Authorization', basic('target', 'the-Right-passw0rd'));
      expect(right.status).toBe(429);
      expect(await store.findUser('target')).not.toBeNull();
    });

    it('refuses workspaces (X-MLFLOW-WORKSPACE) as MLflow does with them off', async () => {
      const res = await t.http
        .get('/api/2.0/mlflow/experiments/search')
        .query({ max_results: 1 })
        .set('Authorization', basic(ADMIN.username, ADMIN.password))
        .set('X-MLFLOW-WORKSPACE', 'team-a');
      expect([res.status, res.body.error_code]).toEqual([400, 'FEATURE_DISABLED']);
    });
  });

  describe('with JWTs from the FLOps management (AUTH_MODE=jwt, HS256)', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(backend, {
        env: {
          ...BASIC_ENV,
          AUTH_MODE: 'jwt',
          AUTH_JWT_ISSUER: ISSUER,
          AUTH_JWT_AUDIENCE: AUDIENCE,
          AUTH_JWT_SECRET: JWT_SECRET,
        },
      });
    });

    afterAll(async () => {
      await t.close();
    });

    const createExperiment = (authorization: string, name: string) =>
      t.http
        .post('/api/2.0/mlflow/experiments/create')
        .set('Authorization', authorization)
        .send({ name });

    it("signs the subject in, creating its password-less user on first use, and keeps users' data apart", async () => {
      const token = await jwt({ sub: 'customer-42' });
      const created = await createExperiment(`Bearer ${token}`, 'FLOps Project jwt-1');
      expect(created.status).toBe(200);
      const user = await t.app.get(IdentityStore).findUser('customer-42');
      expect(user).toMatchObject({ isAdmin: false, passwordHash: null });

      const other = `Bearer ${await jwt({ sub: 'customer-7' })}`;
      const foreign = await t.http
        .get('/api/2.0/mlflow/experiments/get')
        .query({ experiment_id: created.body.experiment_id })
        .set('Authorization', other);
      expect([foreign.status, foreign.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
      const own = await t.http
        .get('/api/2.0/mlflow/experiments/get')
        .query({ experiment_id: created.body.experiment_id })
        .set('Authorization', `Bearer ${token}`);
      expect(own.status).toBe(200);
    });

    it('refuses a wrong key, an expired token, a wrong audience or issuer, no subject, and alg none', async () => {
      const cases: [string, string, RegExp][] = [
        [
          'wrong key',
          await jwt({}, new TextEncoder().encode('another-secret-of-at-least-32-bytes!!')),
          /signature/,
        ],
        ['expired', await jwt({ expiresIn: Math.floor(Date.now() / 1000) - 60 }), /expired/],
        ['wrong audience', await jwt({ aud: 'someone-else' }), /not issued for this server/],
        ['wrong issuer', await jwt({ iss: 'https://evil.example' }), /not issued for this server/],
        ['no subject', await jwt({ sub: '' }), /claim|subject/],
        [
          'alg none',
          `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
            JSON.stringify({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: 9_999_999_999 }),
          ).toString('base64url')}.`,
          /algorithm|malformed/,
        ],
      ];
      for (const [name, token, message] of cases) {
        const res = await createExperiment(`Bearer ${token}`, `FLOps Project ${name}`);
        expect([name, res.status, res.body.error_code]).toEqual([name, 401, 'UNAUTHENTICATED']);
        expect([name, res.body.message]).toEqual([name, expect.stringMatching(message)]);
        expect(res.body.message).not.toContain(token);
      }
      expect(await t.app.get(IdentityStore).findUser('admin')).toBeNull();
    });

    it('still accepts Basic credentials and API tokens', async () => {
      const res = await createExperiment(
        basic(ADMIN.username, ADMIN.password),
        'FLOps Project basic-in-jwt',
      );
      expect(res.status).toBe(200);
    });
  });
});

describe('JWTs signed with a public key (RS256 PEM, ES256 JWKS)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flops-jwt-'));

  it.each(['RS256', 'ES256'] as const)(
    'verifies %s tokens against the configured key only',
    async (alg) => {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const env: Record<string, string> = {
        ...BASIC_ENV,
        AUTH_MODE: 'jwt',
        AUTH_JWT_ISSUER: ISSUER,
        AUTH_JWT_AUDIENCE: AUDIENCE,
      };
      if (alg === 'RS256') {
        env.AUTH_JWT_PUBLIC_KEY_FILE = join(dir, 'key.pem');
        writeFileSync(env.AUTH_JWT_PUBLIC_KEY_FILE, await exportSPKI(publicKey));
      } else {
        env.AUTH_JWT_JWKS_FILE = join(dir, 'jwks.json');
        writeFileSync(
          env.AUTH_JWT_JWKS_FILE,
          JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg, kid: 'k1' }] }),
        );
      }
      const t = await createTestApp('sqlite', { env });
      try {
        const good = await new SignJWT({})
          .setProtectedHeader({ alg, kid: 'k1' })
          .setSubject('customer-pk')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(privateKey);
        const ok = await t.http
          .get('/api/2.0/mlflow/experiments/search')
          .query({ max_results: 1 })
          .set('Authorization', `Bearer ${good}`);
        expect(ok.status).toBe(200);
        const stranger = await generateKeyPair(alg);
        const forged = await new SignJWT({})
          .setProtectedHeader({ alg, kid: 'k1' })
          .setSubject('customer-pk')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(stranger.privateKey);
        const refused = await t.http
          .get('/api/2.0/mlflow/experiments/search')
          .query({ max_results: 1 })
          .set('Authorization', `Bearer ${forged}`);
        expect([refused.status, refused.body.error_code]).toEqual([401, 'UNAUTHENTICATED']);
        const hs = await jwt({ sub: 'customer-pk' });
        const wrongAlg = await t.http
          .get('/api/2.0/mlflow/experiments/search')
          .query({ max_results: 1 })
          .set('Authorization', `Bearer ${hs}`);
        expect(wrongAlg.status).toBe(401);
      } finally {
        await t.close();
      }
    },
  );
});
