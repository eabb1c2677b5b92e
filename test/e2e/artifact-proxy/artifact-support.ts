import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { ClientRequest, IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { Client } from 'basic-ftp';
import SftpClient from 'ssh2-sftp-client';

import { Backend } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

/** Defaults match scripts/test-services.sh; a server that is not running fails the suites. */
export const FTP_URI =
  process.env.TEST_FTP_URI ?? 'ftp://flopsftp:flopsftp@127.0.0.1:2121/artifacts';
export const SFTP_URI =
  process.env.TEST_SFTP_URI ?? 'sftp://flopsftp:flopsftp@127.0.0.1:2222/home/flopsftp/artifacts';

export type DestinationKind = 'local' | 'ftp' | 'sftp';

/** Every destination the proxy e2e suites run against (E2E_ARTIFACT_DESTINATIONS narrows it while iterating). */
export const DESTINATION_KINDS: DestinationKind[] = (
  process.env.E2E_ARTIFACT_DESTINATIONS ?? 'local,ftp,sftp'
)
  .split(',')
  .map((k) => k.trim())
  .filter((k): k is DestinationKind => k === 'local' || k === 'ftp' || k === 'sftp');

/** A destination directory of its own for one test app, inspected behind the proxy's back. */
export interface Destination {
  kind: DestinationKind;
  /** ARTIFACTS_DESTINATION of the app. */
  uri: string;
  /** Every file and directory below the app's root (temporary upload files included), sorted. */
  walk(): Promise<string[]>;
  /** Entry names of the directory that holds the app's root (to see escapes out of it). */
  siblings(): Promise<string[]>;
  dispose(): Promise<void>;
}

interface Target {
  host: string;
  port: number;
  user: string;
  password: string;
  root: string;
}

function targetOf(uri: string, defaultPort: number): Target {
  const url = new URL(uri);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : defaultPort,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    root: decodeURIComponent(url.pathname) || '/',
  };
}

function withPath(uri: string, path: string): string {
  const url = new URL(uri);
  url.pathname = path;
  return url.toString();
}

async function localDestination(workDir: string): Promise<Destination> {
  const parent = join(workDir, 'destinations');
  const root = join(parent, `e2e-${randomBytes(4).toString('hex')}`);
  mkdirSync(root, { recursive: true });
  const walk = (dir: string, prefix: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const rel = `${prefix}${e.name}`;
      return e.isDirectory() ? [rel, ...walk(join(dir, e.name), `${rel}/`)] : [rel];
    });
  return {
    kind: 'local',
    uri: `file:${root}`,
    walk: async () => walk(root, '').sort(),
    siblings: async () => readdirSync(parent).sort(),
    dispose: async () => rmSync(root, { recursive: true, force: true }),
  };
}

async function ftpDestination(): Promise<Destination> {
  const t = targetOf(FTP_URI, 21);
  let client: Client | undefined;
  // Reconnects after the server was restarted (the FTP outage test).
  const connected = async (): Promise<Client> => {
    if (client && !client.closed) return client;
    client = new Client(15_000);
    await client.access({ host: t.host, port: t.port, user: t.user, password: t.password });
    return client;
  };
  const root = `${t.root.replace(/\/+$/, '')}/e2e-${randomBytes(4).toString('hex')}`;
  await (await connected()).ensureDir(root);
  const walk = async (c: Client, dir: string, prefix: string): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await c.list(dir)) {
      if (e.name === '.' || e.name === '..') continue;
      const rel = `${prefix}${e.name}`;
      out.push(rel);
      if (e.isDirectory) out.push(...(await walk(c, `${dir}/${e.name}`, `${rel}/`)));
    }
    return out;
  };
  return {
    kind: 'ftp',
    uri: withPath(FTP_URI, root),
    walk: async () => (await walk(await connected(), root, '')).sort(),
    siblings: async () =>
      (await (await connected()).list(t.root))
        .map((e) => e.name)
        .filter((n) => n !== '.' && n !== '..')
        .sort(),
    dispose: async () => {
      const c = await connected().catch(() => undefined);
      await c?.removeDir(root).catch(() => undefined);
      c?.close();
    },
  };
}

async function sftpDestination(): Promise<Destination> {
  const t = targetOf(SFTP_URI, 22);
  const client = new SftpClient('e2e-inspector', {
    error: () => undefined,
    end: () => undefined,
    close: () => undefined,
  });
  await client.connect({ host: t.host, port: t.port, username: t.user, password: t.password });
  const root = `${t.root.replace(/\/+$/, '')}/e2e-${randomBytes(4).toString('hex')}`;
  await client.mkdir(root, true);
  const walk = async (dir: string, prefix: string): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await client.list(dir)) {
      const rel = `${prefix}${e.name}`;
      out.push(rel);
      if (e.type === 'd') out.push(...(await walk(`${dir}/${e.name}`, `${rel}/`)));
    }
    return out;
  };
  return {
    kind: 'sftp',
    uri: withPath(SFTP_URI, root),
    walk: async () => (await walk(root, '')).sort(),
    siblings: async () => (await client.list(t.root)).map((e) => e.name).sort(),
    dispose: async () => {
      await client.rmdir(root, true).catch(() => undefined);
      await client.end();
    },
  };
}

export function createDestination(kind: DestinationKind, workDir: string): Promise<Destination> {
  switch (kind) {
    case 'local':
      return localDestination(workDir);
    case 'ftp':
      return ftpDestination();
    case 'sftp':
      return sftpDestination();
  }
}

/** A suite app over `backend` whose artifacts go to a fresh directory of `kind`, on a real port. */
export interface ArtifactApp {
  t: TestApp;
  destination: Destination;
  /** `http://127.0.0.1:<port>` of the app. */
  baseUrl: string;
  close(): Promise<void>;
}

export async function createArtifactApp(
  backend: Backend,
  kind: DestinationKind,
  env: Record<string, string> = {},
): Promise<ArtifactApp> {
  const scratch = join(tmpdir(), 'flops-e2e-destinations');
  mkdirSync(scratch, { recursive: true });
  const destination = await createDestination(kind, scratch);
  const t = await createTestApp(backend, {
    env: { ARTIFACTS_DESTINATION: destination.uri, ...env },
  });
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address() as { port: number };
  return {
    t,
    destination,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      // Sockets of abandoned or aborted test requests would hold server.close() up.
      t.app.getHttpServer().closeAllConnections();
      await t.close();
      await destination.dispose();
    },
  };
}

export interface RunRef {
  experimentId: string;
  runId: string;
  artifactUri: string;
  /** `<experiment_id>/<run_id>/artifacts`: the run's directory in the proxy's path space. */
  prefix: string;
}

export async function createRun(t: TestApp, experimentName?: string): Promise<RunRef> {
  const post = (path: string, body: unknown) =>
    t.http
      .post(`/api/2.0/mlflow/${path}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  const name = experimentName ?? `artifacts-${randomBytes(4).toString('hex')}`;
  const experiment = await post('experiments/create', { name });
  if (experiment.status !== 200) throw new Error(`experiments/create: ${experiment.text}`);
  const experimentId = experiment.body.experiment_id as string;
  const run = await post('runs/create', { experiment_id: experimentId, user_id: 'e2e' });
  if (run.status !== 200) throw new Error(`runs/create: ${run.text}`);
  const runId = run.body.run.info.run_id as string;
  return {
    experimentId,
    runId,
    artifactUri: run.body.run.info.artifact_uri as string,
    prefix: `${experimentId}/${runId}/artifacts`,
  };
}

/** Path segments percent-encoded the way the Python client's URLs carry them. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): Record<string, unknown>;
}

/**
 * Node's HTTP client stops relaying its socket's 'drain' to the request once the whole response
 * has been parsed (it removes its listener in `socketOnData`), so a body piped into a request
 * that was answered early (a refused upload) waits on back-pressure forever. Relays it for the
 * rest of the request, only when Node's own relay did not (that one clears `writableNeedDrain`).
 */
function relayDrainAfterResponse(req: ClientRequest): void {
  const socket = req.socket;
  if (!socket) return;
  const relay = () => {
    if (req.writableNeedDrain) req.emit('drain');
  };
  socket.on('drain', relay);
  req.once('close', () => socket.off('drain', relay));
}

/**
 * One HTTP request with the request target sent byte for byte as given (no client-side
 * normalisation of `..`, backslashes or encodings).
 */
export function rawHttp(
  baseUrl: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: Buffer | string | Readable } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: options.headers,
      },
      (res) => {
        if (!req.writableFinished) relayDrainAfterResponse(req);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const answer = {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body.toString('utf8')) as Record<string, unknown>,
          };
          // An early answer (a refused upload) arrives while the body is still being sent.
          if (req.writableFinished) resolve(answer);
          else req.once('finish', () => resolve(answer));
        });
      },
    );
    req.on('error', reject);
    const body = options.body;
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** `count` chunks of `chunkSize` random bytes, and their SHA-256 once the stream has ended. */
export function randomStream(
  chunkSize: number,
  count: number,
): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    highWaterMark: chunkSize,
    read() {
      if (sent === count) {
        this.push(null);
        return;
      }
      const chunk = randomBytes(chunkSize);
      hash.update(chunk);
      sent++;
      this.push(chunk);
    },
  });
  let digest: string | undefined;
  return { stream, sha256: () => (digest ??= hash.digest('hex')) };
}

/** Streams a download, returning its status, headers, size and SHA-256 (never the bytes). */
export function downloadDigest(
  baseUrl: string,
  target: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; size: number; sha256: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: target }, (res) => {
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          size,
          sha256: hash.digest('hex'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Samples the process RSS every 10 ms until stopped; returns the peak growth over the start. */
export function rssSampler(): { stop(): number } {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return peak - start;
    },
  };
}

export const MB = 1024 * 1024;

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 5000,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
