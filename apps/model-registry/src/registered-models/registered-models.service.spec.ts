import {
  CreateRegisteredModelInput,
  KeyValue,
  LOCAL_OPERATOR,
  MlflowError,
  ModelStage,
  ModelVersion,
  RegisteredModel,
  SearchRegistryQuery,
} from '@app/domain';

import { UnusedModelRegistryStore } from '../../../../test/support/unused-ports';
import { RegisteredModelsService } from './registered-models.service';

/** Records every call that reaches the store as `[method, ...args]`. */
class FakeRegistryStore extends UnusedModelRegistryStore {
  calls: unknown[][] = [];
  hasMore = false;
  latest: ModelVersion | null = version('4');

  private record<T>(method: string, args: unknown[], result: T): Promise<T> {
    this.calls.push([method, ...args]);
    return Promise.resolve(result);
  }

  override createRegisteredModel(input: CreateRegisteredModelInput): Promise<RegisteredModel> {
    return this.record('createRegisteredModel', [input], registered(input.name));
  }
  override getRegisteredModel(name: string): Promise<RegisteredModel> {
    return this.record('getRegisteredModel', [name], registered(name));
  }
  override assertRegisteredModelExists(name: string): Promise<void> {
    return this.record('assertRegisteredModelExists', [name], undefined);
  }
  override renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.record('renameRegisteredModel', [name, newName], registered(newName));
  }
  override updateRegisteredModel(name: string, description: string): Promise<RegisteredModel> {
    return this.record('updateRegisteredModel', [name, description], registered(name));
  }
  override deleteRegisteredModel(name: string): Promise<void> {
    return this.record('deleteRegisteredModel', [name], undefined);
  }
  override searchRegisteredModels(
    query: SearchRegistryQuery,
  ): Promise<{ items: RegisteredModel[]; hasMore: boolean }> {
    return this.record('searchRegisteredModels', [query], {
      items: [registered('found')],
      hasMore: this.hasMore,
    });
  }
  override getLatestVersions(name: string, stages: ModelStage[] | null): Promise<ModelVersion[]> {
    return this.record('getLatestVersions', [name, stages], [version('1')]);
  }
  override setRegisteredModelTag(name: string, tag: KeyValue): Promise<void> {
    return this.record('setRegisteredModelTag', [name, tag], undefined);
  }
  override deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    return this.record('deleteRegisteredModelTag', [name, key], undefined);
  }
  override setRegisteredModelAlias(
    name: string,
    alias: string,
    versionNumber: number,
  ): Promise<void> {
    return this.record('setRegisteredModelAlias', [name, alias, versionNumber], undefined);
  }
  override deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    return this.record('deleteRegisteredModelAlias', [name, alias], undefined);
  }
  override getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.record('getModelVersionByAlias', [name, alias], version('2'));
  }
  override getLatestModelVersion(name: string): Promise<ModelVersion | null> {
    return this.record('getLatestModelVersion', [name], this.latest);
  }
}

function registered(name: string): RegisteredModel {
  return {
    name,
    creationTimestamp: 1,
    lastUpdatedTimestamp: 1,
    description: '',
    latestVersions: [],
    tags: [],
    aliases: [],
    owner: null,
  };
}

function version(v: string): ModelVersion {
  return {
    name: 'm',
    version: v,
    creationTimestamp: 1,
    lastUpdatedTimestamp: 1,
    userId: null,
    currentStage: 'None',
    description: '',
    source: 'mlflow-artifacts:/1/r/artifacts/model',
    storageLocation: 'mlflow-artifacts:/1/r/artifacts/model',
    runId: 'r',
    runLink: '',
    status: 'READY',
    statusMessage: null,
    tags: [],
    aliases: [],
    modelId: null,
  };
}

const token = (offset: number) => Buffer.from(`{"offset": ${offset}}`).toString('base64');
const PROMPT_TAG = 'tags.`mlflow.prompt.is_prompt`';

describe(RegisteredModelsService.name, () => {
  let sut: RegisteredModelsService;
  let store: FakeRegistryStore;

  beforeEach(() => {
    store = new FakeRegistryStore();
    sut = new RegisteredModelsService(store);
  });

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

  describe('create', () => {
    it("keeps the last value per tag key, reads an absent description as '' and sets no owner", async () => {
      await sut.create(
        'model',
        [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
          { key: 'a', value: '3' },
        ],
        undefined,
        LOCAL_OPERATOR,
      );
      expect(store.calls).toEqual([
        [
          'createRegisteredModel',
          {
            name: 'model',
            tags: [
              { key: 'b', value: '2' },
              { key: 'a', value: '3' },
            ],
            description: '',
            owner: null,
          },
        ],
      ]);
    });

    it('refuses a name over 256 characters, before checking the tags', async () => {
      const error = await rejectionOf(() =>
        sut.create('n'.repeat(257), [{ key: 'a//b', value: '' }], undefined, LOCAL_OPERATOR),
      );
      expect(error.message).toBe("'name' exceeds the maximum length of 256 characters (got 257).");
      expect(store.calls).toEqual([]);
    });

    it('refuses a bad tag key and an over-long tag value', async () => {
      expect(
        (
          await rejectionOf(() =>
            sut.create('m', [{ key: 'a//b', value: '' }], undefined, LOCAL_OPERATOR),
          )
        ).message,
      ).toMatch(/^Invalid value "a\/\/b" for parameter 'key' supplied/);
      expect(
        (
          await rejectionOf(() =>
            sut.create('m', [{ key: 't', value: 'v'.repeat(100_001) }], undefined, LOCAL_OPERATOR),
          )
        ).message,
      ).toBe("'Tag value' exceeds the maximum length of 100000 characters (got 100001).");
      expect(store.calls).toEqual([]);
    });

    it('refuses a description larger than the TEXT column, counted in UTF-8 bytes', async () => {
      const error = await rejectionOf(() =>
        sut.create('m', [], 'é'.repeat(32_768), LOCAL_OPERATOR),
      );
      expect(error.message).toBe(
        "'description' exceeds the maximum size of 65535 bytes (got 65536).",
      );
      expect(store.calls).toEqual([]);
    });
  });

  describe('rename and update', () => {
    it('check the new name and the description before the store', async () => {
      await rejectionOf(() => sut.rename('m', 'n'.repeat(257)));
      await rejectionOf(() => sut.update('m', 'é'.repeat(32_768)));
      expect(store.calls).toEqual([]);

      await sut.rename('m', 'm2');
      await sut.update('m2', undefined);
      expect(store.calls).toEqual([
        ['renameRegisteredModel', 'm', 'm2'],
        ['updateRegisteredModel', 'm2', ''],
      ]);
    });
  });

  describe('search', () => {
    it('defaults to 100 models by name, without prompts', async () => {
      const page = await sut.search({ caller: LOCAL_OPERATOR });
      expect(store.calls).toEqual([
        [
          'searchRegisteredModels',
          {
            filter: [],
            orderBy: [{ type: 'attribute', key: 'name', ascending: true }],
            maxResults: 100,
            offset: 0,
            includePrompts: false,
            readableBy: null,
          },
        ],
      ]);
      expect(page.items.map((m) => m.name)).toEqual(['found']);
      expect(page.nextPageToken).toBeUndefined();
    });

    it('continues from the token offset and hands out the next one while more follow', async () => {
      store.hasMore = true;
      const page = await sut.search({ caller: LOCAL_OPERATOR, maxResults: 3, pageToken: token(6) });
      expect(store.calls[0][1]).toMatchObject({ maxResults: 3, offset: 6 });
      expect(page.nextPageToken).toBe(token(9));
    });

    it('passes the parsed filter and order on', async () => {
      await sut.search({
        caller: LOCAL_OPERATOR,
        filter: "name LIKE 'fl%'",
        orderBy: ['timestamp DESC'],
      });
      expect(store.calls[0][1]).toMatchObject({
        filter: [{ type: 'attribute', key: 'name', comparator: 'LIKE', value: 'fl%' }],
        orderBy: [
          { type: 'attribute', key: 'last_updated_timestamp', ascending: false },
          { type: 'attribute', key: 'name', ascending: true },
        ],
      });
    });

    it('includes prompts only when the filter asks for them', async () => {
      await sut.search({ caller: LOCAL_OPERATOR, filter: `${PROMPT_TAG} = 'true'` });
      await sut.search({
        caller: LOCAL_OPERATOR,
        filter: `${PROMPT_TAG} = 'false' AND name = 'x'`,
      });
      const [asked, excluded] = store.calls.map((c) => c[1] as SearchRegistryQuery);
      expect(asked.includePrompts).toBe(true);
      expect(asked.filter).toEqual([
        { type: 'tag', key: 'mlflow.prompt.is_prompt', comparator: '=', value: 'true' },
      ]);
      expect(excluded.includePrompts).toBe(false);
      expect(excluded.filter).toEqual([
        { type: 'attribute', key: 'name', comparator: '=', value: 'x' },
      ]);
    });

    it('refuses a bad filter, order or token before the store', async () => {
      await rejection(sut.search({ caller: LOCAL_OPERATOR, filter: 'name >' }));
      expect(
        (await rejection(sut.search({ caller: LOCAL_OPERATOR, orderBy: ['version ASC'] }))).message,
      ).toBe("Invalid order by key 'version' specified. Valid keys are '{'timestamp', 'name'}'");
      await rejection(sut.search({ caller: LOCAL_OPERATOR, pageToken: 'x' }));
      expect(store.calls).toEqual([]);
    });
  });

  describe('getLatestVersions', () => {
    it.each([[undefined], [[]]])('asks for every stage when stages is %j', async (stages) => {
      await sut.getLatestVersions('m', stages);
      expect(store.calls).toEqual([['getLatestVersions', 'm', null]]);
    });

    it('canonicalises stage names', async () => {
      await sut.getLatestVersions('m', ['production', 'STAGING', 'none']);
      expect(store.calls).toEqual([['getLatestVersions', 'm', ['Production', 'Staging', 'None']]]);
    });

    it('refuses an unknown stage before the store', async () => {
      const error = await rejectionOf(() => sut.getLatestVersions('m', ['Staging', 'prod']));
      expect(error.message).toBe(
        'Invalid Model Version stage: prod. Value must be one of None, Staging, Production, Archived.',
      );
      expect(store.calls).toEqual([]);
    });
  });

  describe('tags', () => {
    it('checks the tag, and the key on delete, before the store', async () => {
      await rejection(sut.setTag('m', { key: '/abs', value: '' }));
      await rejection(sut.deleteTag('m', 'a//b'));
      expect(store.calls).toEqual([]);

      await sut.setTag('m', { key: 'k', value: 'v' });
      await sut.deleteTag('m', 'k');
      expect(store.calls).toEqual([
        ['setRegisteredModelTag', 'm', { key: 'k', value: 'v' }],
        ['deleteRegisteredModelTag', 'm', 'k'],
      ]);
    });
  });

  describe('setAlias', () => {
    it('passes the version on as a number', async () => {
      await sut.setAlias('m', 'champion', ' 3 ');
      expect(store.calls).toEqual([['setRegisteredModelAlias', 'm', 'champion', 3]]);
    });

    it.each([
      [
        'bad characters',
        'a.b',
        "Invalid alias name: 'a.b'. Names may only contain alphanumerics, underscores (_), and dashes (-).",
      ],
      ['latest in any case', 'Latest', "'latest' alias name (case insensitive) is reserved."],
      ['a version alias', 'V12', "Version alias name 'V12' is reserved."],
    ])('refuses %s', async (_case, alias, message) => {
      const error = await rejection(sut.setAlias('m', alias, '1'));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe(message);
      expect(store.calls).toEqual([]);
    });

    it('checks the alias before the version', async () => {
      const error = await rejection(sut.setAlias('m', 'latest', 'one'));
      expect(error.message).toMatch(/reserved/);
    });

    it('refuses a version that is not an integer, and does not find an impossible one', async () => {
      const notInteger = await rejection(sut.setAlias('m', 'a', '1.5'));
      expect(notInteger.code).toBe('INVALID_PARAMETER_VALUE');
      expect(notInteger.message).toBe("Model version must be an integer, got '1.5'");
      const impossible = await rejection(sut.setAlias('m', 'a', '0'));
      expect(impossible.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(impossible.message).toBe('Model Version (name=m, version=0) not found');
      expect(store.calls).toEqual([]);
    });
  });

  describe('deleteAlias', () => {
    it('checks the alias name but lets reserved names through', async () => {
      await rejection(sut.deleteAlias('m', 'a b'));
      expect(store.calls).toEqual([]);
      await sut.deleteAlias('m', 'latest');
      expect(store.calls).toEqual([['deleteRegisteredModelAlias', 'm', 'latest']]);
    });
  });

  describe('getVersionByAlias', () => {
    it('looks an ordinary alias up', async () => {
      const result = await sut.getVersionByAlias('m', 'champion');
      expect(result.version).toBe('2');
      expect(store.calls).toEqual([['getModelVersionByAlias', 'm', 'champion']]);
    });

    it('resolves latest, in any case, to the highest live version', async () => {
      const result = await sut.getVersionByAlias('m', 'LaTeSt');
      expect(result.version).toBe('4');
      expect(store.calls).toEqual([['getLatestModelVersion', 'm']]);
    });

    it('answers alias-not-found (400) for latest of a model without versions', async () => {
      store.latest = null;
      const error = await rejection(sut.getVersionByAlias('m', 'latest'));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe('Registered model alias latest not found.');
    });

    it('refuses a malformed alias before the store', async () => {
      await rejection(sut.getVersionByAlias('m', 'x/y'));
      expect(store.calls).toEqual([]);
    });
  });
});
