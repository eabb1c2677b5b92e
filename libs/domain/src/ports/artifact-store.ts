import type { Readable } from 'node:stream';

import { Principal } from '../access/principal';
import { FileInfo } from '../entities';
import { freeArtifactLocation } from './artifact-partitions';

/** What {@link ArtifactStore.stat} reports; `size` is 0 for directories. */
export interface ArtifactStat {
  isDir: boolean;
  size: number;
}

/**
 * Storage behind the `mlflow-artifacts` proxy (MLflow's `ArtifactRepository` for the
 * `--artifacts-destination`), stream-first so no file is ever buffered whole.
 *
 * **Paths** are canonical relative POSIX paths produced by `canonicalArtifactPath` (`''` is the
 * store root). Adapters join them under their root with `joinUnderRoot`, so a non-canonical path
 * is refused with INVALID_PARAMETER_VALUE "Invalid path" before any I/O; adapters that can see
 * symlinks also refuse to follow one out of the root (INVALID_PARAMETER_VALUE).
 *
 * **Errors** are MlflowErrors; messages never contain credentials, host names or server-side
 * file-system paths:
 * - TEMPORARILY_UNAVAILABLE (`retryAfterSeconds` set, → 503 + Retry-After): the store is down
 *   or unreachable: connection refused or lost, timeouts, login failure, FTP 421/425/426, a
 *   connection pool that stays exhausted, a closed store.
 * - RESOURCE_DOES_NOT_EXIST: {@link openRead} of a missing path or a directory.
 * - INSUFFICIENT_STORAGE: the backend reports a full disk or quota (FTP 452/552, ENOSPC).
 * - INVALID_PARAMETER_VALUE: an unsafe path, writing onto a directory or below a file,
 *   deleting or writing the root.
 * - INTERNAL_ERROR: anything else (e.g. permission problems on the backend).
 *
 * Temporary upload files (`.<name>.upload-<16 hex>`) are never listed.
 */
export abstract class ArtifactStore {
  /**
   * Direct children of the directory `path`, sorted by name (code-unit order), each with its
   * basename as `path` (what the proxy's list endpoint returns), `isDir`, and `fileSize` for
   * files (0 included). Only regular files and directories are listed. Returns null when `path`
   * is a file or does not exist: MLflow clients decide "file or directory" by whether listing
   * the path returns anything. Listing the root returns its children (possibly []).
   */
  abstract list(path: string): Promise<FileInfo[] | null>;

  /** File or directory metadata, or null when nothing exists at `path`. */
  abstract stat(path: string): Promise<ArtifactStat | null>;

  /**
   * A stream of the file's bytes. Resolves once the file is known to exist;
   * RESOURCE_DOES_NOT_EXIST when `path` is missing or a directory. A failure during the
   * transfer destroys the stream with an MlflowError. The consumer must read the stream to its
   * end or destroy it: pooled adapters hold a connection until then.
   */
  abstract openRead(path: string): Promise<Readable>;

  /**
   * Writes or overwrites the file at `path` from `source`, creating missing parent directories
   * (idempotent, safe under concurrent writers). Atomic: the bytes go to a temporary name in the
   * same directory, which is renamed over the target only after the whole source was stored, so
   * readers see either the old content or the new, never a partial file. Concurrent writes to
   * one path: the last rename wins.
   *
   * If `source` errors or closes before its end, the temporary file is removed, the target is
   * untouched, and the source's own error is rethrown (the source is not destroyed). If the
   * store fails, the temporary file is removed when the store is still reachable. Writing the
   * root, onto a directory or below a file is INVALID_PARAMETER_VALUE.
   */
  abstract write(path: string, source: Readable): Promise<void>;

  /**
   * Deletes the file or the whole directory subtree at `path` (symlinks are removed, not
   * followed). A missing path is a no-op. Deleting the root is INVALID_PARAMETER_VALUE: the
   * store's root is never removed (mlflow-oidc-auth#289).
   */
  abstract delete(path: string): Promise<void>;

  /**
   * Where a free artifact path (one naming no run, logged model or trace) of `caller` lives in
   * this store: the caller's own directory ({@link freeArtifactLocation}). A store that reaches
   * the bytes through the artifact proxy answers the path as it is, because the proxy applies
   * the same rule to the caller it is told about.
   */
  freeLocation(caller: Principal, path: string): string {
    return freeArtifactLocation(caller, path);
  }

  /**
   * Whether this store calls another service on the caller's behalf (the artifact proxy), so a
   * request's `Authorization` must be at hand while it is handled. Only then does the HTTP layer
   * keep it in an AsyncLocalStorage, whose promise hooks every other service would pay for.
   */
  get forwardsCaller(): boolean {
    return false;
  }

  /**
   * Releases connections. Calls after close fail with TEMPORARILY_UNAVAILABLE; streams already
   * handed out are torn down when their transfer ends.
   */
  abstract close(): Promise<void>;
}
