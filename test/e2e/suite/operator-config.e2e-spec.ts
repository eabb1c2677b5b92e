import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';

import { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createArtifactStore } from '@app/artifact-store';
import { artifactStoreSettings, loadEnv, ServerEnv } from '@app/config';
import { bootstrapMlflowService } from '@app/http';

import { SUITE_SERVICE } from '../../../apps/suite/src/suite.module';
import { freePort } from '../../support/free-port';

const SFTP_KEY =
  process.env.TEST_SFTP_KEY ?? resolve(__dirname, '../../../.test-services/sshd/client_ed25519');
const SFTP_ROOT = '/home/flopsftp/artifacts';

/** The test server's host key as ssh-keygen prints it: `SHA256:<base64>`. */
function serverHostKeyPin(): string {
  const scanned = execFileSync('ssh-keyscan', ['-t', 'ed25519', '-p', '2222', '127.0.0.1'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const listed = execFileSync('ssh-keygen', ['-lf', '-'], { input: scanned, encoding: 'utf8' });
  const pin = /SHA256:[A-Za-z0-9+/]{43}/.exec(listed)?.[0];
  if (!pin) throw new Error(`no fingerprint in ${listed}`);
  return pin;
}

describe('SFTP key authentication and host-key pinning from the environment', () => {
  function storeFor(env: NodeJS.ProcessEnv) {
    const destination = `sftp://flopsftp@127.0.0.1:2222${SFTP_ROOT}/e2e-key-${randomBytes(4).toString('hex')}`;
    const settings = artifactStoreSettings(
      loadEnv(ServerEnv, { ARTIFACTS_DESTINATION: destination, ...env }),
      'serves-artifacts',
    );
    return createArtifactStore(settings.destination, settings.storeOptions);
  }

  it('signs in with SFTP_PRIVATE_KEY_FILE (no password anywhere) to the pinned server', async () => {
    const store = storeFor({
      SFTP_PRIVATE_KEY_FILE: SFTP_KEY,
      SFTP_HOST_KEY_SHA256: serverHostKeyPin(),
    });
    try {
      await store.write('model/MLmodel', Readable.from([Buffer.from('flavors: {}\n')]));
      const chunks: Buffer[] = [];
      for await (const chunk of await store.openRead('model/MLmodel')) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('flavors: {}\n');
      await store.delete('model');
      expect(await store.list('')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses a server whose host key is not the pinned one, saying so', async () => {
    const wrong = `SHA256:${Buffer.alloc(32, 1).toString('base64').replace(/=+$/, '')}`;
    expect(wrong).not.toBe(serverHostKeyPin());
    const store = storeFor({ SFTP_PRIVATE_KEY_FILE: SFTP_KEY, SFTP_HOST_KEY_SHA256: wrong });
    try {
      await expect(
        store.write('refused.txt', Readable.from([Buffer.from('x')])),
      ).rejects.toMatchObject({
        code: 'TEMPORARILY_UNAVAILABLE',
        message: 'Artifact store unavailable: host key rejected',
      });
    } finally {
      await store.close();
    }
  });
});

describe('HTTP settings from the environment', () => {
  let written: string[] = [];

  async function withSuite(
    env: NodeJS.ProcessEnv,
    run: (url: string) => Promise<void>,
  ): Promise<void> {
    written = [];
    const port = await freePort();
    const quiet = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      }),
    );
    let app: NestFastifyApplication | undefined;
    try {
      app = await bootstrapMlflowService(SUITE_SERVICE, {
        BACKEND_STORE_URI: 'sqlite:///:memory:',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      });
      await run(`http://127.0.0.1:${port}`);
    } finally {
      await app?.close();
      quiet.forEach((spy) => spy.mockRestore());
    }
  }

  const PREFLIGHT = {
    method: 'OPTIONS',
    headers: {
      Origin: 'https://ui.example.org',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  };

  it('sends no CORS headers by default', async () => {
    await withSuite({}, async (url) => {
      const preflight = await fetch(`${url}/api/2.0/mlflow/experiments/create`, PREFLIGHT);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const get = await fetch(`${url}/health`, { headers: { Origin: 'https://ui.example.org' } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('allows exactly the CORS_ORIGINS, preflights included', async () => {
    await withSuite(
      { CORS_ORIGINS: 'https://ui.example.org, http://localhost:3000' },
      async (url) => {
        const preflight = await fetch(`${url}/api/2.0/mlflow/experiments/create`, PREFLIGHT);
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe('https://ui.example.org');
        expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
        expect(preflight.headers.get('access-control-allow-headers')).toMatch(
          /Authorization.*Content-Type/,
        );
        const allowed = await fetch(`${url}/api/2.0/mlflow/experiments/search?max_results=1`, {
          headers: { Origin: 'http://localhost:3000' },
        });
        expect(allowed.status).toBe(200);
        expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
        expect(allowed.headers.get('vary')).toContain('Origin');
        const other = await fetch(`${url}/api/2.0/mlflow/experiments/create`, {
          ...PREFLIGHT,
          headers: { ...PREFLIGHT.headers, Origin: 'https://evil.example.com' },
        });
        expect(other.headers.get('access-control-allow-origin')).toBeNull();
      },
    );
  });

  it('refuses a JSON body over JSON_BODY_LIMIT_BYTES with 413 and takes one under it', async () => {
    await withSuite({ JSON_BODY_LIMIT_BYTES: '2048' }, async (url) => {
      const post = (padding: string) =>
        fetch(`${url}/api/2.0/mlflow/experiments/create`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            name: `limit-${padding.length}`,
            tags: [{ key: 'padding', value: padding }],
          }),
        });
      const tooLarge = await post('x'.repeat(3000));
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toEqual({
        error_code: 'INVALID_PARAMETER_VALUE',
        message: 'Request body is too large.',
      });
      const fits = await post('y'.repeat(1500));
      expect(fits.status).toBe(200);
    });
  });

  it('returns the caller’s X-Request-Id when it is a sane token, else a new one', async () => {
    await withSuite({}, async (url) => {
      const id = (header?: string) =>
        fetch(`${url}/health`, {
          headers: header === undefined ? {} : { 'X-Request-Id': header },
        }).then((r) => r.headers.get('x-request-id'));
      expect(await id('flops-round.7:abc_DEF-1')).toBe('flops-round.7:abc_DEF-1');
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      expect(await id()).toMatch(uuid);
      expect(await id('has spaces in it')).toMatch(uuid);
      expect(await id('x'.repeat(129))).toMatch(uuid);
      expect(await id('x'.repeat(128))).toBe('x'.repeat(128));
    });
  });

  it('logs the signed-in caller on the access line, never the credentials or the query', async () => {
    const password = 'Correct-Horse-Battery-9';
    await withSuite(
      { AUTH_MODE: 'basic', AUTH_ADMIN_USERNAME: 'operator', AUTH_ADMIN_PASSWORD: password },
      async (url) => {
        const response = await fetch(
          `${url}/api/2.0/mlflow/experiments/search?max_results=1&token=Sup3rSecretToken`,
          {
            headers: {
              Authorization: `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`,
              'X-Request-Id': 'access-line-1',
            },
          },
        );
        expect(response.status).toBe(200);
      },
    );
    const lines = written.join('').trimEnd().split('\n');
    const access = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.request_id === 'access-line-1');
    expect(access).toEqual({
      level: 'info',
      time: expect.any(String),
      pid: process.pid,
      hostname: expect.any(String),
      request_id: 'access-line-1',
      msg: 'request completed',
      method: 'GET',
      route: '/api/2.0/mlflow/experiments/search',
      status: 200,
      duration_ms: expect.any(Number),
      bytes_out: expect.any(Number),
      user: 'operator',
    });
    const output = written.join('');
    expect(output).not.toMatch(/Sup3rSecretToken|Correct-Horse|Basic /);
  });
});
