import { Readable } from 'node:stream';

import { FileInfo, LIMITS, LoggedModel, MlflowError, RunInfo } from '@app/domain';

import {
  UnusedArtifactStore,
  UnusedLoggedModelStore,
  UnusedRunStore,
} from '../../../../test/support/unused-ports';
import { ArtifactsService } from './artifacts.service';

const MAX_UI_UPLOAD_BYTES = LIMITS.uiUploadMaxBytes;

const RUN_ID = '0123456789abcdef0123456789abcdef';
const MODEL_ID = 'm-0123456789abcdef0123456789abcdef';

/** Answers getRunInfo with `artifactUri`; records which runs were looked up. */
class FakeRunStore extends UnusedRunStore {
  lookups: string[] = [];
  artifactUri = `mlflow-artifacts:/1/${RUN_ID}/artifacts`;

  override getRunInfo(runId: string): Promise<RunInfo> {
    this.lookups.push(runId);
    return Promise.resolve({
      runId,
      experimentId: '1',
      runName: 'n',
      userId: '',
      status: 'RUNNING',
      startTime: 1,
      endTime: null,
      artifactUri: this.artifactUri,
      lifecycleStage: 'active',
    });
  }
}

class FakeLoggedModelStore extends UnusedLoggedModelStore {
  lookups: string[] = [];

  override getLoggedModel(modelId: string): Promise<LoggedModel> {
    this.lookups.push(modelId);
    return Promise.resolve({
      modelId,
      experimentId: '1',
      name: 'm',
      artifactLocation: `mlflow-artifacts:/1/models/${modelId}/artifacts`,
      creationTimestampMs: 1,
      lastUpdatedTimestampMs: 1,
      status: 'LOGGED_MODEL_READY',
      statusMessage: null,
      modelType: null,
      sourceRunId: null,
      lifecycleStage: 'active',
      tags: [],
      params: [],
      metrics: [],
    });
  }
}

/** Records the paths it is asked for and the bytes written; `listing` is what list answers. */
class FakeArtifactStore extends UnusedArtifactStore {
  listed: string[] = [];
  opened: string[] = [];
  written = new Map<string, Buffer>();
  listing: FileInfo[] | null = [];

  override list(path: string): Promise<FileInfo[] | null> {
    this.listed.push(path);
    return Promise.resolve(this.listing);
  }
  override openRead(path: string): Promise<Readable> {
    this.opened.push(path);
    return Promise.resolve(Readable.from([Buffer.from('bytes')]));
  }
  override async write(path: string, source: Readable): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(Buffer.from(chunk as Uint8Array));
    this.written.set(path, Buffer.concat(chunks));
  }
}

const bodyOf = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c)));

describe(ArtifactsService.name, () => {
  let sut: ArtifactsService;
  let runs: FakeRunStore;
  let models: FakeLoggedModelStore;
  let store: FakeArtifactStore;

  beforeEach(() => {
    runs = new FakeRunStore();
    models = new FakeLoggedModelStore();
    store = new FakeArtifactStore();
    sut = new ArtifactsService(runs, models, store);
  });

  const rejection = async (promise: Promise<unknown>): Promise<MlflowError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  };

  describe('list', () => {
    it("lists the run's artifact root when no path is given", async () => {
      store.listing = [{ path: 'model', isDir: true }];
      const listing = await sut.list(RUN_ID, undefined);
      expect(runs.lookups).toEqual([RUN_ID]);
      expect(store.listed).toEqual([`1/${RUN_ID}/artifacts`]);
      expect(listing).toEqual({
        rootUri: `mlflow-artifacts:/1/${RUN_ID}/artifacts`,
        files: [{ path: 'model', isDir: true }],
      });
    });

    it('gives the entries of a sub-directory run-relative paths', async () => {
      store.listing = [{ path: 'MLmodel', isDir: false, fileSize: 3 }];
      const listing = await sut.list(RUN_ID, 'model//./');
      expect(store.listed).toEqual([`1/${RUN_ID}/artifacts/model`]);
      expect(listing.files).toEqual([{ path: 'model/MLmodel', isDir: false, fileSize: 3 }]);
    });

    it('lists a file or a missing path as empty', async () => {
      store.listing = null;
      expect((await sut.list(RUN_ID, 'nothing')).files).toEqual([]);
    });

    it('refuses an unsafe path before looking the run up', async () => {
      const error = await rejection(sut.list(RUN_ID, '../other-run'));
      expect(error.message).toBe('Invalid path');
      expect(runs.lookups).toEqual([]);
      expect(store.listed).toEqual([]);
    });

    it('refuses a run whose artifacts are not in this server store', async () => {
      runs.artifactUri = 's3://bucket/1/r/artifacts';
      const error = await rejection(sut.list(RUN_ID, undefined));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe(
        'The artifacts at s3://bucket/1/r/artifacts are not stored on this server.',
      );
      expect(store.listed).toEqual([]);
    });
  });

  describe('download', () => {
    it('opens the file under the run root and names it by its basename', async () => {
      const download = await sut.download(RUN_ID, 'model/MLmodel');
      expect(store.opened).toEqual([`1/${RUN_ID}/artifacts/model/MLmodel`]);
      expect(download.fileName).toBe('MLmodel');
    });

    it('refuses an unsafe path before looking the run up', async () => {
      await rejection(sut.download(RUN_ID, '/etc/passwd'));
      expect(runs.lookups).toEqual([]);
      expect(store.opened).toEqual([]);
    });
  });

  describe('logged models', () => {
    it("list and download under the model's artifact location", async () => {
      store.listing = [{ path: 'MLmodel', isDir: false, fileSize: 1 }];
      const listing = await sut.listLoggedModel(MODEL_ID, 'sub');
      await sut.downloadLoggedModel(MODEL_ID, 'MLmodel');
      expect(models.lookups).toEqual([MODEL_ID, MODEL_ID]);
      expect(store.listed).toEqual([`1/models/${MODEL_ID}/artifacts/sub`]);
      expect(store.opened).toEqual([`1/models/${MODEL_ID}/artifacts/MLmodel`]);
      expect(listing.files[0].path).toBe('sub/MLmodel');
      expect(runs.lookups).toEqual([]);
    });

    it('refuse an unsafe path before looking the model up', async () => {
      await rejection(sut.listLoggedModel(MODEL_ID, 'a/../../b'));
      expect(models.lookups).toEqual([]);
    });
  });

  describe('upload', () => {
    it('writes the whole body under the run root', async () => {
      await sut.upload(RUN_ID, 'dir/file.txt', bodyOf('he', 'llo'), 5);
      expect([...store.written]).toEqual([
        [`1/${RUN_ID}/artifacts/dir/file.txt`, Buffer.from('hello')],
      ]);
    });

    it.each([
      ['no run_uuid', undefined, 'f', 'Request must specify run_uuid.'],
      ['an empty run_uuid', '', 'f', 'Request must specify run_uuid.'],
      ['no path', RUN_ID, undefined, 'Request must specify path.'],
      ['the root as path', RUN_ID, './', 'Invalid path'],
      ['an unsafe path', RUN_ID, '../f', 'Invalid path'],
    ])(
      'refuses %s before the run lookup, and drains the body',
      async (_case, runId, path, message) => {
        const body = bodyOf('x');
        const error = await rejection(sut.upload(runId, path, body, 1));
        expect(error.message).toBe(message);
        expect(runs.lookups).toEqual([]);
        expect(store.written.size).toBe(0);
        // The rest of the body is drained so the client sees the answer.
        expect(body.readableFlowing).toBe(true);
      },
    );

    it('refuses a declared length over 10 MB without reading the body', async () => {
      const body = bodyOf('x');
      const error = await rejection(sut.upload(RUN_ID, 'f', body, MAX_UI_UPLOAD_BYTES + 1));
      expect(error.message).toBe('Artifact size is too large. Max size is 10MB.');
      expect(body.readableFlowing).toBe(true);
      expect(runs.lookups).toEqual([]);
    });

    it('refuses a body that turns out larger than 10 MB', async () => {
      const chunk = 'x'.repeat(1024 * 1024);
      const body = bodyOf(...Array.from({ length: 11 }, () => chunk));
      const error = await rejection(sut.upload(RUN_ID, 'f', body, undefined));
      expect(error.message).toBe('Artifact size is too large. Max size is 10MB.');
      expect(store.written.size).toBe(0);
    });

    it('accepts exactly 10 MB', async () => {
      const body = Readable.from([Buffer.alloc(MAX_UI_UPLOAD_BYTES)]);
      await sut.upload(RUN_ID, 'f', body, undefined);
      expect(store.written.get(`1/${RUN_ID}/artifacts/f`)).toHaveLength(MAX_UI_UPLOAD_BYTES);
    });

    it('refuses an empty body before looking the run up', async () => {
      const error = await rejection(sut.upload(RUN_ID, 'f', bodyOf(), 0));
      expect(error.message).toBe('Request must specify data.');
      expect(runs.lookups).toEqual([]);
    });

    it('refuses a run whose artifacts are elsewhere', async () => {
      runs.artifactUri = 'file:///srv/mlruns/1/r/artifacts';
      const error = await rejection(sut.upload(RUN_ID, 'f', bodyOf('x'), 1));
      expect(error.message).toBe(
        'The artifacts at file:///srv/mlruns/1/r/artifacts are not stored on this server.',
      );
      expect(store.written.size).toBe(0);
    });
  });
});
