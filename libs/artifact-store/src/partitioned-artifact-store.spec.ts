import { Readable } from 'node:stream';

import { ArtifactPartitions, FileInfo, MlflowError } from '@app/domain';

import { UnusedArtifactStore } from '../../../test/support/unused-ports';
import { PartitionedArtifactStore } from './partitioned-artifact-store';

class RecordingStore extends UnusedArtifactStore {
  readonly paths: string[] = [];
  override list(path: string): Promise<FileInfo[] | null> {
    this.paths.push(`list ${path}`);
    return Promise.resolve([]);
  }
  override openRead(path: string): Promise<Readable> {
    this.paths.push(`read ${path}`);
    if (path.endsWith('missing.txt')) {
      return Promise.reject(MlflowError.resourceDoesNotExist(`File not found: ${path}`));
    }
    return Promise.resolve(Readable.from([]));
  }
  override write(path: string): Promise<void> {
    this.paths.push(`write ${path}`);
    return Promise.resolve();
  }
  override delete(path: string): Promise<void> {
    this.paths.push(`delete ${path}`);
    return Promise.resolve();
  }
}

class Owners extends ArtifactPartitions {
  partitionOf(experimentId: string): Promise<string | null> {
    return Promise.resolve(experimentId === '7' ? 'owners/3' : null);
  }
}

describe(PartitionedArtifactStore.name, () => {
  it("puts an owned experiment's paths under its owner and leaves the rest where they are", async () => {
    const inner = new RecordingStore();
    const sut = new PartitionedArtifactStore(inner, new Owners());
    await sut.write('7/abc/artifacts/f.txt', Readable.from([]));
    await sut.openRead('7/abc/artifacts/f.txt');
    await sut.list('7/abc/artifacts');
    await sut.delete('7/abc');
    await sut.list('8/def/artifacts');
    await sut.list('');
    expect(inner.paths).toEqual([
      'write owners/3/7/abc/artifacts/f.txt',
      'read owners/3/7/abc/artifacts/f.txt',
      'list owners/3/7/abc/artifacts',
      'delete owners/3/7/abc',
      'list 8/def/artifacts',
      'list ',
    ]);
  });

  it("answers a store's error without the owners' directories in it", async () => {
    const sut = new PartitionedArtifactStore(new RecordingStore(), new Owners());
    const inOwned = await sut.openRead('7/abc/artifacts/missing.txt').catch((e: unknown) => e);
    expect(inOwned).toBeInstanceOf(MlflowError);
    expect((inOwned as MlflowError).code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((inOwned as MlflowError).message).toBe('File not found: 7/abc/artifacts/missing.txt');
    const free = await sut.openRead('owners/12/missing.txt').catch((e: unknown) => e);
    expect((free as MlflowError).message).toBe('File not found: missing.txt');
  });
});
