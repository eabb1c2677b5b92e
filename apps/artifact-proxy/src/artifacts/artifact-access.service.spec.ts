import {
  LOCAL_OPERATOR,
  LoggedModel,
  MlflowError,
  Principal,
  RunInfo,
  TraceInfo,
  traceNotFound,
} from '@app/domain';

import {
  UnusedLoggedModelStore,
  UnusedRunStore,
  UnusedTraceStore,
} from '../../../../test/support/unused-ports';
import { ArtifactAccess } from './artifact-access.service';

const RUN_ID = '0123456789abcdef0123456789abcdef';
const MODEL_ID = 'm-0123456789abcdef0123456789abcdef';
const TRACE_ID = 'tr-0123456789abcdef0123456789abcdef';
const ALICE: Principal = { userId: 7, username: 'alice', isAdmin: false };

/** Knows RUN_ID in experiment 1; records every lookup. */
class FakeRunStore extends UnusedRunStore {
  lookups: string[] = [];

  override getRunInfo(runId: string): Promise<RunInfo> {
    this.lookups.push(runId);
    if (runId !== RUN_ID) {
      return Promise.reject(MlflowError.resourceDoesNotExist(`Run with id=${runId} not found`));
    }
    return Promise.resolve({
      runId,
      experimentId: '1',
      runName: 'n',
      userId: '',
      status: 'RUNNING',
      startTime: 1,
      endTime: null,
      artifactUri: `mlflow-artifacts:/1/${runId}/artifacts`,
      lifecycleStage: 'active',
    });
  }
}

/** Knows MODEL_ID in experiment 1; records every lookup with its allowDeleted flag. */
class FakeLoggedModelStore extends UnusedLoggedModelStore {
  lookups: [string, boolean | undefined][] = [];

  override getLoggedModel(modelId: string, allowDeleted?: boolean): Promise<LoggedModel> {
    this.lookups.push([modelId, allowDeleted]);
    if (modelId !== MODEL_ID) {
      return Promise.reject(
        MlflowError.resourceDoesNotExist(`Logged model with ID '${modelId}' not found.`),
      );
    }
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
      lifecycleStage: 'deleted',
      tags: [],
      params: [],
      metrics: [],
    });
  }
}

/** Knows TRACE_ID in experiment 1; records every lookup. */
class FakeTraceStore extends UnusedTraceStore {
  lookups: string[] = [];

  override getTraceInfo(requestId: string): Promise<TraceInfo> {
    this.lookups.push(requestId);
    if (requestId !== TRACE_ID) return Promise.reject(traceNotFound(requestId));
    return Promise.resolve({
      requestId,
      experimentId: '1',
      timestampMs: 1,
      executionTimeMs: null,
      status: 'IN_PROGRESS',
      clientRequestId: null,
      requestPreview: null,
      responsePreview: null,
      requestMetadata: [],
      tags: [],
    });
  }
}

describe(ArtifactAccess.name, () => {
  let sut: ArtifactAccess;
  let runs: FakeRunStore;
  let models: FakeLoggedModelStore;
  let traces: FakeTraceStore;

  beforeEach(() => {
    runs = new FakeRunStore();
    models = new FakeLoggedModelStore();
    traces = new FakeTraceStore();
    sut = new ArtifactAccess(runs, models, traces);
  });

  const rejection = async (promise: Promise<unknown>): Promise<MlflowError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  };

  describe('resolve', () => {
    it('returns the canonical path and its scope once the run is found in its experiment', async () => {
      const target = await sut.resolve(`1//${RUN_ID}/./artifacts/model/MLmodel`, ALICE);
      expect(target).toEqual({
        path: `1/${RUN_ID}/artifacts/model/MLmodel`,
        scope: {
          kind: 'run',
          path: `1/${RUN_ID}/artifacts/model/MLmodel`,
          experimentId: '1',
          runId: RUN_ID,
          rest: 'model/MLmodel',
        },
      });
      expect(runs.lookups).toEqual([RUN_ID]);
    });

    it('accepts the run directory itself', async () => {
      const { scope } = await sut.resolve(`1/${RUN_ID}`, ALICE);
      expect(scope.kind === 'run' && scope.rest).toBe('');
    });

    it('looks a logged model up, deleted ones included', async () => {
      const target = await sut.resolve(`1/models/${MODEL_ID}/artifacts/MLmodel`, ALICE);
      expect(target.scope).toEqual({
        kind: 'logged-model',
        path: `1/models/${MODEL_ID}/artifacts/MLmodel`,
        experimentId: '1',
        modelId: MODEL_ID,
        rest: 'MLmodel',
      });
      expect(models.lookups).toEqual([[MODEL_ID, true]]);
      expect(runs.lookups).toEqual([]);
    });

    it.each([
      ['the root', './', ''],
      ['a file at the root', 'a.txt', 'a.txt'],
      ['a directory outside any run', 'dir//MLmodel', 'dir/MLmodel'],
      ['a bare experiment directory', '1', '1'],
      ['an id that cannot be a run id', '1/-run/artifacts/x', '1/-run/artifacts/x'],
    ])(
      'serves %s as a free path, flat without users, looking nothing up',
      async (_c, raw, path) => {
        expect(await sut.resolve(raw, LOCAL_OPERATOR)).toEqual({
          path,
          scope: { kind: 'free', path },
        });
        expect(runs.lookups).toEqual([]);
        expect(models.lookups).toEqual([]);
      },
    );

    it("puts a signed-in caller's free path under that caller's own directory", async () => {
      expect((await sut.resolve('dir/a.txt', ALICE)).path).toBe('owners/7/dir/a.txt');
      expect((await sut.resolve('', ALICE)).path).toBe('owners/7');
      expect((await sut.resolve('owners/8/x', ALICE)).path).toBe('owners/7/owners/8/x');
    });

    it.each([
      ['a path beside the artifacts', `1/${RUN_ID}/meta.yaml`],
      ['traversal', `1/${RUN_ID}/artifacts/../../other/artifacts/x`],
      ['an id that cannot be a model id', `1/models/${'m'.repeat(65)}/artifacts/x`],
    ])('refuses %s as "Invalid path" before any lookup', async (_case, path) => {
      const error = await rejection(sut.resolve(path, ALICE));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe('Invalid path');
      expect(runs.lookups).toEqual([]);
      expect(models.lookups).toEqual([]);
    });

    it('refuses a run that belongs to another experiment', async () => {
      const error = await rejection(sut.resolve(`2/${RUN_ID}/artifacts/x`, ALICE));
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(error.message).toBe(`Run with id=${RUN_ID} not found in experiment 2`);
    });

    it('refuses a logged model that belongs to another experiment', async () => {
      const error = await rejection(sut.resolve(`2/models/${MODEL_ID}/artifacts/x`, ALICE));
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(error.message).toBe(`Logged model with ID '${MODEL_ID}' not found in experiment 2.`);
    });

    it('resolves a trace in its experiment, and refuses it under another one', async () => {
      const target = await sut.resolve(`1/traces/${TRACE_ID}/artifacts/traces.json`, ALICE);
      expect(target.path).toBe(`1/traces/${TRACE_ID}/artifacts/traces.json`);
      expect(target.scope).toMatchObject({ kind: 'trace', traceId: TRACE_ID, rest: 'traces.json' });
      const error = await rejection(
        sut.resolve(`2/traces/${TRACE_ID}/artifacts/traces.json`, ALICE),
      );
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(error.message).toBe(`Trace with request_id '${TRACE_ID}' not found in experiment 2.`);
      const missing = await rejection(sut.resolve('1/traces/tr-missing/artifacts/x', ALICE));
      expect(missing.message).toBe("Trace with request_id 'tr-missing' not found.");
      expect(traces.lookups).toEqual([TRACE_ID, TRACE_ID, 'tr-missing']);
    });

    it("passes the store's not-found on", async () => {
      const other = 'f'.repeat(32);
      const error = await rejection(sut.resolve(`1/${other}/artifacts/x`, ALICE));
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(error.message).toBe(`Run with id=${other} not found`);
    });
  });

  describe('resolveFile', () => {
    it('accepts a file below the artifacts directory, or a free file', async () => {
      expect((await sut.resolveFile(`1/${RUN_ID}/artifacts/f.txt`, ALICE)).path).toBe(
        `1/${RUN_ID}/artifacts/f.txt`,
      );
      expect((await sut.resolveFile('a.txt', LOCAL_OPERATOR)).path).toBe('a.txt');
    });

    it.each([`1/${RUN_ID}`, `1/${RUN_ID}/artifacts/`, `1/models/${MODEL_ID}/artifacts`, '', '.'])(
      'refuses the directory %j',
      async (path) => {
        expect((await rejection(sut.resolveFile(path, ALICE))).message).toBe('Invalid path');
      },
    );
  });
});
