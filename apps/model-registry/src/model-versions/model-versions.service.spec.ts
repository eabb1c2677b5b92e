import {
  CreateModelVersionInput,
  KeyValue,
  LOCAL_OPERATOR,
  LoggedModelLocation,
  MlflowError,
  ModelStage,
  ModelVersion,
  RunArtifactRoot,
  SearchRegistryQuery,
} from '@app/domain';
import { AccessChecker } from '@app/http';

import {
  UnusedIdentityStore,
  UnusedModelRegistryStore,
} from '../../../../test/support/unused-ports';
import { ModelSourceResolver } from './model-source-resolver';
import { CreateModelVersionParams, ModelVersionsService } from './model-versions.service';

const RUN_ID = '0123456789abcdef0123456789abcdef';
const RUN_ROOT = `mlflow-artifacts:/1/${RUN_ID}/artifacts`;
const MODEL_ID = 'm-0123456789abcdef0123456789abcdef';
const MODEL_ROOT = `mlflow-artifacts:/1/models/${MODEL_ID}/artifacts`;

/**
 * Knows one run and one logged model; records every call as `[method, ...args]`. `stored` is the
 * version getModelVersion answers.
 */
class FakeRegistryStore extends UnusedModelRegistryStore {
  calls: unknown[][] = [];
  hasMore = false;
  stored = version();

  private record<T>(method: string, args: unknown[], result: T): Promise<T> {
    this.calls.push([method, ...args]);
    return Promise.resolve(result);
  }

  methods(): unknown[] {
    return this.calls.map(([method]) => method);
  }

  override createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion> {
    return this.record('createModelVersion', [input], version());
  }
  override getModelVersion(name: string, versionNumber: number): Promise<ModelVersion> {
    return this.record('getModelVersion', [name, versionNumber], this.stored);
  }
  override updateModelVersion(
    name: string,
    versionNumber: number,
    description: string,
  ): Promise<ModelVersion> {
    return this.record('updateModelVersion', [name, versionNumber, description], version());
  }
  override transitionModelVersionStage(
    name: string,
    versionNumber: number,
    stage: ModelStage,
    archiveExisting: boolean,
  ): Promise<ModelVersion> {
    return this.record(
      'transitionModelVersionStage',
      [name, versionNumber, stage, archiveExisting],
      version(),
    );
  }
  override deleteModelVersion(name: string, versionNumber: number): Promise<void> {
    return this.record('deleteModelVersion', [name, versionNumber], undefined);
  }
  override searchModelVersions(
    query: SearchRegistryQuery,
  ): Promise<{ items: ModelVersion[]; hasMore: boolean }> {
    return this.record('searchModelVersions', [query], {
      items: [version()],
      hasMore: this.hasMore,
    });
  }
  override setModelVersionTag(name: string, versionNumber: number, tag: KeyValue): Promise<void> {
    return this.record('setModelVersionTag', [name, versionNumber, tag], undefined);
  }
  override deleteModelVersionTag(name: string, versionNumber: number, key: string): Promise<void> {
    return this.record('deleteModelVersionTag', [name, versionNumber, key], undefined);
  }
  override findRunArtifactRoots(runIds: string[]): Promise<RunArtifactRoot[]> {
    const found = runIds
      .filter((id) => id === RUN_ID)
      .map((runId) => ({
        runId,
        artifactUri: RUN_ROOT,
      }));
    return this.record('findRunArtifactRoots', [runIds], found);
  }
  override findLoggedModelLocations(modelIds: string[]): Promise<LoggedModelLocation[]> {
    const found = modelIds
      .filter((id) => id === MODEL_ID)
      .map((modelId) => ({
        modelId,
        artifactLocation: MODEL_ROOT,
        sourceRunId: RUN_ID,
      }));
    return this.record('findLoggedModelLocations', [modelIds], found);
  }
  missingModel = false;
  override assertRegisteredModelExists(name: string): Promise<void> {
    this.calls.push(['assertRegisteredModelExists', name]);
    return this.missingModel
      ? Promise.reject(
          MlflowError.resourceDoesNotExist(`Registered Model with name=${name} not found`),
        )
      : Promise.resolve();
  }
}

function version(): ModelVersion {
  return {
    name: 'm',
    version: '1',
    creationTimestamp: 1,
    lastUpdatedTimestamp: 1,
    userId: null,
    currentStage: 'None',
    description: '',
    source: `runs:/${RUN_ID}/model`,
    storageLocation: `${RUN_ROOT}/model`,
    runId: RUN_ID,
    runLink: '',
    status: 'READY',
    statusMessage: null,
    tags: [],
    aliases: [],
    modelId: null,
  };
}

const token = (offset: number) => Buffer.from(`{"offset": ${offset}}`).toString('base64');

describe(ModelVersionsService.name, () => {
  let sut: ModelVersionsService;
  let store: FakeRegistryStore;

  const setup = (modelVersionSourceRegex: RegExp | null = null) => {
    store = new FakeRegistryStore();
    sut = new ModelVersionsService(
      store,
      new ModelSourceResolver(
        store,
        { modelVersionSourceRegex },
        new AccessChecker(new (class extends UnusedIdentityStore {})(), {
          mode: 'none',
          credentialCacheTtlMs: 0,
          unauthenticatedOnNetwork: false,
        }),
      ),
    );
  };

  beforeEach(() => setup());

  const rejection = async (promise: Promise<unknown>): Promise<MlflowError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  };

  /** Methods that validate synchronously throw before returning a promise. */
  const rejectionOf = (fn: () => Promise<unknown>) => rejection(Promise.resolve().then(fn));

  const created = (): CreateModelVersionInput => {
    const call = store.calls.find(([method]) => method === 'createModelVersion');
    expect(call).toBeDefined();
    return call![1] as CreateModelVersionInput;
  };

  const params = (overrides: Partial<CreateModelVersionParams>): CreateModelVersionParams => ({
    name: 'm',
    source: `${RUN_ROOT}/model`,
    tags: [],
    caller: LOCAL_OPERATOR,
    ...overrides,
  });

  describe('create', () => {
    it("reads absent run_id, run_link and description as '' and keeps the last tag value", async () => {
      await sut.create(
        params({
          tags: [
            { key: 't', value: '1' },
            { key: 't', value: '2' },
          ],
        }),
      );
      expect(created()).toEqual({
        name: 'm',
        source: `${RUN_ROOT}/model`,
        storageLocation: `${RUN_ROOT}/model`,
        runId: '',
        runLink: '',
        description: '',
        tags: [{ key: 't', value: '2' }],
        modelId: null,
        userId: null,
      });
    });

    it("resolves a runs:/ source through the run's artifact root, keeping the source as sent", async () => {
      await sut.create(params({ source: `runs:/${RUN_ID}/model`, runId: RUN_ID }));
      expect(created()).toMatchObject({
        source: `runs:/${RUN_ID}/model`,
        storageLocation: `${RUN_ROOT}/model`,
        runId: RUN_ID,
      });
    });

    it("resolves a models:/<model_id> source to the logged model's location and source run", async () => {
      await sut.create(params({ source: `models:/${MODEL_ID}` }));
      expect(created()).toMatchObject({
        storageLocation: MODEL_ROOT,
        runId: RUN_ID,
        modelId: MODEL_ID,
      });
    });

    it('records a runs:/ source and a run_id of runs not in this store as given (MLflow)', async () => {
      const other = 'fedcba9876543210fedcba9876543210';
      await sut.create(params({ source: `runs:/${other}/model`, runId: 'run_id_1' }));
      expect(created()).toMatchObject({
        source: `runs:/${other}/model`,
        storageLocation: `runs:/${other}/model`,
        runId: 'run_id_1',
      });
    });

    it('accepts an mlflow-artifacts source outside any run, whatever run_id says', async () => {
      await sut.create(params({ source: 'mlflow-artifacts:/models//', runId: RUN_ID }));
      expect(created()).toMatchObject({ storageLocation: 'mlflow-artifacts:/models' });
    });

    it('refuses an mlflow-artifacts source naming a run this store does not have', async () => {
      const source = 'mlflow-artifacts:/1/fedcba9876543210fedcba9876543210/artifacts/model';
      const error = await rejection(sut.create(params({ source, runId: RUN_ID })));
      expect(error.message).toBe(
        `Invalid model version source: '${source}'. It names no run or logged model of this server.`,
      );
      expect(store.methods()).not.toContain('createModelVersion');
    });

    it('checks the name, then that the model exists (404 first, as MLflow), then the source', async () => {
      const tooLong = await rejection(
        sut.create(params({ name: 'n'.repeat(257), source: 'runs:/../x' })),
      );
      expect(tooLong.message).toBe(
        "'name' exceeds the maximum length of 256 characters (got 257).",
      );
      store.missingModel = true;
      const missing = await rejection(sut.create(params({ source: 'runs:/../x' })));
      expect(missing.code).toBe('RESOURCE_DOES_NOT_EXIST');
      store.missingModel = false;
      const badSource = await rejection(sut.create(params({ source: 'runs:/../x' })));
      expect(badSource.message).toMatch(/^Invalid model version source: 'runs:\/\.\.\/x'/);
      expect(store.methods()).not.toContain('createModelVersion');
    });

    it('checks name, tags, description and run_link before any lookup', async () => {
      const cases: Partial<CreateModelVersionParams>[] = [
        { name: 'n'.repeat(257) },
        { tags: [{ key: 'a//b', value: '' }] },
        { description: 'é'.repeat(32_768) },
        { runLink: 'é'.repeat(32_768) },
      ];
      const messages: string[] = [];
      for (const overrides of cases) {
        const source = `runs:/${RUN_ID}/model`;
        messages.push((await rejection(sut.create(params({ source, ...overrides })))).message);
      }
      expect(messages[0]).toBe("'name' exceeds the maximum length of 256 characters (got 257).");
      expect(messages[1]).toMatch(/^Invalid value "a\/\/b" for parameter 'key'/);
      expect(messages[2]).toBe(
        "'description' exceeds the maximum size of 65535 bytes (got 65536).",
      );
      expect(messages[3]).toBe("'run_link' exceeds the maximum size of 65535 bytes (got 65536).");
      expect(store.calls).toEqual([]);
    });

    it('applies the configured source regex before resolving the source', async () => {
      setup(/^runs:\//);
      const error = await rejection(sut.create(params({})));
      expect(error.message).toBe(`Invalid model version source: '${RUN_ROOT}/model'.`);
      await sut.create(params({ source: `runs:/${RUN_ID}/model` }));
      expect(store.methods()).toContain('createModelVersion');
    });

    it("stores a prompt's placeholder source with no files and no lookups", async () => {
      await sut.create(
        params({
          source: 'dummy-source',
          tags: [{ key: 'mlflow.prompt.is_prompt', value: 'TRUE' }],
        }),
      );
      expect(store.methods()).toEqual(['assertRegisteredModelExists', 'createModelVersion']);
      expect(created()).toMatchObject({ source: 'dummy-source', storageLocation: '' });
    });

    it('validates the placeholder source like any other when the version is no prompt', async () => {
      const error = await rejection(sut.create(params({ source: 'dummy-source' })));
      expect(error.message).toMatch(/^Invalid model version source: 'dummy-source'/);
      expect(store.methods()).not.toContain('createModelVersion');
    });
  });

  describe('version numbers', () => {
    it('reach the store as numbers', async () => {
      await sut.get('m', '2');
      await sut.delete('m', '+3');
      await sut.update('m', ' 4 ', undefined);
      expect(store.calls).toEqual([
        ['getModelVersion', 'm', 2],
        ['deleteModelVersion', 'm', 3],
        ['updateModelVersion', 'm', 4, ''],
      ]);
    });

    it('are refused when not integers, and not found when no version can have them', async () => {
      const notInteger = await rejectionOf(() => sut.get('m', 'one'));
      expect(notInteger.code).toBe('INVALID_PARAMETER_VALUE');
      expect(notInteger.message).toBe("Model version must be an integer, got 'one'");
      const impossible = await rejectionOf(() => sut.delete('m', '-1'));
      expect(impossible.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(impossible.message).toBe('Model Version (name=m, version=-1) not found');
      expect(store.calls).toEqual([]);
    });
  });

  describe('update', () => {
    it('checks the description before the version', async () => {
      const error = await rejectionOf(() => sut.update('m', 'x', 'é'.repeat(32_768)));
      expect(error.message).toMatch(/^'description' exceeds the maximum size/);
    });
  });

  describe('transition', () => {
    it('canonicalises the stage and defaults archive_existing_versions to false', async () => {
      await sut.transition('m', '1', 'production', undefined);
      await sut.transition('m', '1', 'STAGING', true);
      expect(store.calls).toEqual([
        ['transitionModelVersionStage', 'm', 1, 'Production', false],
        ['transitionModelVersionStage', 'm', 1, 'Staging', true],
      ]);
    });

    it('refuses archiving into a stage that is not active, in the stage as written', async () => {
      const error = await rejectionOf(() => sut.transition('m', '1', 'archived', true));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe(
        "Model version transition cannot archive existing model versions because 'archived' is not an Active stage. Valid stages are ['Staging', 'Production']",
      );
      expect(store.calls).toEqual([]);
    });

    it('checks the stage before the version', async () => {
      const error = await rejectionOf(() => sut.transition('m', 'x', 'Prod', false));
      expect(error.message).toBe(
        'Invalid Model Version stage: Prod. Value must be one of None, Staging, Production, Archived.',
      );
    });
  });

  describe('getDownloadUri', () => {
    it('answers the storage location, or the source when there is none', async () => {
      store.stored = { ...version(), storageLocation: MODEL_ROOT, source: `models:/${MODEL_ID}` };
      expect(await sut.getDownloadUri('m', '1')).toBe(MODEL_ROOT);
      store.stored = { ...version(), storageLocation: '', source: 'dummy-source' };
      expect(await sut.getDownloadUri('m', '1')).toBe('dummy-source');
    });
  });

  describe('search', () => {
    it('defaults to 200000 versions, newest first, without prompts', async () => {
      const page = await sut.search({ caller: LOCAL_OPERATOR });
      expect(store.calls).toEqual([
        [
          'searchModelVersions',
          {
            filter: [],
            orderBy: [
              { type: 'attribute', key: 'last_updated_timestamp', ascending: false },
              { type: 'attribute', key: 'name', ascending: true },
              { type: 'attribute', key: 'version_number', ascending: false },
            ],
            maxResults: 200_000,
            offset: 0,
            includePrompts: false,
            readableBy: null,
          },
        ],
      ]);
      expect(page.nextPageToken).toBeUndefined();
    });

    it('continues from the token offset and hands out the next one while more follow', async () => {
      store.hasMore = true;
      const page = await sut.search({
        caller: LOCAL_OPERATOR,
        maxResults: 10,
        pageToken: token(20),
      });
      expect(store.calls[0][1]).toMatchObject({ maxResults: 10, offset: 20 });
      expect(page.nextPageToken).toBe(token(30));
    });

    it('includes prompt versions only when the filter asks for them', async () => {
      await sut.search({
        caller: LOCAL_OPERATOR,
        filter: "tags.`mlflow.prompt.is_prompt` != 'false'",
      });
      await sut.search({
        caller: LOCAL_OPERATOR,
        filter: "tags.`mlflow.prompt.is_prompt` = 'yes' AND name = 'm'",
      });
      const [asked, excluded] = store.calls.map((c) => c[1] as SearchRegistryQuery);
      expect(asked.includePrompts).toBe(true);
      expect(excluded.includePrompts).toBe(false);
      expect(excluded.filter).toEqual([
        { type: 'attribute', key: 'name', comparator: '=', value: 'm' },
      ]);
    });

    it('refuses a bad order_by before the store', async () => {
      await rejection(sut.search({ caller: LOCAL_OPERATOR, orderBy: ['run_id DESC'] }));
      expect(store.calls).toEqual([]);
    });
  });

  describe('tags', () => {
    it('check the tag or key before the version, then pass both on', async () => {
      expect((await rejection(sut.setTag('m', 'x', { key: '/t', value: '' }))).message).toMatch(
        /^Invalid value "\/t" for parameter 'key'/,
      );
      expect((await rejection(sut.deleteTag('m', 'x', 'a/'))).message).toMatch(
        /^Invalid value "a\/" for parameter 'key'/,
      );
      expect(store.calls).toEqual([]);

      await sut.setTag('m', '5', { key: 't', value: 'v' });
      await sut.deleteTag('m', '5', 't');
      expect(store.calls).toEqual([
        ['setModelVersionTag', 'm', 5, { key: 't', value: 'v' }],
        ['deleteModelVersionTag', 'm', 5, 't'],
      ]);
    });
  });
});
