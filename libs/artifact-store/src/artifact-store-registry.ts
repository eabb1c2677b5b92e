import { ArtifactStore, redactUri } from '@app/domain';

import { ArtifactStoreLogger, FtpArtifactStore } from './ftp-artifact-store';
import { LocalArtifactStore } from './local-artifact-store';
import { SftpArtifactStore } from './sftp-artifact-store';

/**
 * Settings that do not belong in a URI. Credentials given here win over those in the URI, so
 * deployments can keep them in secrets and use a credential-free ARTIFACTS_DESTINATION.
 */
export interface ArtifactStoreOptions {
  ftpUser?: string;
  ftpPassword?: string;
  /** FTPS: accept a self-signed server certificate. */
  ftpAllowSelfSigned?: boolean;
  /** FTPS: TLS from the first byte instead of `AUTH TLS`. */
  ftpsImplicit?: boolean;
  /** FTPS: PEM CA certificates to verify the server with. */
  ftpsCa?: string;
  sftpUser?: string;
  sftpPassword?: string;
  sftpPrivateKeyPath?: string;
  sftpPassphrase?: string;
  /** SFTP: pin the host key (`SHA256:<base64>`, as `ssh-keygen -lf` prints it). */
  sftpHostKeySha256?: string;
  /** Pool size (FTP default 4, SFTP default 2). */
  maxConnections?: number;
  timeoutMs?: number;
  acquireTimeoutMs?: number;
  logger?: ArtifactStoreLogger;
}

export type ArtifactStoreFactory = (
  destination: string,
  options: ArtifactStoreOptions,
) => ArtifactStore;

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const UNSAFE = /[\r\n\0]/;

/** Picks an adapter by the scheme of the destination URI, like MLflow's artifact repository registry. */
export class ArtifactStoreRegistry {
  private readonly factories = new Map<string, ArtifactStoreFactory>();

  register(scheme: string, factory: ArtifactStoreFactory): this {
    this.factories.set(scheme.toLowerCase(), factory);
    return this;
  }

  schemes(): string[] {
    return [...this.factories.keys()];
  }

  /**
   * Builds the store for `destination`: `file:` URIs or plain paths, `ftp://`, `ftps://`,
   * `sftp://`. Throws an Error listing the known schemes for any other; error messages show the
   * destination with its credentials redacted.
   */
  create(destination: string, options: ArtifactStoreOptions = {}): ArtifactStore {
    const scheme = schemeOf(destination);
    const factory = this.factories.get(scheme);
    if (!factory) {
      throw new Error(
        `Unsupported artifact destination scheme '${scheme}' in ${redactUri(destination)}; ` +
          `known schemes: ${this.schemes().join(', ')}`,
      );
    }
    return factory(destination, options);
  }
}

/** The scheme that picks the adapter (`file` for plain paths), lower-cased. */
export function schemeOf(destination: string): string {
  const match = SCHEME.exec(destination);
  // A one-letter "scheme" is a Windows drive letter: a plain path.
  return match && match[1].length > 1 ? match[1].toLowerCase() : 'file';
}

function decode(value: string, destination: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new Error(`Invalid percent-encoding in artifact destination ${redactUri(destination)}`);
  }
}

function localPath(destination: string): string {
  if (!/^file:/i.test(destination)) return destination;
  let rest = destination.slice('file:'.length);
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const host = rest.slice(2, slash < 0 ? undefined : slash);
    if (host !== '' && host.toLowerCase() !== 'localhost') {
      throw new Error(
        `A file: artifact destination cannot name a remote host: ${redactUri(destination)}`,
      );
    }
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  const path = decode(rest, destination);
  if (path === '' || UNSAFE.test(path)) {
    throw new Error(`Invalid artifact destination ${redactUri(destination)}`);
  }
  return path;
}

interface RemoteTarget {
  host: string;
  port?: number;
  user?: string;
  password?: string;
  root: string;
}

function remoteTarget(destination: string): RemoteTarget {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    throw new Error(`Invalid artifact destination ${redactUri(destination)}`);
  }
  if (url.search || url.hash) {
    throw new Error(
      `Artifact destination must not have a query or fragment: ${redactUri(destination)}`,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error(`Artifact destination has no host: ${redactUri(destination)}`);
  const root = decode(url.pathname, destination) || '/';
  if (UNSAFE.test(root) || root.split('/').includes('..')) {
    throw new Error(`Invalid root directory in artifact destination ${redactUri(destination)}`);
  }
  return {
    host,
    port: url.port ? Number(url.port) : undefined,
    user: url.username ? decode(url.username, destination) : undefined,
    password: url.password ? decode(url.password, destination) : undefined,
    root,
  };
}

function ftpFactory(secure: boolean): ArtifactStoreFactory {
  return (destination, options) => {
    const target = remoteTarget(destination);
    return new FtpArtifactStore({
      host: target.host,
      port: target.port,
      user: options.ftpUser ?? target.user,
      password: options.ftpPassword ?? target.password,
      root: target.root,
      secure: secure && options.ftpsImplicit ? 'implicit' : secure,
      ca: secure ? options.ftpsCa : undefined,
      allowSelfSigned: options.ftpAllowSelfSigned,
      maxConnections: options.maxConnections,
      timeoutMs: options.timeoutMs,
      acquireTimeoutMs: options.acquireTimeoutMs,
      logger: options.logger,
    });
  };
}

const sftpFactory: ArtifactStoreFactory = (destination, options) => {
  const target = remoteTarget(destination);
  const user = options.sftpUser ?? target.user;
  if (!user) throw new Error(`SFTP artifact destination needs a user: ${redactUri(destination)}`);
  return new SftpArtifactStore({
    host: target.host,
    port: target.port,
    user,
    password: options.sftpPassword ?? target.password,
    privateKeyPath: options.sftpPrivateKeyPath,
    passphrase: options.sftpPassphrase,
    hostKeySha256: options.sftpHostKeySha256,
    root: target.root,
    maxConnections: options.maxConnections,
    timeoutMs: options.timeoutMs,
    acquireTimeoutMs: options.acquireTimeoutMs,
    logger: options.logger,
  });
};

/** The registry with the built-in schemes. */
export function defaultArtifactStoreRegistry(): ArtifactStoreRegistry {
  return new ArtifactStoreRegistry()
    .register('file', (destination) => new LocalArtifactStore(localPath(destination)))
    .register('ftp', ftpFactory(false))
    .register('ftps', ftpFactory(true))
    .register('sftp', sftpFactory);
}

/** The store for a destination URI (the validated ARTIFACTS_DESTINATION), with the built-in schemes. */
export function createArtifactStore(
  destination: string,
  options?: ArtifactStoreOptions,
): ArtifactStore {
  return defaultArtifactStoreRegistry().create(destination, options);
}
