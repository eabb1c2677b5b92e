import { posix } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';

import { Client, FileInfo as FtpFileInfo, FTPError } from 'basic-ftp';

import { ArtifactStat, ArtifactStore, FileInfo, joinUnderRoot, MlflowError } from '@app/domain';

import { ConnectionPool, Lease, PoolStats } from './connection-pool';
import {
  detachSource,
  insufficientStorage,
  invalidPath,
  isSafeEntryName,
  isTempName,
  networkReason,
  poolError,
  sortByName,
  storeError,
  STREAM_BUFFER_BYTES,
  tempNameFor,
  tempPrefixFor,
  unavailable,
} from './store-support';

export interface ArtifactStoreLogger {
  warn(message: string): void;
}

export interface FtpArtifactStoreOptions {
  host: string;
  port?: number;
  user?: string;
  password?: string;
  /** Absolute directory on the server under which every artifact lives. */
  root: string;
  /**
   * TLS for the `ftps://` scheme: explicit (`AUTH TLS`, then `PROT P` for data) or implicit (TLS
   * from the first byte, usually port 990).
   */
  secure?: boolean | 'implicit';
  /** PEM CA certificates the FTPS server's certificate must chain to (else the system CAs). */
  ca?: string;
  /** Accept a self-signed or otherwise unverifiable server certificate (FTPS only). */
  allowSelfSigned?: boolean;
  /** FTP allows one transfer per control connection, so this bounds parallel transfers. */
  maxConnections?: number;
  /** Control and data socket inactivity timeout. */
  timeoutMs?: number;
  acquireTimeoutMs?: number;
  validateAfterIdleMs?: number;
  logger?: ArtifactStoreLogger;
  /** Seam for tests: builds the basic-ftp client for each pooled connection. */
  clientFactory?: (timeoutMs: number) => Client;
}

const FORBIDDEN_IN_COMMANDS = /[\r\n\0]/;

/** Temp files of failed uploads remembered for removal once the server is back (bounded). */
const MAX_ORPHANS = 1000;

/** Never put a CR, LF or NUL into an FTP command line (command injection), whatever the caller checked. */
function assertCommandSafe(value: string, what: string): void {
  if (FORBIDDEN_IN_COMMANDS.test(value)) {
    throw what === 'path' ? invalidPath() : new Error(`FTP ${what} contains CR, LF or NUL`);
  }
}

/**
 * A reply from the server (numeric code). basic-ftp wraps a socket error as FTPError when it
 * fails its `instanceof Error` check (another realm, e.g. under Jest); its code is then a string.
 */
function isReplyError(err: unknown): err is FTPError & { code: number } {
  return err instanceof FTPError && typeof err.code === 'number';
}

/** True when the control connection can no longer be trusted. */
function breaksConnection(err: unknown, client: Client): boolean {
  if (client.closed) return true;
  if (err instanceof MlflowError) return false;
  return !isReplyError(err) || err.code === 421;
}

type Operation = 'read' | 'other';

const SPECIFIC_REPLIES = new Set([421, 425, 426, 452, 530, 550, 552]);

/**
 * `client`, when given, is the connection the error happened on: a reply the server sent while
 * going down ("500 OOPS" from vsftpd) is an outage, not an internal error.
 */
function mapFtpError(err: unknown, op: Operation = 'other', client?: Client): MlflowError {
  if (err instanceof MlflowError) return err;
  const fromPool = poolError(err);
  if (fromPool) return fromPool;
  if (isReplyError(err)) {
    if (client?.closed && !SPECIFIC_REPLIES.has(err.code)) return unavailable('connection lost');
    switch (err.code) {
      case 421:
        return unavailable('service not available (421)');
      case 425:
        return unavailable('cannot open data connection (425)');
      case 426:
        return unavailable('transfer aborted (426)');
      case 530:
        return unavailable('login failed');
      case 452:
      case 552:
        return insufficientStorage();
      case 550:
        return op === 'read'
          ? MlflowError.resourceDoesNotExist('File not found')
          : storeError('FTP 550');
      default:
        return err.code >= 400 && err.code < 500
          ? unavailable(`FTP ${err.code}`)
          : storeError(`FTP ${err.code}`);
    }
  }
  const reason = networkReason(err);
  if (reason) return unavailable(reason);
  const message = err instanceof Error ? err.message : '';
  if (/timeout/i.test(message)) return unavailable('timeout');
  if (/certificate|self.signed|TLS|SSL/i.test(message)) return unavailable('TLS handshake failed');
  return unavailable('connection lost');
}

/**
 * Artifacts on an FTP or FTPS server (basic-ftp). Every command uses an absolute path under the
 * configured root; the working directory is never relied on. Connections are pooled (one
 * transfer per control connection), checked with NOOP after idling, and replaced when broken.
 */
export class FtpArtifactStore extends ArtifactStore {
  private readonly pool: ConnectionPool<Client>;
  private readonly root: string;
  private readonly timeoutMs: number;
  private rootReady = false;
  /** Temp files that could not be removed because the server was unreachable. */
  private readonly orphans = new Set<string>();

  constructor(private readonly options: FtpArtifactStoreOptions) {
    super();
    const root = posix.normalize(options.root || '/');
    if (!root.startsWith('/')) throw new Error('FTP root must be an absolute path');
    assertCommandSafe(root, 'root');
    assertCommandSafe(options.host, 'host');
    assertCommandSafe(options.user ?? '', 'user');
    assertCommandSafe(options.password ?? '', 'password');
    this.root = root.length > 1 ? root.replace(/\/+$/, '') : root;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pool = new ConnectionPool<Client>(
      {
        create: () => this.connect(),
        destroy: async (client) => client.close(),
        isClosed: (client) => client.closed,
        validate: async (client) => (await client.send('NOOP')).code === 200,
      },
      {
        maxConnections: options.maxConnections ?? 4,
        acquireTimeoutMs: options.acquireTimeoutMs,
        validateAfterIdleMs: options.validateAfterIdleMs,
      },
    );
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  async list(path: string): Promise<FileInfo[] | null> {
    const abs = this.absolute(path);
    return this.run(async (client) => {
      if (!(await this.isDirectory(client, abs))) return null;
      // LIST without an argument after CWD: some servers glob or re-parse a path argument.
      const entries = await client.list();
      return sortByName(
        entries.flatMap((e: FtpFileInfo): FileInfo[] => {
          if (!isSafeEntryName(e.name) || isTempName(e.name)) return [];
          if (e.isDirectory) return [{ path: e.name, isDir: true }];
          if (e.isFile) return [{ path: e.name, isDir: false, fileSize: e.size }];
          return [];
        }),
      );
    });
  }

  async stat(path: string): Promise<ArtifactStat | null> {
    const abs = this.absolute(path);
    return this.run(async (client) => {
      const size = await this.fileSize(client, abs);
      if (size !== null) return { isDir: false, size };
      return (await this.isDirectory(client, abs)) ? { isDir: true, size: 0 } : null;
    });
  }

  async openRead(path: string): Promise<Readable> {
    const abs = this.absolute(path);
    const lease = await this.leaseWith(async (client) => {
      if (path === '' || (await this.fileSize(client, abs)) === null) {
        throw MlflowError.resourceDoesNotExist(`File not found: ${path}`);
      }
    });
    return this.download(lease, abs);
  }

  async write(path: string, source: Readable): Promise<void> {
    const detached = detachSource(source);
    let lease: Lease<Client>;
    let abs: string;
    let tmp: string;
    try {
      abs = this.absolute(path);
      if (path === '') throw invalidPath('cannot write the root');
      const dir = posix.dirname(abs);
      tmp = `${dir}/${tempNameFor(posix.basename(abs))}`;
      lease = await this.leaseWith((client) => this.ensureDirectory(client, dir));
    } catch (err) {
      detached.detach();
      throw mapFtpError(err);
    }

    const client = lease.connection;
    const started = Date.now();
    try {
      await client.uploadFrom(detached.stream, tmp);
      const failure = detached.failure();
      if (failure) {
        await client.remove(tmp, true);
        lease.release();
        throw failure;
      }
      await this.replace(client, tmp, abs);
    } catch (err) {
      if (err === detached.failure()) throw err;
      const broken = breaksConnection(err, client);
      lease.release(broken);
      detached.detach();
      await this.removeQuietly(tmp, broken ? undefined : client);
      throw detached.failure() ?? mapFtpError(err, 'other', client);
    }
    try {
      await this.sweepAbandoned(client, abs, Date.now() - started);
      lease.release();
    } catch (err) {
      // The file is in place; an abandoned temp file is met again on the next write.
      lease.release(breaksConnection(err, client));
      this.log('Could not remove the temporary files of abandoned uploads');
    }
  }

  async delete(path: string): Promise<void> {
    const abs = this.absolute(path);
    if (path === '') throw invalidPath('cannot delete the root');
    await this.run(async (client) => {
      const removed = await client.send(`DELE ${abs}`).then(
        () => true,
        (err: unknown) => {
          if (isReplyError(err) && err.code >= 500) return false;
          throw err;
        },
      );
      if (!removed && (await this.isDirectory(client, abs))) await this.removeTree(client, abs);
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private absolute(path: string): string {
    const abs = joinUnderRoot(this.root, path);
    assertCommandSafe(abs, 'path');
    return abs;
  }

  private async connect(): Promise<Client> {
    const client = this.options.clientFactory?.(this.timeoutMs) ?? new Client(this.timeoutMs);
    try {
      await client.access({
        host: this.options.host,
        port: this.options.port ?? 21,
        user: this.options.user ?? 'anonymous',
        password: this.options.password ?? 'anonymous@',
        secure: this.options.secure ?? false,
        secureOptions: this.options.secure
          ? { rejectUnauthorized: !this.options.allowSelfSigned, ca: this.options.ca }
          : undefined,
      });
      if (!this.rootReady) {
        await this.ensureDirectory(client, this.root);
        this.rootReady = true;
      }
      await this.removeOrphans(client);
      return client;
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /**
   * Runs `op` on a pooled connection. A connection that broke on reuse (the server restarted
   * while it idled) is replaced once, together with its idle siblings, and `op` retried.
   */
  private async run<R>(op: (client: Client) => Promise<R>, attempt = 0): Promise<R> {
    let lease: Lease<Client>;
    try {
      lease = await this.pool.acquire();
    } catch (err) {
      throw mapFtpError(err);
    }
    try {
      const result = await op(lease.connection);
      lease.release();
      return result;
    } catch (err) {
      const broken = breaksConnection(err, lease.connection);
      lease.release(broken);
      if (!broken || !lease.reused || attempt > 0) {
        throw mapFtpError(err, 'other', lease.connection);
      }
      this.reconnecting();
      return this.run(op, attempt + 1);
    }
  }

  /** A lease on which `prepare` succeeded, with the same single retry as {@link run}. */
  private async leaseWith(
    prepare: (client: Client) => Promise<void>,
    attempt = 0,
  ): Promise<Lease<Client>> {
    let lease: Lease<Client>;
    try {
      lease = await this.pool.acquire();
    } catch (err) {
      throw mapFtpError(err);
    }
    try {
      await prepare(lease.connection);
      return lease;
    } catch (err) {
      const broken = breaksConnection(err, lease.connection);
      lease.release(broken);
      if (!broken || !lease.reused || attempt > 0) {
        throw mapFtpError(err, 'other', lease.connection);
      }
      this.reconnecting();
      return this.leaseWith(prepare, attempt + 1);
    }
  }

  private reconnecting(): void {
    this.log('FTP connection broke on reuse; reconnecting');
    this.pool.discardIdle();
  }

  /**
   * Streams RETR into a PassThrough. The consumer's stream ends only after the server confirmed
   * the transfer (226), so a truncated transfer surfaces as an error rather than a short file.
   * The lease is held until then; a consumer that destroys the stream aborts the transfer.
   */
  private download(lease: Lease<Client>, abs: string): Readable {
    const client = lease.connection;
    const out = new PassThrough({ highWaterMark: STREAM_BUFFER_BYTES });
    let done = false;
    const sink = new Writable({
      highWaterMark: STREAM_BUFFER_BYTES,
      write(chunk: Buffer, _encoding, callback) {
        if (out.destroyed) return callback(new Error('Consumer went away'));
        if (out.write(chunk)) return callback();
        out.once('drain', () => callback());
      },
    });
    out.once('close', () => {
      if (!done) client.close();
    });
    client.downloadTo(sink, abs).then(
      () => {
        done = true;
        lease.release();
        out.end();
      },
      (err: unknown) => {
        done = true;
        lease.release(breaksConnection(err, client));
        if (!out.destroyed) out.destroy(mapFtpError(err, 'read', client));
      },
    );
    return out;
  }

  /** Size of a regular file, or null when `abs` is missing or a directory (SIZE answers 550). */
  private async fileSize(client: Client, abs: string): Promise<number | null> {
    try {
      return await client.size(abs);
    } catch (err) {
      if (isReplyError(err) && err.code >= 500) {
        if (err.code === 550) return null;
        // SIZE unsupported (500/502): fall back to listing the parent.
        return this.sizeFromListing(client, abs);
      }
      throw err;
    }
  }

  private async sizeFromListing(client: Client, abs: string): Promise<number | null> {
    if (abs === this.root || !(await this.isDirectory(client, posix.dirname(abs)))) return null;
    const name = posix.basename(abs);
    const entry = (await client.list()).find((e) => e.name === name);
    return entry?.isFile ? entry.size : null;
  }

  private async isDirectory(client: Client, abs: string): Promise<boolean> {
    try {
      await client.cd(abs);
      return true;
    } catch (err) {
      if (isReplyError(err) && err.code >= 500) return false;
      throw err;
    }
  }

  /** Creates `abs` and its missing parents below the root; concurrent creators are fine. */
  private async ensureDirectory(client: Client, abs: string): Promise<void> {
    if (await this.isDirectory(client, abs)) return;
    const base = abs.startsWith(`${this.root}/`) && this.rootReady ? this.root : '';
    let current = base === '/' ? '' : base;
    for (const segment of abs.slice(base.length).split('/').filter(Boolean)) {
      current = `${current}/${segment}`;
      // An error here means "exists" or "cannot": the final CWD tells which.
      await client.sendIgnoringError(`MKD ${current}`);
    }
    if (!(await this.isDirectory(client, abs))) throw invalidPath('a parent is a file');
  }

  /** RNFR/RNTO over the target; servers that refuse to overwrite get a DELE first. */
  private async replace(client: Client, tmp: string, abs: string): Promise<void> {
    try {
      await client.rename(tmp, abs);
      return;
    } catch (err) {
      if (!isReplyError(err) || err.code < 500) throw err;
    }
    if (await this.isDirectory(client, abs)) {
      await client.remove(tmp, true);
      throw invalidPath('is a directory');
    }
    // Swept as abandoned by a newer upload of the same path (see sweepAbandoned): the file in
    // place is that upload's and stays; the client's retry makes this one the last writer.
    if ((await this.fileSize(client, tmp)) === null) {
      throw unavailable('the upload was superseded by another upload of the same path');
    }
    await client.remove(abs, true);
    await client.rename(tmp, abs);
  }

  /**
   * Removes the temp files that earlier uploads of the same path left behind when their process
   * died mid-transfer (SIGKILL, OOM, a lost node): the server keeps the partial file, and nothing
   * but a later write of that path meets it again (a client's retry). A temp file counts as
   * abandoned when it has not changed since this upload began, so a concurrent upload of the
   * same path that is still sending keeps its own. MDTM has whole seconds on the server's clock:
   * the start is taken as the new file's time minus this upload's duration, which is never later
   * than the real start, and a temp file must be older by a full second.
   */
  private async sweepAbandoned(client: Client, abs: string, elapsedMs: number): Promise<void> {
    const dir = posix.dirname(abs);
    const prefix = tempPrefixFor(posix.basename(abs));
    await client.cd(dir);
    const candidates = (await client.list()).filter(
      (e) => e.isFile && isSafeEntryName(e.name) && isTempName(e.name) && e.name.startsWith(prefix),
    );
    if (candidates.length === 0) return;
    const began = (await client.lastMod(abs)).getTime() - elapsedMs;
    for (const entry of candidates) {
      const tmp = `${dir === '/' ? '' : dir}/${entry.name}`;
      assertCommandSafe(tmp, 'path');
      const modified = await client.lastMod(tmp).catch((err: unknown) => {
        if (isReplyError(err)) return undefined; // gone already, or no MDTM
        throw err;
      });
      if (modified && modified.getTime() + 1000 <= began) {
        await client.remove(tmp, true);
        this.log('Removed the temporary file of an abandoned upload');
      }
    }
  }

  /** Depth-first with absolute paths only; listing names are checked before use. */
  private async removeTree(client: Client, abs: string): Promise<void> {
    await client.cd(abs);
    const entries = await client.list();
    for (const entry of entries) {
      if (!isSafeEntryName(entry.name)) continue;
      const child = `${abs}/${entry.name}`;
      assertCommandSafe(child, 'path');
      if (entry.isDirectory) await this.removeTree(client, child);
      else await client.send(`DELE ${child}`);
    }
    await client.cd(this.root);
    await client.send(`RMD ${abs}`);
  }

  private async removeQuietly(tmp: string, client?: Client): Promise<void> {
    try {
      if (client && !client.closed) {
        await client.remove(tmp, true);
        return;
      }
      await this.run((c) => c.remove(tmp, true));
    } catch {
      // The server is down (an outage mid-upload): retried on the next connection made.
      if (this.orphans.size < MAX_ORPHANS) this.orphans.add(tmp);
      this.log('Could not remove a temporary upload file; it is removed once the server is back');
    }
  }

  /**
   * Removes the temp files of uploads that failed while the server was unreachable, on a new
   * connection before it is lent out. Reply errors (550: already gone) are ignored by `remove`;
   * a connection error fails the connect like any other.
   */
  private async removeOrphans(client: Client): Promise<void> {
    for (const tmp of [...this.orphans]) {
      await client.remove(tmp, true);
      this.orphans.delete(tmp);
    }
  }

  private log(message: string): void {
    this.options.logger?.warn(message);
  }
}
