import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';

import { MlflowError } from '@app/domain';

import { ProxyArtifactStore } from './proxy-artifact-store';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: Buffer;
}

/** A stand-in for the proxy on a real socket: records each request, answers with `handler`. */
class FakeProxy {
  seen: Seen[] = [];
  handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void = (_q, res) =>
    res.end('{}');
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        this.seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          body,
        });
        this.handler(req, res, body);
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function rejection(promise: Promise<unknown>): Promise<MlflowError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MlflowError);
  return error as MlflowError;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe(ProxyArtifactStore.name, () => {
  let proxy: FakeProxy;
  let sut: ProxyArtifactStore;
  let caller: string | undefined;
  let warnings: string[];
  let url: string;

  const build = (url: string, extra: { serviceToken?: string; timeoutMs?: number } = {}) =>
    new ProxyArtifactStore({
      url,
      callerAuthorization: () => caller,
      logger: { warn: (m) => warnings.push(m) },
      ...extra,
    });

  beforeEach(async () => {
    proxy = new FakeProxy();
    caller = 'Basic YWxpY2U6eA==';
    warnings = [];
    url = await proxy.start();
    sut = build(url, { serviceToken: 'svc' });
  });

  afterEach(async () => {
    await sut.close();
    await proxy.stop();
  });

  it("lists through the proxy's list endpoint with the caller's header", async () => {
    proxy.handler = (_q, res) =>
      json(res, 200, {
        files: [
          { path: 'MLmodel', is_dir: false, file_size: 4 },
          { path: 'data', is_dir: true },
        ],
      });
    expect(await sut.list('1/r/artifacts/model dir')).toEqual([
      { path: 'MLmodel', isDir: false, fileSize: 4 },
      { path: 'data', isDir: true, fileSize: 0 },
    ]);
    expect(proxy.seen).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/api/2.0/mlflow-artifacts/artifacts?path=1%2Fr%2Fartifacts%2Fmodel%20dir',
        authorization: caller,
      }),
    ]);
  });

  it('answers null for a listing without files (empty, missing or a file)', async () => {
    expect(await sut.list('1/r/artifacts/none')).toBeNull();
  });

  it('sends the service token when the call has no caller', async () => {
    caller = undefined;
    await sut.list('');
    expect(proxy.seen[0].authorization).toBe('Bearer svc');
  });

  it('streams a file both ways, each segment encoded', async () => {
    const bytes = Buffer.alloc(1024 * 1024, 7);
    proxy.handler = (req, res) =>
      req.method === 'PUT' ? json(res, 200, {}) : res.end(proxy.seen[0].body);
    await sut.write(
      '1/r/artifacts/a b/c#d.bin',
      Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]),
    );
    expect(proxy.seen[0]).toMatchObject({
      method: 'PUT',
      url: '/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/a%20b/c%23d.bin',
    });
    expect(proxy.seen[0].body.equals(bytes)).toBe(true);
    expect((await readAll(await sut.openRead('1/r/artifacts/a b/c#d.bin'))).equals(bytes)).toBe(
      true,
    );
  });

  it("passes the proxy's own errors on", async () => {
    proxy.handler = (_q, res) =>
      json(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'File not found: x' });
    const error = await rejection(sut.openRead('1/r/artifacts/x'));
    expect([error.code, error.message]).toEqual(['RESOURCE_DOES_NOT_EXIST', 'File not found: x']);
  });

  it('turns a failing proxy into TEMPORARILY_UNAVAILABLE, logged', async () => {
    proxy.handler = (_q, res) => json(res, 500, { error_code: 'INTERNAL_ERROR', message: 'boom' });
    const error = await rejection(sut.delete('1/r/artifacts/x'));
    expect([error.code, error.message, error.retryAfterSeconds]).toEqual([
      'TEMPORARILY_UNAVAILABLE',
      'The artifact proxy is unavailable; try again later.',
      5,
    ]);
    expect(warnings).toEqual(['Artifact proxy answered 500 INTERNAL_ERROR: boom']);
  });

  it('answers TEMPORARILY_UNAVAILABLE when the proxy does not answer in time', async () => {
    proxy.handler = () => undefined;
    const slow = build(url, { timeoutMs: 200 });
    const error = await rejection(slow.list(''));
    await slow.close();
    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
  });

  it('answers TEMPORARILY_UNAVAILABLE when the proxy is unreachable', async () => {
    await proxy.stop();
    proxy = new FakeProxy();
    await proxy.start();
    const error = await rejection(build(url).stat('1/r/artifacts/x'));
    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(warnings[0]).toMatch(/ECONNREFUSED/);
  });

  it("rethrows the source's own error on upload, leaving the source alone", async () => {
    const source = new PassThrough();
    const written = sut.write('1/r/artifacts/f', source);
    source.write('part');
    const broken = new Error('client went away');
    source.emit('error', broken);
    await expect(written).rejects.toBe(broken);
    expect(source.destroyed).toBe(false);
  });

  it('refuses every call once closed', async () => {
    await sut.close();
    expect((await rejection(sut.list(''))).code).toBe('TEMPORARILY_UNAVAILABLE');
  });
});
