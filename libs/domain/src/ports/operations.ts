import type { ErrorCode } from '../errors';

/** A connection pool's occupancy at one moment (the database pool, an FTP/SFTP pool). */
export interface PoolUsage {
  /** Upper bound on open connections. */
  max: number;
  /** Open (or opening) connections lent out. */
  inUse: number;
  /** Open connections waiting to be lent out. */
  idle: number;
  /** Callers queued for a connection. */
  waiting: number;
}

/**
 * A store as readiness and the service metrics see it. Bound by the module that opens the store;
 * never throws from `poolUsage`.
 */
export abstract class StoreStatus {
  /** The store for logs and the readiness answer: its URI with credentials redacted. */
  abstract readonly description: string;
  /**
   * Resolves when the store answers a cheap request (and, for the backend store, its schema is
   * current); rejects with an Error whose message names the cause and no secret.
   */
  abstract check(): Promise<void>;
  /** The store's connection pool now; null when it has none. */
  abstract poolUsage(): PoolUsage | null;
}

/** The backend store (database), bound by PersistenceModule. */
export abstract class BackendStoreStatus extends StoreStatus {}

/** The artifact store, bound by ArtifactStoreModule. */
export abstract class ArtifactStoreStatus extends StoreStatus {
  /** Its kind as a metric label: the destination's scheme (`file`, `ftp`, `ftps`, `sftp`). */
  abstract readonly kind: string;
}

export type TransactionRetryReason = 'deadlock' | 'lock-wait';

/**
 * Told how long each statement or transaction waited for a database connection (SQLite: for its
 * one connection's lock) and of every transaction retried: the service metrics bind it. Unbound,
 * nothing is measured. Must not throw.
 */
export abstract class DatabaseMeter {
  abstract connectionAcquired(waitSeconds: number): void;
  abstract transactionRetried(reason: TransactionRetryReason): void;
}

export type ArtifactOperation = 'list' | 'stat' | 'read' | 'write' | 'delete';
export type ArtifactDirection = 'in' | 'out';

/**
 * Told of artifact bytes moved and of failed store operations, per store kind: the service
 * metrics bind it. Unbound, nothing is counted. Must not throw.
 */
export abstract class ArtifactMeter {
  /** A cheap counter of bytes written to (`in`) or read from (`out`) a store of this kind. */
  abstract bytes(store: string, direction: ArtifactDirection): (count: number) => void;
  /** A store operation (or a read stream) failed with this error code. */
  abstract failed(store: string, operation: ArtifactOperation, code: ErrorCode): void;
}
