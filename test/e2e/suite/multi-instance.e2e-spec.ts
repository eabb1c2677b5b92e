import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';

import { createConnection } from 'mysql2/promise';

import { freePort } from '../../support/free-port';
import { createScratchDatabase } from '../../support/mysql';
import { migrate } from '../../support/test-app';
import {
  createDestination,
  Destination,
  eventually,
  MB,
  PROXY,
} from '../artifact-proxy/artifact-support';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = {
  tracking: join(ROOT, 'dist/apps/tracking/apps/tracking/src/main.js'),
  registry: join(ROOT, 'dist/apps/model-registry/apps/model-registry/src/main.js'),
  proxy: join(ROOT, 'dist/apps/artifact-proxy/apps/artifact-proxy/src/main.js'),
};
const BUILD_TIMEOUT_MS = 240_000;

interface Service {
  main: string;
  port: number;
  url: string;
  process: ChildProcess;
  output: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(main: string, env: Record<string, string>, port?: number): Promise<Service> {
  const listenPort = port ?? (await freePort());
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(listenPort), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = `http://127.0.0.1:${listenPort}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) break;
    const healthy = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return { main, port: listenPort, url, process: child, output };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${main} did not become healthy:\n${output.join('')}`);
}

async function kill(service: Service, signal: NodeJS.Signals): Promise<void> {
  if (service.process.exitCode !== null || service.process.signalCode !== null) return;
  const exited = once(service.process, 'exit');
  service.process.kill(signal);
  await exited;
}

interface Route {
  backend: number;
  requestBytes: number;
  responseBytes: number;
}

/**
 * Oakestra's round-robin service IP in miniature: each new connection goes to the next backend
 * in turn; a backend that refuses the connection is skipped, and a connection whose backend
 * dies is cut, as a client behind the real service IP sees it.
 */
class RoundRobinForwarder {
  readonly port: Promise<number>;
  /** Connections each backend accepted, and those it refused (a dead instance). */
  readonly accepted = new Map<number, number>();
  readonly refused = new Map<number, number>();
  private readonly live = new Set<Route>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private turn = 0;

  constructor(private readonly backends: number[]) {
    this.server = createServer((socket) => this.route(socket));
    this.server.listen(0, '127.0.0.1');
    this.port = once(this.server, 'listening').then(
      () => (this.server.address() as { port: number }).port,
    );
  }

  /** Live connections to `backend` that sent a request and have had no answer yet. */
  awaitingAnswer(backend: number): number {
    return [...this.live].filter(
      (r) => r.backend === backend && r.requestBytes > 0 && r.responseBytes === 0,
    ).length;
  }

  async close(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private route(client: Socket): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.pause();
    client.on('error', () => undefined);
    const first = this.turn++;
    const attempt = (offset: number): void => {
      if (offset === this.backends.length || client.destroyed) {
        client.destroy();
        return;
      }
      const backend = this.backends[(first + offset) % this.backends.length];
      const upstream = connect(backend, '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        this.accepted.set(backend, (this.accepted.get(backend) ?? 0) + 1);
        const route: Route = { backend, requestBytes: 0, responseBytes: 0 };
        this.live.add(route);
        client.on('data', (chunk: Buffer) => (route.requestBytes += chunk.length));
        upstream.on('data', (chunk: Buffer) => (route.responseBytes += chunk.length));
        upstream.once('close', () => {
          this.live.delete(route);
          client.destroy();
        });
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => {
        if (connected) return;
        this.refused.set(backend, (this.refused.get(backend) ?? 0) + 1);
        attempt(offset + 1);
      });
    };
    attempt(0);
  }
}

/** Parsed JSON, loosely typed like supertest's `body`: the tests check it with expect(). */
type Json = ReturnType<typeof JSON.parse>;

interface Answer {
  status: number;
  json: Json;
}

/** One request on a connection of its own, so the forwarder spreads requests, not just clients. */
function call(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent: false,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Json = {};
          try {
            json = JSON.parse(text);
          } catch {
            json = { text };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface RetryStats {
  connectionErrors: number;
  serverErrors: number;
}

/**
 * The MLflow client's rule (`_get_request_session`): retry on 429/5xx and on connection errors,
 * resending the same request after an exponential backoff.
 */
async function withRetry(
  send: () => Promise<Answer>,
  stats: RetryStats,
  backoffMs: number,
  attempts = 10,
): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    let retryable: boolean;
    try {
      const answer = await send();
      retryable = answer.status === 429 || answer.status >= 500;
      if (!retryable || attempt === attempts) return answer;
      stats.serverErrors++;
    } catch (error) {
      if (attempt === attempts) throw error;
      stats.connectionErrors++;
    }
    await sleep(Math.min(backoffMs * 2 ** (attempt - 1), 16_000));
  }
}

const CLIENTS = 8;
const BATCHES = 30;
const PER_BATCH = 50;
const T0 = 1_733_000_000_000;

function batchOf(client: number, batch: number) {
  return Array.from({ length: PER_BATCH }, (_, i) => {
    const step = batch * PER_BATCH + i;
    return { key: `loss_${client}`, value: client + step / 1000, timestamp: T0 + step, step };
  });
}

/** `data` as a request body in 256 KB chunks; `pause` (when given) holds the rest once 4 MB are out. */
function pacedUpload(data: Buffer, pause?: () => Promise<void>): Readable {
  const chunk = 256 * 1024;
  let sent = 0;
  let paused: Promise<void> | undefined;
  return new Readable({
    read() {
      if (sent >= data.length) {
        this.push(null);
        return;
      }
      const next = data.subarray(sent, sent + chunk);
      sent += next.length;
      if (pause && sent > 4 * MB && paused === undefined) {
        paused = pause();
        paused.then(
          () => this.push(next),
          (err: Error) => this.destroy(err),
        );
        return;
      }
      setTimeout(() => this.push(next), 5);
    },
  });
}

function put(baseUrl: string, path: string, body: Readable): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'PUT',
        path,
        agent: false,
        headers: { 'Content-Type': 'application/octet-stream' },
      },
      (res) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: {} }));
      },
    );
    req.on('error', reject);
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}

/**
 * What per-service scaling means (issue 13): two tracking instances behind a round-robin
 * forwarder standing in for Oakestra's service IP, one registry and one artifact proxy, each a
 * process of its own, over one database and one vsftpd. MariaDB only: the point is several
 * processes sharing one database server, which SQLite (one file, one writer) is not for.
 */
describe('several service processes over one MariaDB and one vsftpd', () => {
  let database: { uri: string; drop: () => Promise<void> };
  let destination: Destination;
  let env: Record<string, string>;
  let trackingA: Service;
  let trackingB: Service;
  let registry: Service;
  let proxy: Service;
  let forwarder: RoundRobinForwarder;
  let serviceUrl: string;
  const services: Service[] = [];

  beforeAll(
    async () => {
      const build = promisify(execFile);
      for (const app of ['tracking', 'model-registry', 'artifact-proxy']) {
        await build('npx', ['nest', 'build', app], { cwd: ROOT, timeout: BUILD_TIMEOUT_MS });
      }
      database = await createScratchDatabase('flops_multi_instance');
      await migrate(database.uri);
      destination = await createDestination('ftp', tmpdir());
      env = { BACKEND_STORE_URI: database.uri, ARTIFACTS_DESTINATION: destination.uri };
      [trackingA, trackingB, registry, proxy] = await Promise.all([
        start(MAIN.tracking, env),
        start(MAIN.tracking, env),
        start(MAIN.registry, env),
        start(MAIN.proxy, env),
      ]);
      services.push(trackingA, trackingB, registry, proxy);
      forwarder = new RoundRobinForwarder([trackingA.port, trackingB.port]);
      serviceUrl = `http://127.0.0.1:${await forwarder.port}`;
    },
    3 * BUILD_TIMEOUT_MS + 60_000,
  );

  afterAll(async () => {
    await Promise.all(services.map((s) => kill(s, 'SIGTERM')));
    await forwarder?.close();
    await destination?.dispose();
    await database?.drop();
  });

  const api = (path: string) => `/api/2.0/mlflow/${path}`;
  const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

  async function createRun(baseUrl: string): Promise<{ experimentId: string; runId: string }> {
    const experiment = await call(baseUrl, 'POST', api('experiments/create'), {
      name: `multi-${randomBytes(4).toString('hex')}`,
    });
    expect(experiment.status).toBe(200);
    const run = await call(baseUrl, 'POST', api('runs/create'), {
      experiment_id: experiment.json.experiment_id,
      start_time: T0,
    });
    expect(run.status).toBe(200);
    return { experimentId: experiment.json.experiment_id, runId: run.json.run.info.run_id };
  }

  it('reads through one tracking instance what was written through the other', async () => {
    const created = await call(trackingA.url, 'POST', api('experiments/create'), {
      name: `written-on-a-${randomBytes(4).toString('hex')}`,
    });
    expect(created.status).toBe(200);
    const experimentId = created.json.experiment_id as string;
    const onB = await call(
      trackingB.url,
      'GET',
      `${api('experiments/get')}?${query({ experiment_id: experimentId })}`,
    );
    expect([onB.status, onB.json.experiment?.experiment_id]).toEqual([200, experimentId]);

    const run = await call(trackingB.url, 'POST', api('runs/create'), {
      experiment_id: experimentId,
      start_time: T0,
    });
    expect(run.status).toBe(200);
    const runId = run.json.run.info.run_id as string;
    const logged = await call(trackingA.url, 'POST', api('runs/log-batch'), {
      run_id: runId,
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'phase', value: 'a' }],
      metrics: [{ key: 'acc', value: 0.5, timestamp: T0, step: 0 }],
    });
    expect(logged.status).toBe(200);
    const read = await call(trackingB.url, 'GET', `${api('runs/get')}?${query({ run_id: runId })}`);
    expect(read.status).toBe(200);
    expect(read.json.run.data).toMatchObject({
      params: [{ key: 'lr', value: '0.1' }],
      metrics: [{ key: 'acc', value: 0.5, timestamp: T0, step: 0 }],
    });
    expect(read.json.run.data.tags).toEqual(expect.arrayContaining([{ key: 'phase', value: 'a' }]));

    // The registry process sees the run the tracking processes wrote.
    const name = `multi-${randomBytes(4).toString('hex')}`;
    expect(
      (await call(registry.url, 'POST', api('registered-models/create'), { name })).status,
    ).toBe(200);
    const version = await call(registry.url, 'POST', api('model-versions/create'), {
      name,
      source: `${read.json.run.info.artifact_uri}/model`,
      run_id: runId,
    });
    expect([version.status, version.json.model_version?.run_id]).toEqual([200, runId]);
  });

  it('loses and duplicates nothing under concurrent log-batch load while an instance is SIGKILLed', async () => {
    const { runId } = await createRun(serviceUrl);
    const stats: RetryStats = { connectionErrors: 0, serverErrors: 0 };
    const total = CLIENTS * BATCHES;
    let acknowledged = 0;
    const unexpected: Answer[] = [];

    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      for (let batch = 0; batch < BATCHES; batch++) {
        const body = { run_id: runId, metrics: batchOf(client, batch) };
        const answer = await withRetry(
          () => call(serviceUrl, 'POST', api('runs/log-batch'), body),
          stats,
          100,
        );
        if (answer.status === 200) acknowledged++;
        else unexpected.push(answer);
      }
    });

    // SIGKILL instance A a third into the load, while at least two requests wait on it, so some
    // batches are certainly cut off mid-request (committed or not) and must be retried.
    const killed = (async () => {
      expect(await eventually(async () => acknowledged >= total / 3, 120_000)).toBe(true);
      expect(
        await eventually(async () => forwarder.awaitingAnswer(trackingA.port) >= 2, 120_000),
      ).toBe(true);
      await kill(trackingA, 'SIGKILL');
    })();

    await Promise.all([...clients, killed]);
    expect(unexpected).toEqual([]);
    expect(acknowledged).toBe(total);
    // Both instances took connections before the kill; afterwards A refused and was skipped.
    expect(forwarder.accepted.get(trackingA.port)).toBeGreaterThan(0);
    expect(forwarder.accepted.get(trackingB.port)).toBeGreaterThan(0);
    expect(forwarder.refused.get(trackingA.port)).toBeGreaterThan(0);
    expect(stats.connectionErrors).toBeGreaterThan(0);

    const url = new URL(database.uri);
    const db = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      database: url.pathname.slice(1),
    });
    try {
      const [rows] = await db.query(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT m.`key`, m.step) AS distinctPoints FROM metrics m JOIN runs r ON r.id = m.run_id WHERE r.run_uuid = ?',
        [runId],
      );
      expect(rows).toEqual([{ n: total * PER_BATCH, distinctPoints: total * PER_BATCH }]);
    } finally {
      await db.end();
    }

    // Each key's latest value is its last step's, whichever instance wrote which batch.
    const read = await call(serviceUrl, 'GET', `${api('runs/get')}?${query({ run_id: runId })}`);
    const last = BATCHES * PER_BATCH - 1;
    expect(
      (read.json.run.data.metrics as { key: string }[]).sort((a, b) => (a.key < b.key ? -1 : 1)),
    ).toEqual(
      Array.from({ length: CLIENTS }, (_, client) => ({
        key: `loss_${client}`,
        value: client + last / 1000,
        timestamp: T0 + last,
        step: last,
      })),
    );
    for (let client = 0; client < CLIENTS; client++) {
      const history = await call(
        serviceUrl,
        'GET',
        `${api('metrics/get-history')}?${query({ run_id: runId, metric_key: `loss_${client}` })}`,
      );
      expect(history.status).toBe(200);
      const steps = (history.json.metrics as { step: number }[]).map((m) => m.step);
      expect(steps.sort((a, b) => a - b)).toEqual(
        Array.from({ length: BATCHES * PER_BATCH }, (_, i) => i),
      );
    }
  }, 300_000);

  it('completes an upload retried across an artifact proxy restart, leaving no partial file', async () => {
    const { experimentId, runId } = await createRun(serviceUrl);
    const data = randomBytes(20 * MB);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const target = `${PROXY}/${experimentId}/${runId}/artifacts/model/big.bin`;
    const temps = async () => (await destination.walk()).filter((n) => n.includes('.upload-'));
    let orphans: string[] = [];
    let restarted: Promise<Service> | undefined;

    const stats: RetryStats = { connectionErrors: 0, serverErrors: 0 };
    // SIGKILL the proxy once its temp file is on the FTP server, and start it again on its port
    // once a retry was refused (a restart that takes a moment, as a rescheduled instance does).
    const killMidUpload = async () => {
      expect(await eventually(async () => (await temps()).length > 0, 60_000)).toBe(true);
      await kill(proxy, 'SIGKILL');
      orphans = await temps();
      restarted = (async () => {
        expect(await eventually(async () => stats.connectionErrors >= 2, 120_000)).toBe(true);
        return start(MAIN.proxy, env, proxy.port);
      })();
    };
    let attempt = 0;
    // MLflow's default backoff factor is 2: the retries come 2, 4, 8 … s apart.
    const answer = await withRetry(
      () => put(proxy.url, target, pacedUpload(data, attempt++ === 0 ? killMidUpload : undefined)),
      stats,
      2000,
    );
    proxy = await restarted!;
    services.push(proxy);
    expect(answer.status).toBe(200);
    expect(stats.connectionErrors).toBeGreaterThanOrEqual(2);
    // SIGKILL leaves the killed process's temp file on the server; the retry sweeps it.
    expect(orphans).toHaveLength(1);

    const download = await new Promise<{ size: number; sha256: string }>((resolve, reject) => {
      httpRequest(`${proxy.url}${target}`, (res) => {
        const hash = createHash('sha256');
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          hash.update(c);
        });
        res.on('end', () => resolve({ size, sha256: hash.digest('hex') }));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    expect(download).toEqual({ size: data.length, sha256 });
    const files = (await destination.walk()).filter(
      (n) => !n.endsWith('/model') && n.includes('/model/'),
    );
    expect(files.map((n) => n.slice(n.lastIndexOf('/') + 1))).toEqual(['big.bin']);
    expect(await temps()).toEqual([]);

    // Tracking reads the same folder: one complete file.
    const listed = await call(
      serviceUrl,
      'GET',
      `${api('artifacts/list')}?${query({ run_id: runId, path: 'model' })}`,
    );
    expect(listed.json.files).toEqual([
      { path: 'model/big.bin', is_dir: false, file_size: data.length },
    ]);
  }, 300_000);
});
