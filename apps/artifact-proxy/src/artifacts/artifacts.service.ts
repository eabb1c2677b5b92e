import { posix } from 'node:path';
import type { Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';

import {
  ArtifactStore,
  FileInfo,
  holdsEntityDirectories,
  MlflowError,
  Principal,
} from '@app/domain';

import { ArtifactAccess, ArtifactTarget } from './artifact-access.service';

/** The message prefix the MLflow client matches to fall back to a single PUT (contract §9.14). */
export const MULTIPART_NOT_SUPPORTED =
  'Multipart upload is not supported for the current artifact repository';

export interface ArtifactDownload {
  fileName: string;
  stream: Readable;
}

/**
 * The `mlflow-artifacts` proxy (MLflow's `--serve-artifacts`): every path is checked by
 * {@link ArtifactAccess} before the store sees it; bytes stream through, never buffered whole.
 */
@Injectable()
export class ArtifactsService {
  constructor(
    private readonly store: ArtifactStore,
    private readonly access: ArtifactAccess,
  ) {}

  /**
   * Writes the body to the path (atomically, see ArtifactStore.write). A body that breaks off
   * is CANCELLED: nothing is written, and the client is gone anyway.
   */
  async upload(rawPath: string, body: Readable, caller: Principal): Promise<void> {
    try {
      const { path } = await this.changeable(rawPath, caller);
      await this.store.write(path, body);
    } catch (error) {
      // Clients send the whole body before they read the answer: discard the rest, or a
      // refused upload would stall until the client times out instead of seeing the error.
      body.resume();
      // The store throws MlflowErrors for its own failures and rethrows the body's error as is.
      if (error instanceof MlflowError) throw error;
      throw new MlflowError('CANCELLED', 'The upload was interrupted before its end.');
    }
  }

  async download(rawPath: string, caller: Principal): Promise<ArtifactDownload> {
    const { path } = await this.access.resolve(rawPath, caller);
    return { fileName: posix.basename(path), stream: await this.store.openRead(path) };
  }

  /** Basenames of the directory's children; none for a file or a missing path. */
  async list(rawPath: string | undefined, caller: Principal): Promise<FileInfo[]> {
    const { path } = await this.access.resolve(rawPath ?? '', caller);
    return (await this.store.list(path)) ?? [];
  }

  async delete(rawPath: string, caller: Principal): Promise<void> {
    const { path } = await this.changeable(rawPath, caller, false);
    await this.store.delete(path);
  }

  /** No store here can presign parts; the path is still checked like every other route's. */
  async multipartUpload(rawPath: string, caller: Principal): Promise<never> {
    await this.changeable(rawPath, caller);
    throw MlflowError.notImplemented(MULTIPART_NOT_SUPPORTED);
  }

  /** A path a write or delete may touch: never one that holds other entities' directories. */
  private async changeable(
    rawPath: string,
    caller: Principal,
    file = true,
  ): Promise<ArtifactTarget> {
    const target = file
      ? await this.access.resolveFile(rawPath, caller)
      : await this.access.resolve(rawPath, caller);
    if (holdsEntityDirectories(target.scope)) {
      throw MlflowError.invalidParameterValue('Invalid path');
    }
    return target;
  }
}
