import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bootstrapMlflowService, MlflowService, runMlflowService } from '@app/http';

import { ARTIFACT_PROXY_SERVICE } from '../../../apps/artifact-proxy/src/artifact-proxy-app.module';
import { MODEL_REGISTRY_SERVICE } from '../../../apps/model-registry/src/model-registry-app.module';
import { SUITE_SERVICE } from '../../../apps/suite/src/suite.module';
import { TRACKING_SERVICE } from '../../../apps/tracking/src/tracking-app.module';
import { BACKENDS } from '../../support/backends';
import { freePort } from '../../support/free-port';
import { createScratchDatabase } from '../../support/mysql';
import { migrate } from '../../support/test-app';

/** A closed port: the boot's readiness check finds it unreachable and says so, once. */
const FTP_DESTINATION = 'ftp://flops:Sup3rSecret@127.0.0.1:1/artifacts';

/**
 * Boots the service as its main.ts does, with stdout and stderr captured and stdout not a
 * terminal (as under a container runtime or `> boot.log`), and returns what it printed.
 */
async function bootOutput(service: MlflowService, backendStoreUri: string): Promise<string> {
  const port = await freePort();
  const written: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    }),
  );
  const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: undefined, configurable: true });
  try {
    const app = await bootstrapMlflowService(service, {
      HOST: '127.0.0.1',
      PORT: String(port),
      BACKEND_STORE_URI: backendStoreUri,
      MIGRATE_ON_START: 'false',
      ARTIFACTS_DESTINATION: FTP_DESTINATION,
    });
    try {
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await health.text()).toBe('OK');
    } finally {
      await app.close();
    }
  } finally {
    if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
    spies.forEach((spy) => spy.mockRestore());
  }
  return written.join('');
}

describe.each(BACKENDS)('the startup line on %s', (backend) => {
  let backendStoreUri: string;
  let cleanUp: () => Promise<void>;

  beforeAll(async () => {
    if (backend === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'flops-boot-'));
      backendStoreUri = `sqlite:///${join(dir, 'mlflow.db')}`;
      cleanUp = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const db = await createScratchDatabase('flops_boot');
      backendStoreUri = db.uri;
      cleanUp = db.drop;
    }
    await migrate(backendStoreUri);
  });

  afterAll(async () => {
    await cleanUp();
  });

  it.each([SUITE_SERVICE, TRACKING_SERVICE, MODEL_REGISTRY_SERVICE, ARTIFACT_PROXY_SERVICE])(
    '$name prints one uncoloured JSON startup line naming its address and redacted stores, after the unreachable store',
    async (service) => {
      const output = await bootOutput(service, backendStoreUri);
      const lines = output.trimEnd().split('\n');
      // The unreachable store, the startup line, then the access line of the /health probe.
      expect(lines).toHaveLength(3);
      const [readiness, startup, access] = lines.map(
        (line) => JSON.parse(line) as Record<string, unknown>,
      );
      expect(readiness).toMatchObject({
        level: 'error',
        context: 'Readiness',
        msg: expect.stringMatching(
          /^Artifact store ftp:\/\/\*\*\*@127\.0\.0\.1:1\/artifacts is unreachable: Artifact store unavailable: connection refused; not ready until it answers$/,
        ),
      });
      expect(startup).toEqual({
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        pid: process.pid,
        hostname: expect.any(String),
        context: service.name,
        msg: expect.stringMatching(
          new RegExp(
            `^version \\d+\\.\\d+\\.\\d+, listening on http://127\\.0\\.0\\.1:\\d+ \\(Swagger UI at /docs\\); ` +
              `backend store (sqlite:///\\S+|mysql://\\*\\*\\*@\\S+); ` +
              `artifacts ftp://\\*\\*\\*@127\\.0\\.0\\.1:1/artifacts$`,
          ),
        ),
      });
      expect(access).toMatchObject({
        level: 'info',
        msg: 'request completed',
        request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        method: 'GET',
        route: '/health',
        status: 200,
      });
      expect(output).not.toContain('\x1b[');
      expect(output).not.toContain('Sup3rSecret');
      expect(output).not.toMatch(/Mapped|RoutesResolver|InstanceLoader|Duplicate DTO/);
    },
  );
});

describe('a service started with a bad environment', () => {
  async function failedBoot(
    env: NodeJS.ProcessEnv,
  ): Promise<{ output: string; exitCode: unknown }> {
    const written: string[] = [];
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      }),
    );
    const before = process.exitCode;
    try {
      await runMlflowService(SUITE_SERVICE, { BACKEND_STORE_URI: 'sqlite:///:memory:', ...env });
      return { output: written.join(''), exitCode: process.exitCode };
    } finally {
      process.exitCode = before;
      spies.forEach((spy) => spy.mockRestore());
    }
  }

  it('prints one JSON line with one reason per bad variable, no stack trace, and exits 1', async () => {
    const { output, exitCode } = await failedBoot({ PORT: 'abc', DB_POOL_SIZE: '0' });
    expect(output.endsWith('\n')).toBe(true);
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(output)).toEqual({
      level: 'fatal',
      time: expect.any(String),
      pid: process.pid,
      hostname: expect.any(String),
      context: 'FLOps MLOps suite',
      msg: 'Invalid configuration',
      problems: ['PORT must be an integer number', 'DB_POOL_SIZE must not be less than 1'],
    });
    expect(exitCode).toBe(1);
  });

  it('logs any other boot failure on one line with its cause and stack as fields', async () => {
    const { output, exitCode } = await failedBoot({
      ARTIFACTS_DESTINATION: 'gopher://u:Sup3rSecret@h/x',
    });
    // Nest's ExceptionHandler logs it too: each entry is one JSON line, ours the last.
    const entries = output
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.at(-1)).toMatchObject({
      level: 'fatal',
      context: 'FLOps MLOps suite',
      msg: 'Boot failed',
      err: {
        type: 'Error',
        message: expect.stringContaining("Unsupported artifact destination scheme 'gopher'"),
        stack: expect.stringContaining('\n    at '),
      },
    });
    expect(output).not.toContain('Sup3rSecret');
    expect(exitCode).toBe(1);
  });

  it('refuses an empty HOST instead of listening on every interface', async () => {
    const { output, exitCode } = await failedBoot({ HOST: '' });
    expect(output).toContain('HOST must not be empty (use 0.0.0.0 to listen on every interface)');
    expect(exitCode).toBe(1);
  });

  it('never prints the value of a bad variable', async () => {
    const { output } = await failedBoot({ BACKEND_STORE_URI: 'postgres://u:S3cretPw@db/x' });
    expect(output).toContain('BACKEND_STORE_URI');
    expect(output).not.toContain('S3cretPw');
  });
});

describe('OpenAPI servers', () => {
  async function servers(env: NodeJS.ProcessEnv): Promise<unknown> {
    const port = await freePort();
    const quiet = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation(() => true),
    );
    try {
      const app = await bootstrapMlflowService(SUITE_SERVICE, {
        BACKEND_STORE_URI: 'sqlite:///:memory:',
        HOST: '127.0.0.1',
        PORT: String(port),
        ...env,
      });
      try {
        const document = (await (await fetch(`http://127.0.0.1:${port}/docs-json`)).json()) as {
          servers: unknown;
        };
        return document.servers;
      } finally {
        await app.close();
      }
    } finally {
      quiet.forEach((spy) => spy.mockRestore());
    }
  }

  it('names the listen address, or PUBLIC_URL when the service sits behind a proxy', async () => {
    expect(await servers({})).toEqual([
      { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), description: 'This service' },
    ]);
    expect(await servers({ PUBLIC_URL: 'https://mlops.example.org/tracking' })).toEqual([
      { url: 'https://mlops.example.org/tracking', description: 'This service' },
    ]);
  });
});
