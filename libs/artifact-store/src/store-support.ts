import { randomBytes } from 'node:crypto';
import { finished, PassThrough, Readable } from 'node:stream';

import { FileInfo, MlflowError } from '@app/domain';

import { PoolClosedError, PoolTimeoutError } from './connection-pool';

/**
 * Buffer per stream hop. Node's 16 KiB default stalls every 64 KiB socket chunk on backpressure
 * and costs two thirds of the throughput; this bounds memory per transfer all the same.
 */
export const STREAM_BUFFER_BYTES = 256 * 1024;

const TEMP_NAME = /^\..*\.upload-[0-9a-f]{16}$/s;

/** `.<name>.upload-<16 hex>` in the target's directory; the name part is capped to stay short. */
export function tempNameFor(baseName: string): string {
  return `${tempPrefixFor(baseName)}${randomBytes(8).toString('hex')}`;
}

/** What every temp name of uploads to `baseName` starts with. */
export function tempPrefixFor(baseName: string): string {
  return `.${Array.from(baseName).slice(0, 40).join('')}.upload-`;
}

export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** Names from a server listing that must never be turned into paths (malicious listings). */
export function isSafeEntryName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0\r\n]/.test(name);
}

export function sortByName(entries: FileInfo[]): FileInfo[] {
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function isWithin(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

export function invalidPath(detail?: string): MlflowError {
  return MlflowError.invalidParameterValue(detail ? `Invalid path: ${detail}` : 'Invalid path');
}

export function unavailable(reason: string): MlflowError {
  return MlflowError.temporarilyUnavailable(`Artifact store unavailable: ${reason}`);
}

export function insufficientStorage(): MlflowError {
  return new MlflowError('INSUFFICIENT_STORAGE', 'Artifact store is out of space');
}

export function storeError(reason?: string): MlflowError {
  return MlflowError.internalError(
    reason ? `Artifact store error: ${reason}` : 'Artifact store error',
  );
}

/** Node socket error codes that mean "the store is unreachable", with a host-free reason. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host unreachable',
};

export function networkReason(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? NETWORK_REASONS[code] : undefined;
}

/** Pool failures in the port's vocabulary; undefined for anything else. */
export function poolError(err: unknown): MlflowError | undefined {
  if (err instanceof PoolClosedError) return unavailable('store closed');
  if (err instanceof PoolTimeoutError) return unavailable('all connections busy');
  return undefined;
}

export interface DetachedSource {
  /** Carries the source's bytes and always ends cleanly, even when the source fails. */
  readonly stream: PassThrough;
  /** Why the source failed (its error, or a premature close), once it has. */
  failure(): Error | undefined;
  /** Stops copying, e.g. when the upload never started. */
  detach(): void;
}

/**
 * Puts a stream between the caller's source and a transfer. An FTP client treats an erroring
 * source as a broken control connection and drops it, and a half-written temp file could then
 * only be removed over another connection, racing the server that is still writing it. Ending
 * the copy cleanly instead lets the transfer finish, after which the adapter deletes the temp
 * file over the same connection.
 */
export function detachSource(source: Readable): DetachedSource {
  const stream = new PassThrough({ highWaterMark: STREAM_BUFFER_BYTES });
  let failure: Error | undefined;
  finished(source, { writable: false }, (err) => {
    if (!err) return;
    failure = err;
    source.unpipe(stream);
    stream.end();
  });
  if (source.readableEnded) stream.end();
  else source.pipe(stream);
  return {
    stream,
    failure: () => failure,
    detach: () => {
      source.unpipe(stream);
      stream.destroy();
    },
  };
}
