import type { Readable } from 'node:stream';

import {
  ArtifactPartitions,
  ArtifactStat,
  ArtifactStore,
  FileInfo,
  MlflowError,
  Principal,
  withoutOwnerPartitions,
} from '@app/domain';

/**
 * Puts each experiment's files under its owner's directory (`owners/<user id>/<experiment>/…`),
 * whatever service asks: the proxy, tracking's artifact routes and the registry's downloads all
 * go through this one mapping. Paths reach it canonical (checked by the services); the first
 * segment is the experiment id, and an experiment without an owner keeps the flat layout.
 */
export class PartitionedArtifactStore extends ArtifactStore {
  constructor(
    private readonly inner: ArtifactStore,
    private readonly partitions: ArtifactPartitions,
  ) {
    super();
  }

  async list(path: string): Promise<FileInfo[] | null> {
    return this.inner.list(await this.located(path)).catch(clientFacing);
  }

  async stat(path: string): Promise<ArtifactStat | null> {
    return this.inner.stat(await this.located(path)).catch(clientFacing);
  }

  async openRead(path: string): Promise<Readable> {
    return this.inner.openRead(await this.located(path)).catch(clientFacing);
  }

  async write(path: string, source: Readable): Promise<void> {
    return this.inner.write(await this.located(path), source).catch(clientFacing);
  }

  async delete(path: string): Promise<void> {
    return this.inner.delete(await this.located(path)).catch(clientFacing);
  }

  override get forwardsCaller(): boolean {
    return this.inner.forwardsCaller;
  }

  override freeLocation(caller: Principal, path: string): string {
    return this.inner.freeLocation(caller, path);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async located(path: string): Promise<string> {
    const experimentId = path.split('/', 1)[0];
    if (experimentId === '') return path;
    const partition = await this.partitions.partitionOf(experimentId);
    return partition === null ? path : `${partition}/${path}`;
  }
}

function clientFacing(error: unknown): never {
  if (error instanceof MlflowError) {
    const message = withoutOwnerPartitions(error.message);
    if (message !== error.message) {
      throw new MlflowError(error.code, message, error.retryAfterSeconds, error.cause);
    }
  }
  throw error;
}
