import { PassThrough, Readable } from 'node:stream';

import { FileInfo, LOCAL_OPERATOR, MlflowError } from '@app/domain';

import { UnusedArtifactStore } from '../../../../test/support/unused-ports';
import { ArtifactAccess, ArtifactTarget } from './artifact-access.service';
import { ArtifactsService, MULTIPART_NOT_SUPPORTED } from './artifacts.service';

/**
 * Records which check each route asks for. The resolved path differs from the raw one, so the
 * specs see that only the resolved path reaches the store; `refuse` makes every check fail.
 */
class FakeAccess implements Pick<ArtifactAccess, 'resolve' | 'resolveFile'> {
  checks: [string, string][] = [];
  refuse = false;

  resolve(rawPath: string): Promise<ArtifactTarget> {
    return this.check('resolve', rawPath);
  }
  resolveFile(rawPath: string): Promise<ArtifactTarget> {
    return this.check('resolveFile', rawPath);
  }
  private check(method: string, rawPath: string): Promise<ArtifactTarget> {
    this.checks.push([method, rawPath]);
    if (this.refuse) return Promise.reject(MlflowError.invalidParameterValue('Invalid path'));
    return Promise.resolve({
      path: `1/r/artifacts/resolved/${rawPath}`,
      scope: {
        kind: 'run',
        path: `1/r/artifacts/resolved/${rawPath}`,
        experimentId: '1',
        runId: 'r',
        rest: `resolved/${rawPath}`,
      },
    });
  }
}

/** Records the paths it is asked for; `writeError` makes write fail with it. */
class FakeArtifactStore extends UnusedArtifactStore {
  calls: [string, string][] = [];
  written: Readable[] = [];
  listing: FileInfo[] | null = [];
  writeError?: Error;

  override list(path: string): Promise<FileInfo[] | null> {
    this.calls.push(['list', path]);
    return Promise.resolve(this.listing);
  }
  override openRead(path: string): Promise<Readable> {
    this.calls.push(['openRead', path]);
    return Promise.resolve(Readable.from([Buffer.from('bytes')]));
  }
  override write(path: string, source: Readable): Promise<void> {
    this.calls.push(['write', path]);
    this.written.push(source);
    return this.writeError === undefined ? Promise.resolve() : Promise.reject(this.writeError);
  }
  override delete(path: string): Promise<void> {
    this.calls.push(['delete', path]);
    return Promise.resolve();
  }
}

describe(ArtifactsService.name, () => {
  let sut: ArtifactsService;
  let access: FakeAccess;
  let store: FakeArtifactStore;

  beforeEach(() => {
    access = new FakeAccess();
    store = new FakeArtifactStore();
    sut = new ArtifactsService(store, access as unknown as ArtifactAccess);
  });

  const rejection = async (promise: Promise<unknown>): Promise<MlflowError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  };

  describe('upload', () => {
    it('checks for a file path, then streams the body itself to the resolved path', async () => {
      const body = new PassThrough();
      await sut.upload('raw/f.txt', body, LOCAL_OPERATOR);
      expect(access.checks).toEqual([['resolveFile', 'raw/f.txt']]);
      expect(store.calls).toEqual([['write', '1/r/artifacts/resolved/raw/f.txt']]);
      expect(store.written[0]).toBe(body);
    });

    it('drains the body of a refused upload and writes nothing', async () => {
      access.refuse = true;
      const body = new PassThrough();
      const error = await rejection(sut.upload('bad', body, LOCAL_OPERATOR));
      expect(error.message).toBe('Invalid path');
      expect(store.calls).toEqual([]);
      expect(body.readableFlowing).toBe(true);
    });

    it("passes the store's own errors on as they are", async () => {
      store.writeError = new MlflowError('INSUFFICIENT_STORAGE', 'The artifact store is full.');
      const body = new PassThrough();
      const error = await rejection(sut.upload('f', body, LOCAL_OPERATOR));
      expect(error.code).toBe('INSUFFICIENT_STORAGE');
      expect(error.message).toBe('The artifact store is full.');
      expect(body.readableFlowing).toBe(true);
    });

    it('answers CANCELLED when the body breaks off', async () => {
      store.writeError = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      const error = await rejection(sut.upload('f', new PassThrough(), LOCAL_OPERATOR));
      expect(error.code).toBe('CANCELLED');
      expect(error.message).toBe('The upload was interrupted before its end.');
    });
  });

  describe('download', () => {
    it('opens the resolved path and names the file by its basename', async () => {
      const download = await sut.download('model/MLmodel', LOCAL_OPERATOR);
      expect(access.checks).toEqual([['resolve', 'model/MLmodel']]);
      expect(store.calls).toEqual([['openRead', '1/r/artifacts/resolved/model/MLmodel']]);
      expect(download.fileName).toBe('MLmodel');
    });

    it('opens nothing when the path is refused', async () => {
      access.refuse = true;
      await rejection(sut.download('x', LOCAL_OPERATOR));
      expect(store.calls).toEqual([]);
    });
  });

  describe('list', () => {
    it("checks an absent path as '' (the root)", async () => {
      access.refuse = true;
      await rejection(sut.list(undefined, LOCAL_OPERATOR));
      expect(access.checks).toEqual([['resolve', '']]);
      expect(store.calls).toEqual([]);
    });

    it('answers the entries, and none for a file or a missing path', async () => {
      store.listing = [{ path: 'MLmodel', isDir: false, fileSize: 4 }];
      expect(await sut.list('model', LOCAL_OPERATOR)).toEqual([
        { path: 'MLmodel', isDir: false, fileSize: 4 },
      ]);
      store.listing = null;
      expect(await sut.list('model/MLmodel', LOCAL_OPERATOR)).toEqual([]);
      expect(store.calls).toEqual([
        ['list', '1/r/artifacts/resolved/model'],
        ['list', '1/r/artifacts/resolved/model/MLmodel'],
      ]);
    });
  });

  describe('delete', () => {
    it('deletes the resolved path, and nothing when the path is refused', async () => {
      await sut.delete('model', LOCAL_OPERATOR);
      access.refuse = true;
      await rejection(sut.delete('other', LOCAL_OPERATOR));
      expect(store.calls).toEqual([['delete', '1/r/artifacts/resolved/model']]);
    });
  });

  describe('multipartUpload', () => {
    it('answers NOT_IMPLEMENTED with the message the client falls back on', async () => {
      const error = await rejection(sut.multipartUpload('big.bin', LOCAL_OPERATOR));
      expect(error.code).toBe('NOT_IMPLEMENTED');
      expect(error.message).toBe(MULTIPART_NOT_SUPPORTED);
      expect(MULTIPART_NOT_SUPPORTED).toBe(
        'Multipart upload is not supported for the current artifact repository',
      );
      expect(access.checks).toEqual([['resolveFile', 'big.bin']]);
    });

    it('checks the path first', async () => {
      access.refuse = true;
      const error = await rejection(sut.multipartUpload('bad', LOCAL_OPERATOR));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    });
  });
});
