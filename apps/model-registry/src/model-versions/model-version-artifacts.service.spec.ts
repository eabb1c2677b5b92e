import { Readable } from 'node:stream';

import { LOCAL_OPERATOR, MlflowError, Principal } from '@app/domain';

import { UnusedArtifactStore } from '../../../../test/support/unused-ports';
import { ModelVersionArtifactsService } from './model-version-artifacts.service';
import { ModelVersionsService } from './model-versions.service';

const RUN_ID = '0123456789abcdef0123456789abcdef';
const MODEL_ID = 'm-0123456789abcdef0123456789abcdef';

/** The one ModelVersionsService method the download needs; `location` is its answer. */
class FakeVersions implements Pick<ModelVersionsService, 'getDownloadUri'> {
  asked: [string, string][] = [];
  location = `mlflow-artifacts:/1/${RUN_ID}/artifacts/model`;

  getDownloadUri(name: string, version: string): Promise<string> {
    this.asked.push([name, version]);
    return Promise.resolve(this.location);
  }
}

class FakeArtifactStore extends UnusedArtifactStore {
  opened: string[] = [];

  override openRead(path: string): Promise<Readable> {
    this.opened.push(path);
    return Promise.resolve(Readable.from([Buffer.from('bytes')]));
  }
}

describe(ModelVersionArtifactsService.name, () => {
  let sut: ModelVersionArtifactsService;
  let versions: FakeVersions;
  let store: FakeArtifactStore;

  beforeEach(() => {
    versions = new FakeVersions();
    store = new FakeArtifactStore();
    sut = new ModelVersionArtifactsService(versions as unknown as ModelVersionsService, store);
  });

  const rejection = async (promise: Promise<unknown>): Promise<MlflowError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  };

  it("opens the file under the version's storage location and names it by its basename", async () => {
    const download = await sut.download('m', '1', 'data//model.pkl', LOCAL_OPERATOR);
    expect(versions.asked).toEqual([['m', '1']]);
    expect(store.opened).toEqual([`1/${RUN_ID}/artifacts/model/data/model.pkl`]);
    expect(download.fileName).toBe('model.pkl');
  });

  it("reads a logged model's files under its directory", async () => {
    versions.location = `mlflow-artifacts:/1/models/${MODEL_ID}/artifacts`;
    await sut.download('m', '1', 'MLmodel', LOCAL_OPERATOR);
    expect(store.opened).toEqual([`1/models/${MODEL_ID}/artifacts/MLmodel`]);
  });

  it('refuses an unsafe path before reading the version', async () => {
    const error = await rejection(sut.download('m', '1', '../../../other/secret', LOCAL_OPERATOR));
    expect(error.message).toBe('Invalid path');
    expect(versions.asked).toEqual([]);
    expect(store.opened).toEqual([]);
  });

  it.each([
    ['an object store', 's3://bucket/model'],
    ['a local path', '/srv/models/m'],
    ["a prompt's placeholder", 'dummy-source'],
  ])('refuses a version stored in %s', async (_case, location) => {
    versions.location = location;
    const error = await rejection(sut.download('m', '3', 'MLmodel', LOCAL_OPERATOR));
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toBe(
      'The files of model version (name=m, version=3) are not stored on this server.',
    );
    expect(store.opened).toEqual([]);
  });

  it("refuses a location beside a run's artifacts, checked again at read time", async () => {
    versions.location = `mlflow-artifacts:/1/${RUN_ID}/secrets`;
    const error = await rejection(sut.download('m', '1', 'MLmodel', LOCAL_OPERATOR));
    expect(error.message).toBe('Invalid path');
    expect(store.opened).toEqual([]);
  });

  it.each([
    ['the store root', 'mlflow-artifacts:', 'MLmodel', 'MLmodel'],
    ['a directory outside any run', 'mlflow-artifacts:/1/models', 'MLmodel', '1/models/MLmodel'],
  ])('reads a version stored at %s as a free path', async (_case, location, path, opened) => {
    versions.location = location;
    await sut.download('m', '1', path, LOCAL_OPERATOR);
    expect(store.opened).toEqual([opened]);
  });

  it("keeps everything below a free location in the caller's own namespace", async () => {
    const alice: Principal = { userId: 7, username: 'alice', isAdmin: false };
    versions.location = 'mlflow-artifacts:/1';
    await sut.download('m', '1', `${RUN_ID}/artifacts/secret`, alice);
    expect(store.opened).toEqual([`owners/7/1/${RUN_ID}/artifacts/secret`]);
  });
});
