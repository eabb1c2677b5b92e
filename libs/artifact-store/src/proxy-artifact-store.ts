import { Agent, IncomingMessage, request as httpRequest, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { posix } from 'node:path';
import { PassThrough, pipeline, Readable } from 'node:stream';

import {
  ArtifactStat,
  ArtifactStore,
  ERROR_CODES,
  ErrorCode,
  FileInfo,
  MlflowError,
  Principal,
} from '@app/domain';

import { ArtifactStoreLogger } from './ftp-artifact-store';
import { STREAM_BUFFER_BYTES } from './store-support';

export interface ProxyArtifactStoreOptions {
  /** ARTIFACT_PROXY_URL: `http(s)://host:port[/prefix]` of the artifact proxy. */
  url: string;
  /**
   * The `Authorization` header of the request being served, if any: the proxy checks the same
   * caller as the service that asks (read from the request context, never stored).
   */
  callerAuthorization: () => string | undefined;
  /** ARTIFACT_PROXY_TOKEN: sent as a bearer token when there is no caller's header. */
  serviceToken?: string;
  /** Connect, answer and idle timeout of every call (default 30 s). */
  timeoutMs?: number;
  /** Pooled keep-alive connections (default 16). */
  maxConnections?: number;
  logger?: ArtifactStoreLogger;
}

const API = '/api/2.0/mlflow-artifacts/artifacts';
/** Error bodies and listings are JSON; anything longer is not the proxy's answer. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;
const UNAVAILABLE = 'The artifact proxy is unavailable; try again later.';
const KNOWN_CODES = new Set<string>(ERROR_CODES);

interface ListJson {
  files?: { path?: unknown; is_dir?: unknown; file_size?: unknown }[];
}

/**
 * The artifact store of a split deployment's tracking and registry services: every call goes to
 * the artifact proxy's REST API (`/api/2.0/mlflow-artifacts/artifacts/…`), which alone talks to
 * the store, and answers what the proxy answers for the same path and caller. Paths are those the
 * proxy serves (`<experiment>/<run>/artifacts/…`, or a free path in the caller's namespace): the
 * proxy puts them in owners' partitions itself, so this store is never wrapped in
 * PartitionedArtifactStore. Bytes stream both ways over pooled keep-alive connections.
 *
 * Errors: the proxy's own MLflow errors are passed on (404 stays RESOURCE_DOES_NOT_EXIST, 403
 * PERMISSION_DENIED…); a proxy that is unreachable, times out or fails (5xx) is
 * TEMPORARILY_UNAVAILABLE with a host-free message, the detail going to the log.
 *
 * `list` cannot tell an empty directory from a missing path or a file (the proxy lists all
 * three as `{}`): it returns null for each.
 */
export class ProxyArtifactStore extends ArtifactStore {
  private readonly base: URL;
  private readonly agent: Agent;
  private readonly request: typeof httpRequest;
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly options: ProxyArtifactStoreOptions) {
    super();
    this.base = new URL(options.url);
    const secure = this.base.protocol === 'https:';
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxConnections ?? 16,
      maxFreeSockets: options.maxConnections ?? 16,
    };
    this.agent = secure ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
    this.request = secure ? httpsRequest : httpRequest;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  override get forwardsCaller(): boolean {
    return true;
  }

  /** The proxy maps a free path to the forwarded caller's namespace itself. */
  override freeLocation(_caller: Principal, path: string): string {
    return path;
  }

  async list(path: string): Promise<FileInfo[] | null> {
    const response = await this.call('GET', `${API}?path=${encodeURIComponent(path)}`);
    const json = (await readJson(response)) as ListJson;
    const files = (json.files ?? []).map((f): FileInfo => ({
      path: String(f.path),
      isDir: f.is_dir === true,
      fileSize: f.is_dir === true ? 0 : Number(f.file_size ?? 0),
    }));
    return files.length > 0 ? files : null;
  }

  async stat(path: string): Promise<ArtifactStat | null> {
    if (path === '') return { isDir: true, size: 0 };
    const parent = posix.dirname(path);
    const entries = await this.list(parent === '.' ? '' : parent);
    const entry = entries?.find((e) => e.path === posix.basename(path));
    return entry ? { isDir: entry.isDir, size: entry.fileSize ?? 0 } : null;
  }

  async openRead(path: string): Promise<Readable> {
    return this.call('GET', fileUrl(path));
  }

  async write(path: string, source: Readable): Promise<void> {
    const response = await this.call('PUT', fileUrl(path), source);
    response.resume();
  }

  async delete(path: string): Promise<void> {
    const response = await this.call('DELETE', fileUrl(path));
    response.resume();
  }

  /**
   * The proxy's own readiness (its store included): what a service that reaches its bytes
   * through the proxy is ready on. `/health/ready` is public, so no caller is needed.
   */
  async checkReady(): Promise<void> {
    const response = await this.call('GET', '/health/ready');
    response.resume();
  }

  close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
    return Promise.resolve();
  }

  /** One call; resolves with a 2xx response whose body the caller reads, rejects an MlflowError. */
  private call(method: string, pathAndQuery: string, body?: Readable): Promise<Readable> {
    if (this.closed) return Promise.reject(MlflowError.temporarilyUnavailable(UNAVAILABLE));
    const authorization =
      this.options.callerAuthorization() ??
      (this.options.serviceToken ? `Bearer ${this.options.serviceToken}` : undefined);
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const options: RequestOptions = {
      method,
      protocol: this.base.protocol,
      hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.base.port || undefined,
      path: `${prefix}${pathAndQuery}`,
      agent: this.agent,
      timeout: this.timeoutMs,
      headers: {
        accept: 'application/json, application/octet-stream',
        ...(authorization === undefined ? {} : { authorization }),
        ...(body === undefined ? {} : { 'content-type': 'application/octet-stream' }),
      },
    };
    return new Promise((resolve, reject) => {
      let settled = false;
      let sourceError: Error | undefined;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        if (body !== undefined) {
          body.unpipe(req);
          req.destroy();
        }
        reject(error);
      };
      const req = this.request(options, (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          errorOf(response, status).then(
            ([error, detail]) => fail(this.logged(error, status, detail)),
            (error: unknown) => fail(this.unavailable(String(error), error)),
          );
          return;
        }
        if (settled) {
          response.destroy();
          return;
        }
        settled = true;
        resolve(this.guarded(response));
      });
      req.on('timeout', () => req.destroy(this.unavailable(`no answer in ${this.timeoutMs} ms`)));
      req.on('error', (error) =>
        fail(
          sourceError ??
            (error instanceof MlflowError ? error : this.unavailable(error.message, error)),
        ),
      );
      if (body === undefined) {
        req.end();
        return;
      }
      // Not pipeline(): the source is the caller's and is never destroyed here (ArtifactStore.write).
      body.once('error', (error) => {
        sourceError ??= error;
        fail(error);
      });
      body.once('close', () => {
        if (body.readableEnded) return;
        sourceError ??= Object.assign(new Error('The upload body closed before its end.'), {
          code: 'ERR_STREAM_PREMATURE_CLOSE',
        });
        fail(sourceError);
      });
      body.pipe(req);
    });
  }

  /** The body with transfer failures turned into MlflowErrors, and an idle timeout. */
  private guarded(response: IncomingMessage): Readable {
    const out = new PassThrough({ highWaterMark: STREAM_BUFFER_BYTES });
    response.setTimeout(this.timeoutMs, () =>
      response.destroy(this.unavailable(`no data for ${this.timeoutMs} ms`)),
    );
    pipeline(response, out, (error) => {
      if (error && !out.destroyed) {
        out.destroy(
          error instanceof MlflowError
            ? error
            : this.unavailable(`transfer broke off: ${error.message}`, error),
        );
      }
    });
    return out;
  }

  private unavailable(detail: string, cause?: unknown): MlflowError {
    this.options.logger?.warn(`Artifact proxy call failed: ${detail}`);
    return MlflowError.temporarilyUnavailable(UNAVAILABLE, 5, cause);
  }

  private logged(error: MlflowError, status: number, detail: string): MlflowError {
    if (error.code === 'TEMPORARILY_UNAVAILABLE' || status >= 500) {
      this.options.logger?.warn(`Artifact proxy answered ${status} ${detail}`);
    }
    return error;
  }
}

function fileUrl(path: string): string {
  return `${API}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

function readJson(response: Readable): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_BYTES) {
        response.destroy(MlflowError.temporarilyUnavailable(UNAVAILABLE));
        return;
      }
      chunks.push(chunk);
    });
    response.once('error', reject);
    response.once('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(MlflowError.temporarilyUnavailable(UNAVAILABLE));
      }
    });
  });
}

/**
 * The proxy's error answer as an MlflowError: its 4xx answers pass on as they are (the client
 * sees what the proxy would have told it); a 5xx is the proxy failing, so retryable.
 */
async function errorOf(response: IncomingMessage, status: number): Promise<[MlflowError, string]> {
  const body = (await readJson(response).catch(() => ({}))) as {
    error_code?: unknown;
    message?: unknown;
  };
  const code = typeof body.error_code === 'string' ? body.error_code : '';
  const message = typeof body.message === 'string' ? body.message : '';
  const detail = `${code || 'no error_code'}: ${message || 'no message'}`;
  if (status >= 500) {
    if (code === 'INSUFFICIENT_STORAGE') return [new MlflowError(code, message), detail];
    const retryAfter = Number(response.headers['retry-after']);
    const error = MlflowError.temporarilyUnavailable(
      code === 'TEMPORARILY_UNAVAILABLE' && message ? message : UNAVAILABLE,
      Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter : 5,
    );
    return [error, detail];
  }
  if (KNOWN_CODES.has(code) && message) {
    return [new MlflowError(code as ErrorCode, message), detail];
  }
  if (status === 404) return [MlflowError.resourceDoesNotExist('File not found'), detail];
  return [MlflowError.temporarilyUnavailable(UNAVAILABLE), detail];
}
