import { ArtifactStore, ArtifactStoreStatus, PoolUsage, redactUri } from '@app/domain';

import { PoolStats } from './connection-pool';
import { ProxyArtifactStore } from './proxy-artifact-store';

interface Pooled {
  stats(): PoolStats;
}

function isPooled(store: ArtifactStore): store is ArtifactStore & Pooled {
  return typeof (store as Partial<Pooled>).stats === 'function';
}

/**
 * Readiness of the artifact store: listing its root, which for FTP also opens a data connection
 * (a passive-mode address or port range that does not work fails here, not on the first upload).
 */
export class StoreRootStatus extends ArtifactStoreStatus {
  readonly description: string;

  constructor(
    /** The adapter itself, not the metered store: probes are not transfers. */
    private readonly store: ArtifactStore,
    readonly kind: string,
    destination: string,
  ) {
    super();
    this.description = redactUri(destination);
  }

  async check(): Promise<void> {
    let root;
    try {
      root = await this.store.list('');
    } catch (error) {
      // Adapter errors are MlflowErrors whose messages carry no credential, host or path.
      throw new Error(error instanceof Error ? error.message : 'Artifact store error');
    }
    if (root === null) throw new Error('Artifact store root directory is missing');
  }

  poolUsage(): PoolUsage | null {
    if (!isPooled(this.store)) return null;
    const { max, size, idle, waiting } = this.store.stats();
    return { max, inUse: size - idle, idle, waiting };
  }
}

/**
 * Readiness of the artifact bytes in a split deployment: the artifact proxy's own `/health/ready`
 * (which checks its store). Listing the root instead would need a caller the probe does not have.
 */
export class ProxyStatus extends ArtifactStoreStatus {
  readonly kind = 'proxy';
  readonly description: string;

  constructor(
    private readonly proxy: ProxyArtifactStore,
    url: string,
  ) {
    super();
    this.description = `artifact proxy ${redactUri(url)}`;
  }

  async check(): Promise<void> {
    try {
      await this.proxy.checkReady();
    } catch (error) {
      throw new Error(error instanceof Error ? error.message : 'Artifact proxy error');
    }
  }

  poolUsage(): PoolUsage | null {
    return null;
  }
}
