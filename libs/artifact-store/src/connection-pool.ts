/** How a pool makes, checks and disposes of its connections. */
export interface ConnectionFactory<T> {
  create(): Promise<T>;
  /** Must not throw. */
  destroy(connection: T): Promise<void>;
  /** Cheap synchronous check (socket already closed): such a connection is never lent out. */
  isClosed(connection: T): boolean;
  /** Round-trip health check (FTP NOOP, SFTP realpath) for connections idle a while. */
  validate(connection: T): Promise<boolean>;
}

export interface ConnectionPoolOptions {
  /** Upper bound on open connections, in use or idle. */
  maxConnections: number;
  /** Concurrent leases per connection: 1 for FTP (one transfer per control connection). */
  maxLeasesPerConnection?: number;
  /** A queued caller gives up after this long (0: wait forever). */
  acquireTimeoutMs?: number;
  /** Connections idle longer than this are validated before reuse. */
  validateAfterIdleMs?: number;
}

export interface Lease<T> {
  readonly connection: T;
  /** False when the connection was created for this lease. */
  readonly reused: boolean;
  /** Returns the connection; `broken` retires it (destroyed once its last lease is released). */
  release(broken?: boolean): void;
}

export interface PoolStats {
  /** Upper bound on `size`. */
  max: number;
  /** Open connections plus connections being created. */
  size: number;
  idle: number;
  leased: number;
  waiting: number;
}

export class PoolClosedError extends Error {
  constructor() {
    super('Connection pool is closed');
    this.name = 'PoolClosedError';
  }
}

export class PoolTimeoutError extends Error {
  constructor() {
    super('Timed out waiting for a pooled connection');
    this.name = 'PoolTimeoutError';
  }
}

interface Entry<T> {
  connection: T;
  leases: number;
  idleSince: number;
  retired: boolean;
}

interface Waiter<T> {
  resolve(lease: Lease<T>): void;
  reject(err: unknown): void;
  timer?: NodeJS.Timeout;
}

type Slot<T> = { entry: Entry<T>; exclusive: boolean } | { entry: null };

/**
 * A bounded pool: at most `maxConnections` connections, callers served strictly FIFO, dead
 * connections dropped and replaced on demand. Idle connections are preferred; a new one is
 * opened before an existing one is shared (when sharing is allowed at all).
 */
export class ConnectionPool<T> {
  private readonly entries: Entry<T>[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private creating = 0;
  private closed = false;
  private readonly maxLeases: number;
  private readonly acquireTimeoutMs: number;
  private readonly validateAfterIdleMs: number;

  constructor(
    private readonly factory: ConnectionFactory<T>,
    private readonly options: ConnectionPoolOptions,
  ) {
    if (!Number.isInteger(options.maxConnections) || options.maxConnections < 1) {
      throw new Error('maxConnections must be a positive integer');
    }
    this.maxLeases = Math.max(1, options.maxLeasesPerConnection ?? 1);
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000;
    this.validateAfterIdleMs = options.validateAfterIdleMs ?? 1_000;
  }

  acquire(): Promise<Lease<T>> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    return new Promise<Lease<T>>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject };
      if (this.acquireTimeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) {
            this.waiters.splice(index, 1);
            reject(new PoolTimeoutError());
          }
        }, this.acquireTimeoutMs);
      }
      this.waiters.push(waiter);
      this.pump();
    });
  }

  /** Drops every idle connection, e.g. after one of them turned out to be dead. */
  discardIdle(): void {
    for (const entry of [...this.entries]) {
      if (entry.leases === 0) this.retire(entry);
    }
  }

  stats(): PoolStats {
    const leased = this.entries.reduce((sum, e) => sum + e.leases, 0);
    return {
      max: this.options.maxConnections,
      size: this.entries.length + this.creating,
      idle: this.entries.filter((e) => e.leases === 0).length,
      leased,
      waiting: this.waiters.length,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new PoolClosedError());
    }
    const idle = this.entries.filter((e) => e.leases === 0);
    for (const entry of this.entries.slice()) {
      entry.retired = true;
      this.remove(entry);
    }
    await Promise.all(idle.map((e) => this.factory.destroy(e.connection)));
  }

  private pump(): void {
    while (this.waiters.length > 0 && !this.closed) {
      const slot = this.reserve();
      if (slot === undefined) return;
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      this.fulfil(waiter, slot).catch((err: unknown) => waiter.reject(err));
    }
  }

  private reserve(): Slot<T> | undefined {
    const idle = this.entries.find((e) => e.leases === 0);
    if (idle) {
      idle.leases = 1;
      return { entry: idle, exclusive: true };
    }
    if (this.entries.length + this.creating < this.options.maxConnections) {
      this.creating++;
      return { entry: null };
    }
    let best: Entry<T> | undefined;
    for (const e of this.entries) {
      if (e.leases < this.maxLeases && (!best || e.leases < best.leases)) best = e;
    }
    if (!best) return undefined;
    best.leases++;
    return { entry: best, exclusive: false };
  }

  private async fulfil(waiter: Waiter<T>, slot: Slot<T>): Promise<void> {
    if (slot.entry) {
      const { entry } = slot;
      if (await this.usable(entry, slot.exclusive)) {
        waiter.resolve(this.lease(entry, true));
        return;
      }
      // Dead: replace it in place, so the slot stays reserved for this waiter.
      entry.leases--;
      this.retire(entry);
      this.creating++;
    }
    let connection: T;
    try {
      connection = await this.factory.create();
    } catch (err) {
      this.creating--;
      waiter.reject(err);
      this.pump();
      return;
    }
    this.creating--;
    const entry: Entry<T> = { connection, leases: 1, idleSince: Date.now(), retired: false };
    if (this.closed) {
      await this.factory.destroy(connection);
      waiter.reject(new PoolClosedError());
      return;
    }
    this.entries.push(entry);
    waiter.resolve(this.lease(entry, false));
  }

  private async usable(entry: Entry<T>, exclusive: boolean): Promise<boolean> {
    if (this.factory.isClosed(entry.connection)) return false;
    if (!exclusive || Date.now() - entry.idleSince < this.validateAfterIdleMs) return true;
    try {
      return await this.factory.validate(entry.connection);
    } catch {
      return false;
    }
  }

  private lease(entry: Entry<T>, reused: boolean): Lease<T> {
    let released = false;
    return {
      connection: entry.connection,
      reused,
      release: (broken = false) => {
        if (released) return;
        released = true;
        entry.leases--;
        if (entry.retired) {
          if (entry.leases === 0) void this.factory.destroy(entry.connection);
        } else if (broken || this.closed) {
          this.retire(entry);
        } else if (entry.leases === 0) {
          entry.idleSince = Date.now();
        }
        this.pump();
      },
    };
  }

  /** Takes the entry out of circulation; it is destroyed now or when its last lease ends. */
  private retire(entry: Entry<T>): void {
    if (entry.retired) return;
    entry.retired = true;
    this.remove(entry);
    if (entry.leases === 0) void this.factory.destroy(entry.connection);
  }

  private remove(entry: Entry<T>): void {
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
  }
}
