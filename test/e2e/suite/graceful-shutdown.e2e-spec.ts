import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { ClientRequest, IncomingMessage, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { Backend, BACKENDS } from '../../support/backends';
import { freePort } from '../../support/free-port';
import { createScratchDatabase } from '../../support/mysql';
import { migrate } from '../../support/test-app';
import {
  createDestination,
  Destination,
  DESTINATION_KINDS,
  eventually,
} from '../artifact-proxy/artifact-support';

const ROOT = join(__dirname, '..', '..', '..');
const SUITE_MAIN = join(ROOT, 'dist/apps/suite/apps/suite/src/main.js');
const BUILD_TIMEOUT_MS = 240_000;
const DEADLINE_SECONDS = 2;
/** Not a speed check: a process that ignored its deadline would hang far longer than this. */
const EXIT_BOUND_MS = (DEADLINE_SECONDS + 20) * 1000;
const TEMP_NAME = /\.upload-[0-9a-f]{16}$/;

interface Suite {
  process: ChildProcess;
  port: number;
  output: string[];
}

async function startSuite(env: Record<string, string>): Promise<Suite> {
  const port = await freePort();
  const child = spawn(process.execPath, [SUITE_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      SHUTDOWN_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  for (let attempt = 0; attempt < 150 && child.exitCode === null; attempt++) {
    const healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { process: child, port, output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the suite did not become healthy:\n${output.join('')}`);
}

/** Its JSON log entries (every line must be one). */
function entries(suite: Suite): Record<string, unknown>[] {
  return suite.output
    .join('')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function api(suite: Suite, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${suite.port}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** A run's artifact directory in the proxy's path space. */
async function runPrefix(suite: Suite): Promise<string> {
  const experiment = await api(suite, 'experiments/create', { name: `shutdown-${Date.now()}` });
  const run = (await api(suite, 'runs/create', {
    experiment_id: experiment.experiment_id,
    user_id: 'e2e',
  })) as { run: { info: { run_id: string } } };
  return `${String(experiment.experiment_id)}/${run.run.info.run_id}/artifacts`;
}

/** A PUT whose body the test sends at 2 KB/s, chunk by chunk, for as long as it likes. */
interface SlowUpload {
  request: ClientRequest;
  response: Promise<IncomingMessage | Error>;
  sendChunk(): void;
  end(): void;
}

function slowUpload(suite: Suite, path: string): SlowUpload {
  const request = httpRequest({
    host: '127.0.0.1',
    port: suite.port,
    method: 'PUT',
    path: `/api/2.0/mlflow-artifacts/artifacts/${path}`,
    headers: { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' },
  });
  const response = new Promise<IncomingMessage | Error>((resolve) => {
    request.on('response', (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(res));
      res.on('error', resolve);
    });
    request.on('error', resolve);
  });
  return {
    request,
    response,
    sendChunk: () => request.write(Buffer.alloc(2048, 7)),
    end: () => request.end(),
  };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return Promise.race([
    once(child, 'exit').then(([code]) => code as number | null),
    new Promise<never>((_resolve, reject) =>
      setTimeout(() => reject(new Error('no exit within the bound')), EXIT_BOUND_MS).unref(),
    ),
  ]);
}

function shutdownSteps(suite: Suite): string[] {
  return entries(suite)
    .filter((entry) => entry.context === 'Shutdown')
    .map((entry) => String(entry.msg));
}

beforeAll(async () => {
  await promisify(execFile)('npx', ['nest', 'build', 'suite'], {
    cwd: ROOT,
    timeout: BUILD_TIMEOUT_MS,
  });
}, BUILD_TIMEOUT_MS + 10_000);

async function backendStore(
  backend: Backend,
  dir: string,
): Promise<{ uri: string; drop(): Promise<void> }> {
  if (backend === 'sqlite') {
    return { uri: `sqlite:///${join(dir, 'mlflow.db')}`, drop: async () => undefined };
  }
  const db = await createScratchDatabase('flops_shutdown');
  await migrate(db.uri);
  return db;
}

describe.each(BACKENDS)('graceful shutdown on %s', (backend) => {
  let dir: string;
  let store: { uri: string; drop(): Promise<void> };
  let suite: Suite | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flops-shutdown-'));
    store = await backendStore(backend, dir);
  });

  afterEach(async () => {
    if (suite && suite.process.exitCode === null) suite.process.kill('SIGKILL');
    suite = undefined;
    await store.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 at once with nothing in flight, logging each step', async () => {
    suite = await startSuite({
      BACKEND_STORE_URI: store.uri,
      ARTIFACTS_DESTINATION: `file:${join(dir, 'artifacts')}`,
    });
    suite.process.kill('SIGTERM');
    expect(await exitOf(suite.process)).toBe(0);
    expect(shutdownSteps(suite)).toEqual([
      `SIGTERM: no longer accepting connections; waiting up to ${DEADLINE_SECONDS} s for 0 in-flight requests`,
      'in-flight requests finished',
      'closed the backend and artifact stores and their pools',
      'exiting with 0',
    ]);
  });

  // One backend is enough for the remote stores: the shutdown path does not depend on it.
  const kinds = backend === BACKENDS[0] ? DESTINATION_KINDS : (['local'] as const);

  describe.each(kinds)('with a %s artifact store', (kind) => {
    let destination: Destination;

    beforeEach(async () => {
      const scratch = join(dir, 'destinations');
      mkdirSync(scratch, { recursive: true });
      destination = await createDestination(kind, scratch);
    });

    afterEach(async () => {
      await destination.dispose();
    });

    it('lets a short upload finish, aborts a stalled one at the deadline leaving no temp file, exits 1', async () => {
      suite = await startSuite({
        BACKEND_STORE_URI: store.uri,
        ARTIFACTS_DESTINATION: destination.uri,
      });
      const prefix = await runPrefix(suite);
      const stalled = slowUpload(suite, `${prefix}/stall.bin`);
      const short = slowUpload(suite, `${prefix}/short.bin`);
      stalled.sendChunk();
      short.sendChunk();
      // Both uploads are being written to temp names when the signal comes.
      expect(
        await eventually(
          async () => (await destination.walk()).filter((p) => TEMP_NAME.test(p)).length === 2,
        ),
      ).toBe(true);
      const ticker = setInterval(() => stalled.sendChunk(), 1000);
      try {
        suite.process.kill('SIGTERM');
        const signalled = suite;
        expect(await eventually(async () => shutdownSteps(signalled).length > 0)).toBe(true);
        // In flight before the signal, so it may finish within the deadline.
        short.sendChunk();
        short.end();
        const answer = await short.response;
        expect(answer).toBeInstanceOf(IncomingMessage);
        expect((answer as IncomingMessage).statusCode).toBe(200);

        expect(await exitOf(suite.process)).toBe(1);
      } finally {
        clearInterval(ticker);
        stalled.request.destroy();
      }
      // Its connection was cut: no answer.
      expect(await stalled.response).not.toBeInstanceOf(IncomingMessage);
      expect(shutdownSteps(suite)).toEqual([
        `SIGTERM: no longer accepting connections; waiting up to ${DEADLINE_SECONDS} s for 2 in-flight requests`,
        'deadline reached: aborting 1 requests',
        'aborted requests cleaned up',
        'closed the backend and artifact stores and their pools',
        'exiting with 1',
      ]);
      const left = await destination.walk();
      expect(left.filter((p) => TEMP_NAME.test(p))).toEqual([]);
      expect(left.filter((p) => p.endsWith('short.bin'))).toHaveLength(1);
      expect(left.filter((p) => p.endsWith('stall.bin'))).toEqual([]);
      // The aborted upload's access line says so, with its request id.
      expect(entries(suite)).toContainEqual(
        expect.objectContaining({
          msg: 'request aborted',
          method: 'PUT',
          route: '/api/2.0/mlflow-artifacts/artifacts/*',
          request_id: expect.any(String),
        }),
      );
    }, 60_000);
  });
});
