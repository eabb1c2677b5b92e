import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { Backend, BACKENDS } from '../../support/backends';
import { freePort } from '../../support/free-port';
import { createScratchDatabase } from '../../support/mysql';
import { ADMIN_AUTHORIZATION, AUTH_ENV, basicAuth } from '../../support/tenants';
import { migrate } from '../../support/test-app';
import { createDestination, Destination } from '../artifact-proxy/artifact-support';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = {
  tracking: join(ROOT, 'dist/apps/tracking/apps/tracking/src/main.js'),
  registry: join(ROOT, 'dist/apps/model-registry/apps/model-registry/src/main.js'),
  proxy: join(ROOT, 'dist/apps/artifact-proxy/apps/artifact-proxy/src/main.js'),
};
const BUILD_TIMEOUT_MS = 240_000;

interface Service {
  process: ChildProcess;
  url: string;
  output: string[];
}

function spawnService(main: string, env: Record<string, string>): ChildProcess {
  // Only what the test sets: no artifact setting of the outer environment leaks in.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(ARTIFACT|AUTH_|DEFAULT_ARTIFACT)/.test(k)),
  );
  return spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { ...inherited, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function start(main: string, port: number, env: Record<string, string>): Promise<Service> {
  const child = spawnService(main, { ...env, PORT: String(port) });
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
    if (healthy) return { process: child, url, output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${main} did not become healthy:\n${output.join('')}`);
}

async function stop(service: Service | undefined): Promise<void> {
  // A service stopped by SIGTERM exits by the signal: exitCode stays null.
  if (!service || service.process.exitCode !== null || service.process.signalCode !== null) {
    return;
  }
  const exited = once(service.process, 'exit');
  service.process.kill('SIGTERM');
  await exited;
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
  bytes: Buffer;
}

async function call(
  method: string,
  url: string,
  authorization: string,
  body?: Buffer | Record<string, unknown>,
): Promise<Answer> {
  const isJson = body !== undefined && !Buffer.isBuffer(body);
  const response = await fetch(url, {
    method,
    headers: {
      authorization,
      ...(isJson ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : isJson ? JSON.stringify(body) : body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    // a file's bytes
  }
  return { status: response.status, json, bytes };
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

describe('split deployment: tracking and registry reach artifacts only through the proxy', () => {
  beforeAll(async () => {
    const build = promisify(execFile);
    for (const app of ['tracking', 'model-registry', 'artifact-proxy']) {
      await build('npx', ['nest', 'build', app], { cwd: ROOT, timeout: BUILD_TIMEOUT_MS });
    }
  }, 3 * BUILD_TIMEOUT_MS);

  it('refuses to boot tracking with neither ARTIFACT_PROXY_URL nor ARTIFACTS_DESTINATION, naming both', async () => {
    const child = spawnService(MAIN.tracking, {
      PORT: String(await freePort()),
      BACKEND_STORE_URI: `sqlite:///${join(tmpdir(), `flops-split-refused-${randomBytes(4).toString('hex')}.db`)}`,
    });
    const output: string[] = [];
    // The boot failure is a JSON log line (stdout); Nest may repeat it on stderr.
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(output.join('')).toMatch(
      /DEFAULT_ARTIFACT_ROOT mlflow-artifacts:\/ is served by the artifact proxy, so this service needs ARTIFACT_PROXY_URL .* or ARTIFACTS_DESTINATION/,
    );
  });

  describe.each(BACKENDS)('over %s', (backend: Backend) => {
    let workDir: string;
    let dropDatabase: () => Promise<void> = async () => undefined;
    let destination: Destination;
    let proxy: Service | undefined;
    let tracking: Service | undefined;
    let registry: Service | undefined;
    let proxyPort: number;
    let alice: string;
    let bob: string;
    let run: { experimentId: string; runId: string; artifactUri: string };
    const suffix = randomBytes(3).toString('hex');
    const mlmodel = Buffer.from('artifact_path: model\nflavors: {}\n');
    // Larger than every stream buffer on the way, so it crosses each hop in several chunks.
    const weights = randomBytes(3 * 1024 * 1024 + 17);

    const api = (service: Service | undefined, path: string): string =>
      `${service!.url}/api/2.0/mlflow/${path}`;
    const proxyFile = (path: string): string =>
      `http://127.0.0.1:${proxyPort}/api/2.0/mlflow-artifacts/artifacts/${path}`;

    beforeAll(async () => {
      workDir = mkdtempSync(join(tmpdir(), 'flops-split-'));
      let backendStoreUri: string;
      if (backend === 'mysql') {
        const database = await createScratchDatabase('flops_split');
        backendStoreUri = database.uri;
        dropDatabase = database.drop;
      } else {
        backendStoreUri = `sqlite:///${join(workDir, 'mlflow.db')}`;
      }
      await migrate(backendStoreUri);
      // The proxy's destination is a subfolder of the real vsftpd's of its own.
      destination = await createDestination('ftp', workDir);
      proxyPort = await freePort();
      const common = { ...AUTH_ENV, BACKEND_STORE_URI: backendStoreUri, MIGRATE_ON_START: '0' };
      proxy = await start(MAIN.proxy, proxyPort, {
        ...common,
        ARTIFACTS_DESTINATION: destination.uri,
      });
      // Both forms of the default root: mlflow-artifacts:/ and one naming the proxy.
      const defaultRoot =
        backend === 'mysql' ? `mlflow-artifacts://127.0.0.1:${proxyPort}/` : 'mlflow-artifacts:/';
      const client = {
        ...common,
        ARTIFACT_PROXY_URL: `http://127.0.0.1:${proxyPort}`,
        ARTIFACT_PROXY_TIMEOUT_SECONDS: '10',
        DEFAULT_ARTIFACT_ROOT: defaultRoot,
      };
      tracking = await start(MAIN.tracking, await freePort(), client);
      registry = await start(MAIN.registry, await freePort(), client);

      const users: string[] = [];
      for (const name of [`alice${suffix}`, `bob${suffix}`]) {
        const password = `Pw-${randomBytes(12).toString('base64url')}-9x`;
        const created = await call('POST', api(tracking, 'users/create'), ADMIN_AUTHORIZATION, {
          username: name,
          password,
        });
        expect(created.status).toBe(200);
        users.push(basicAuth(name, password));
      }
      [alice, bob] = users;

      const experiment = await call('POST', api(tracking, 'experiments/create'), alice, {
        name: `split-${suffix}`,
      });
      expect(experiment.status).toBe(200);
      const created = await call('POST', api(tracking, 'runs/create'), alice, {
        experiment_id: experiment.json.experiment_id,
        start_time: 1732600960000,
      });
      expect(created.status).toBe(200);
      const info = (created.json.run as { info: { run_id: string; artifact_uri: string } }).info;
      run = {
        experimentId: String(experiment.json.experiment_id),
        runId: info.run_id,
        artifactUri: info.artifact_uri,
      };
      expect(run.artifactUri).toBe(`${defaultRoot}${run.experimentId}/${run.runId}/artifacts`);
    }, 120_000);

    afterAll(async () => {
      await Promise.all([stop(tracking), stop(registry), stop(proxy)]);
      await destination?.dispose();
      await dropDatabase();
      rmSync(workDir, { recursive: true, force: true });
    });

    const runPath = (rest: string): string => `${run.experimentId}/${run.runId}/artifacts/${rest}`;

    it('logs artifacts through the proxy onto FTP, in the owner partition', async () => {
      expect((await call('PUT', proxyFile(runPath('model/MLmodel')), alice, mlmodel)).status).toBe(
        200,
      );
      expect(
        (await call('PUT', proxyFile(runPath('model/data/weights.bin')), alice, weights)).status,
      ).toBe(200);
      const files = await destination.walk();
      expect(files).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            new RegExp(`^owners/\\d+/${run.experimentId}/${run.runId}/artifacts/model/MLmodel$`),
          ),
          expect.stringMatching(/\/artifacts\/model\/data\/weights\.bin$/),
        ]),
      );
    });

    it("lists and downloads the run's files through tracking", async () => {
      const root = await call(
        'GET',
        `${api(tracking, 'artifacts/list')}?${query({ run_id: run.runId })}`,
        alice,
      );
      expect(root.status).toBe(200);
      expect(root.json).toEqual({
        root_uri: run.artifactUri,
        files: [{ path: 'model', is_dir: true }],
      });
      const model = await call(
        'GET',
        `${api(tracking, 'artifacts/list')}?${query({ run_id: run.runId, path: 'model' })}`,
        alice,
      );
      expect(model.json).toEqual({
        root_uri: run.artifactUri,
        files: [
          { path: 'model/MLmodel', is_dir: false, file_size: mlmodel.length },
          { path: 'model/data', is_dir: true },
        ],
      });
      const file = await call(
        'GET',
        `${tracking!.url}/get-artifact?${query({ run_id: run.runId, path: 'model/data/weights.bin' })}`,
        alice,
      );
      expect(file.status).toBe(200);
      expect(file.bytes.equals(weights)).toBe(true);

      const missing = await call(
        'GET',
        `${tracking!.url}/get-artifact?${query({ run_id: run.runId, path: 'model/nope' })}`,
        alice,
      );
      expect([missing.status, missing.json.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    });

    it("lists and downloads a logged model's files through tracking", async () => {
      const created = await call('POST', api(tracking, 'logged-models'), alice, {
        experiment_id: run.experimentId,
        name: 'lm',
        source_run_id: run.runId,
      });
      expect(created.status).toBe(200);
      const info = (created.json.model as { info: { model_id: string; artifact_uri: string } })
        .info;
      const rootPath = info.artifact_uri.replace(/^mlflow-artifacts:(\/\/[^/]*)?\//, '');
      expect(rootPath).toBe(`${run.experimentId}/models/${info.model_id}/artifacts`);
      expect((await call('PUT', proxyFile(`${rootPath}/MLmodel`), alice, mlmodel)).status).toBe(
        200,
      );
      const listing = await call(
        'GET',
        `${api(tracking, `logged-models/${info.model_id}/artifacts/directories`)}`,
        alice,
      );
      expect(listing.json).toEqual({
        root_uri: info.artifact_uri,
        files: [{ path: 'MLmodel', is_dir: false, file_size: mlmodel.length }],
      });
      const file = await call(
        'GET',
        `${tracking!.url}/ajax-api/2.0/mlflow/logged-models/${info.model_id}/artifacts/files?${query({ artifact_file_path: 'MLmodel' })}`,
        alice,
      );
      expect([file.status, file.bytes.equals(mlmodel)]).toEqual([200, true]);
    });

    it("stores the UI's upload through the proxy", async () => {
      const note = Buffer.from(`note ${suffix}`);
      const uploaded = await call(
        'POST',
        `${tracking!.url}/ajax-api/2.0/mlflow/upload-artifact?${query({ run_uuid: run.runId, path: 'notes/n.txt' })}`,
        alice,
        note,
      );
      expect(uploaded.status).toBe(200);
      const back = await call('GET', proxyFile(runPath('notes/n.txt')), alice);
      expect([back.status, back.bytes.equals(note)]).toEqual([200, true]);
    });

    it('registers versions with both source forms and serves their files through the registry', async () => {
      const name = `split-model-${suffix}`;
      expect(
        (await call('POST', api(registry, 'registered-models/create'), alice, { name })).status,
      ).toBe(200);
      const sources = [
        `mlflow-artifacts:/${runPath('model')}`,
        `mlflow-artifacts://127.0.0.1:${proxyPort}/${runPath('model')}`,
      ];
      for (const [index, source] of sources.entries()) {
        const created = await call('POST', api(registry, 'model-versions/create'), alice, {
          name,
          source,
          run_id: run.runId,
        });
        expect(created.status).toBe(200);
        const version = String(index + 1);
        expect(created.json.model_version).toMatchObject({ version, source, status: 'READY' });
        const uri = await call(
          'GET',
          `${api(registry, 'model-versions/get-download-uri')}?${query({ name, version })}`,
          alice,
        );
        expect(uri.json).toEqual({ artifact_uri: source });
        for (const [path, bytes] of [
          ['MLmodel', mlmodel],
          ['data/weights.bin', weights],
        ] as const) {
          const file = await call(
            'GET',
            `${registry!.url}/model-versions/get-artifact?${query({ name, version, path })}`,
            alice,
          );
          expect([file.status, file.bytes.equals(bytes)]).toEqual([200, true]);
        }
      }
      const missing = await call(
        'GET',
        `${registry!.url}/model-versions/get-artifact?${query({ name, version: '1', path: 'nope' })}`,
        alice,
      );
      expect([missing.status, missing.json.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    });

    it("denies another user's paths at every service", async () => {
      const answers = [
        await call(
          'GET',
          `${api(tracking, 'artifacts/list')}?${query({ run_id: run.runId })}`,
          bob,
        ),
        await call(
          'GET',
          `${tracking!.url}/get-artifact?${query({ run_id: run.runId, path: 'model/MLmodel' })}`,
          bob,
        ),
        await call('GET', proxyFile(runPath('model/MLmodel')), bob),
        await call('PUT', proxyFile(runPath('model/MLmodel')), bob, Buffer.from('x')),
        await call(
          'GET',
          `${registry!.url}/model-versions/get-artifact?${query({ name: `split-model-${suffix}`, version: '1', path: 'MLmodel' })}`,
          bob,
        ),
      ];
      // Tenancy hides what a caller may not read: not found, as if it were not there.
      expect(answers.map((a) => [a.status, a.json.error_code])).toEqual(
        answers.map(() => [404, 'RESOURCE_DOES_NOT_EXIST']),
      );
      const unchanged = await call('GET', proxyFile(runPath('model/MLmodel')), alice);
      expect(unchanged.bytes.equals(mlmodel)).toBe(true);
    });

    it("keeps free paths in each caller's own namespace through the registry", async () => {
      const mine = { [alice]: Buffer.from(`alice ${suffix}`), [bob]: Buffer.from(`bob ${suffix}`) };
      for (const [who, name] of [
        [alice, `free-a-${suffix}`],
        [bob, `free-b-${suffix}`],
      ] as const) {
        expect((await call('PUT', proxyFile('shared/model/f.txt'), who, mine[who])).status).toBe(
          200,
        );
        expect(
          (await call('POST', api(registry, 'registered-models/create'), who, { name })).status,
        ).toBe(200);
        const created = await call('POST', api(registry, 'model-versions/create'), who, {
          name,
          source: 'mlflow-artifacts:/shared/model',
        });
        expect(created.status).toBe(200);
        const file = await call(
          'GET',
          `${registry!.url}/model-versions/get-artifact?${query({ name, version: '1', path: 'f.txt' })}`,
          who,
        );
        expect([file.status, file.bytes.toString()]).toEqual([200, mine[who].toString()]);
      }
    });

    it('answers 503 TEMPORARILY_UNAVAILABLE, not a hang or a 500, once the proxy is down', async () => {
      await stop(proxy);
      const listing = await call(
        'GET',
        `${api(tracking, 'artifacts/list')}?${query({ run_id: run.runId })}`,
        alice,
      );
      expect([listing.status, listing.json]).toEqual([
        503,
        {
          error_code: 'TEMPORARILY_UNAVAILABLE',
          message: 'The artifact proxy is unavailable; try again later.',
        },
      ]);
      const download = await call(
        'GET',
        `${registry!.url}/model-versions/get-artifact?${query({ name: `split-model-${suffix}`, version: '1', path: 'MLmodel' })}`,
        alice,
      );
      expect([download.status, download.json.error_code]).toEqual([503, 'TEMPORARILY_UNAVAILABLE']);
    });
  });
});
