import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import request from 'supertest';

import { freePort } from '../../support/free-port';
import { createScratchDatabase } from '../../support/mysql';
import { migrate } from '../../support/test-app';
import { RegistryClient, registryClient } from './registry-fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const TRACKING_MAIN = join(ROOT, 'dist/apps/tracking/apps/tracking/src/main.js');
const REGISTRY_MAIN = join(ROOT, 'dist/apps/model-registry/apps/model-registry/src/main.js');
const BUILD_TIMEOUT_MS = 240_000;

interface Service {
  process: ChildProcess;
  url: string;
  output: string[];
}

async function start(main: string, backendStoreUri: string): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      ...process.env,
      BACKEND_STORE_URI: backendStoreUri,
      // Tracking and the registry on their own name where artifacts are (split-deployment.e2e-spec).
      ARTIFACTS_DESTINATION: `file:${join(tmpdir(), 'flops-two-process-artifacts')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) break;
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) {
      // The startup line is written after listen(), so it can trail the first answer.
      for (let wait = 0; wait < 20 && !output.join('').includes('\n'); wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { process: child, url, output };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${main} did not become healthy:\n${output.join('')}`);
}

async function stop(service: Service | undefined): Promise<void> {
  if (!service || service.process.exitCode !== null) return;
  const exited = once(service.process, 'exit');
  service.process.kill('SIGTERM');
  await exited;
}

/**
 * The tracking service and the registry as two processes over one MariaDB database: an MLflow
 * client with MLFLOW_TRACKING_URI on one and MLFLOW_REGISTRY_URI on the other.
 */
describe('tracking and model registry as two processes over one MariaDB', () => {
  let database: { uri: string; drop: () => Promise<void> };
  let tracking: Service | undefined;
  let registry: Service | undefined;
  let trackingApi: RegistryClient;
  let registryApi: RegistryClient;

  beforeAll(
    async () => {
      const build = promisify(execFile);
      for (const app of ['tracking', 'model-registry']) {
        await build('npx', ['nest', 'build', app], { cwd: ROOT, timeout: BUILD_TIMEOUT_MS });
      }
      database = await createScratchDatabase('flops_two_process');
      await migrate(database.uri);
      [tracking, registry] = await Promise.all([
        start(TRACKING_MAIN, database.uri),
        start(REGISTRY_MAIN, database.uri),
      ]);
      trackingApi = registryClient(request(tracking.url));
      registryApi = registryClient(request(registry.url));
    },
    2 * BUILD_TIMEOUT_MS + 60_000,
  );

  afterAll(async () => {
    await Promise.all([stop(tracking), stop(registry)]);
    await database?.drop();
  });

  /** An experiment and a run through the tracking URL. */
  async function createRun(): Promise<{ runId: string; artifactUri: string }> {
    const experiment = await trackingApi.post('experiments/create', {
      name: `two-process-${randomBytes(4).toString('hex')}`,
    });
    expect(experiment.status).toBe(200);
    const run = await trackingApi.post('runs/create', {
      experiment_id: experiment.body.experiment_id,
      user_id: 'golden',
      start_time: 1732600960000,
    });
    expect(run.status).toBe(200);
    return { runId: run.body.run.info.run_id, artifactUri: run.body.run.info.artifact_uri };
  }

  it('boots each process with one uncoloured JSON startup line and nothing else but access lines', () => {
    for (const service of [tracking!, registry!]) {
      const lines = service.output.join('').trimEnd().split('\n');
      // The startup line, then only the access lines of the readiness probes this test sent.
      const [startup, ...rest] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const access of rest) {
        expect(access).toMatchObject({ msg: 'request completed', route: '/health', status: 200 });
      }
      expect(startup.level).toBe('info');
      expect(startup.msg).toMatch(
        /^version \d+\.\d+\.\d+, listening on http:\/\/127\.0\.0\.1:\d+ \(Swagger UI at \/docs\); backend store mysql:\/\/\*\*\*@\S+; artifacts \S+$/,
      );
      expect(lines[0]).not.toContain('\x1b[');
    }
  });

  it('registers a version of a run created through the tracking process', async () => {
    const run = await createRun();
    expect(
      (await registryApi.post('registered-models/create', { name: 'two-process' })).status,
    ).toBe(200);
    const created = await registryApi.post('model-versions/create', {
      name: 'two-process',
      source: `${run.artifactUri}/model`,
      run_id: run.runId,
    });
    expect(created.status).toBe(200);
    expect(created.body.model_version).toMatchObject({
      version: '1',
      status: 'READY',
      run_id: run.runId,
    });
    const uri = await registryApi.get('model-versions/get-download-uri', {
      name: 'two-process',
      version: '1',
    });
    expect(uri.body).toEqual({ artifact_uri: `${run.artifactUri}/model` });

    // A run_id naming no run in the shared store is recorded as given, as MLflow does.
    const unknownRun = await registryApi.post('model-versions/create', {
      name: 'two-process',
      source: `${run.artifactUri}/model`,
      run_id: '0123456789abcdef0123456789abcdef',
    });
    expect([unknownRun.status, unknownRun.body.model_version?.version]).toEqual([200, '2']);
  });

  it('numbers concurrent creates through the registry process consecutively', async () => {
    const run = await createRun();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        registryApi.post('model-versions/create', {
          name: 'two-process',
          source: `runs:/${run.runId}/model`,
        }),
      ),
    );
    const numbers = responses
      .map((r) => Number(r.body.model_version?.version))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => i + 3));
  });

  it('serves registry routes only on the registry, tracking routes only on tracking', async () => {
    for (const res of [
      await trackingApi.post('registered-models/create', { name: 'nope' }),
      await trackingApi.get('registered-models/get', { name: 'two-process' }),
      await trackingApi.get('model-versions/get', { name: 'two-process', version: '1' }),
      await registryApi.post('experiments/create', { name: 'nope' }),
      await registryApi.get('experiments/get', { experiment_id: '0' }),
      await registryApi.post('runs/create', { experiment_id: '0' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    }
    expect((await trackingApi.get('experiments/get', { experiment_id: '0' })).status).toBe(200);
    expect((await registryApi.get('registered-models/get', { name: 'two-process' })).status).toBe(
      200,
    );
  });
});
