import {
  CreateLoggedModelInput,
  DEFAULT_LEARNER_KEY_PREFIXES,
  KeyValue,
  LOCAL_OPERATOR,
  LoggedModel,
  LoggedModelStatus,
  LoggedModelStore,
  MlflowError,
  SearchLoggedModelsQuery,
} from '@app/domain';

import { LearnerPrivacyService } from '../learner-privacy/learner-privacy.service';
import { LoggedModelsService, SearchLoggedModelsParams } from './logged-models.service';

const MODEL_ID = 'm-0123456789abcdef0123456789abcdef';

/** Records what reaches the store; `hasMore` shapes the search answer. */
class FakeLoggedModelStore extends LoggedModelStore {
  created: CreateLoggedModelInput[] = [];
  finalized: [string, LoggedModelStatus][] = [];
  tagsSet: [string, KeyValue[]][] = [];
  paramsLogged: [string, KeyValue[]][] = [];
  searches: SearchLoggedModelsQuery[] = [];
  hasMore = false;

  createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel> {
    this.created.push(input);
    return Promise.resolve({ ...model(), name: input.name });
  }
  getLoggedModel(): Promise<LoggedModel> {
    return Promise.resolve(model());
  }
  deleteLoggedModel(): Promise<void> {
    return Promise.resolve();
  }
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    this.finalized.push([modelId, status]);
    return Promise.resolve({ ...model(), status });
  }
  setLoggedModelTags(modelId: string, tags: KeyValue[]): Promise<void> {
    this.tagsSet.push([modelId, tags]);
    return Promise.resolve();
  }
  deleteLoggedModelTag(): Promise<void> {
    return Promise.resolve();
  }
  logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void> {
    this.paramsLogged.push([modelId, params]);
    return Promise.resolve();
  }
  searchLoggedModels(
    query: SearchLoggedModelsQuery,
  ): Promise<{ items: LoggedModel[]; hasMore: boolean }> {
    this.searches.push(query);
    return Promise.resolve({ items: [model()], hasMore: this.hasMore });
  }
}

function model(): LoggedModel {
  return {
    modelId: MODEL_ID,
    experimentId: '1',
    name: 'm',
    artifactLocation: `mlflow-artifacts:/1/models/${MODEL_ID}/artifacts`,
    creationTimestampMs: 1,
    lastUpdatedTimestampMs: 1,
    status: 'LOGGED_MODEL_PENDING',
    statusMessage: null,
    modelType: null,
    sourceRunId: null,
    lifecycleStage: 'active',
    tags: [],
    params: [],
    metrics: [],
  };
}

const entries = (count: number, prefix: string): KeyValue[] =>
  Array.from({ length: count }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));

const search = (overrides: Partial<SearchLoggedModelsParams> = {}): SearchLoggedModelsParams => ({
  experimentIds: ['1'],
  datasets: [],
  orderBy: [],
  caller: LOCAL_OPERATOR,
  ...overrides,
});

describe(LoggedModelsService.name, () => {
  let sut: LoggedModelsService;
  let store: FakeLoggedModelStore;

  const setup = (truncateLongValues = true) => {
    store = new FakeLoggedModelStore();
    const options = { truncateLongValues, learnerKeyPrefixes: DEFAULT_LEARNER_KEY_PREFIXES };
    sut = new LoggedModelsService(store, options, new LearnerPrivacyService(options));
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

  describe('create', () => {
    it('generates a name and stores absent or empty optional strings as null', async () => {
      await sut.create({ experimentId: '1', modelType: '', params: [], tags: [] });
      const [input] = store.created;
      expect(input.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
      expect(input.modelType).toBeNull();
      expect(input.sourceRunId).toBeNull();
      expect(input.experimentId).toBe('1');
    });

    it('passes the given name, type and source run on', async () => {
      await sut.create({
        experimentId: '1',
        name: 'net',
        modelType: 'agent',
        sourceRunId: 'r1',
        params: [],
        tags: [],
      });
      expect(store.created[0]).toMatchObject({
        name: 'net',
        modelType: 'agent',
        sourceRunId: 'r1',
      });
    });

    it.each([
      ['a/b', "'a/b'"],
      ['v1.0', "'v1.0'"],
      ["it's", `"it's"`],
    ])('refuses the name %s with MLflow message', async (name, repr) => {
      const error = await rejection(sut.create({ experimentId: '1', name, params: [], tags: [] }));
      expect(error.message).toBe(
        `Invalid model name (${repr}) provided. Model name must be a non-empty string and cannot contain the following characters: ('/', ':', '.', '%', '"', "'")`,
      );
      expect(store.created).toEqual([]);
    });

    it('refuses a name over 500 characters', async () => {
      const error = await rejection(
        sut.create({ experimentId: '1', name: 'n'.repeat(501), params: [], tags: [] }),
      );
      expect(error.message).toBe("'name' exceeds the maximum length of 500 characters (got 501).");
    });

    it('takes at most 100 params with the create call', async () => {
      const error = await rejection(
        sut.create({ experimentId: '1', params: entries(101, 'p'), tags: [] }),
      );
      expect(error.message).toBe(
        'A logged model request can contain at most 100 params. Got 101 params. Please split up params across multiple requests and try again.',
      );
      expect(store.created).toEqual([]);
    });

    it('checks the name before the params', async () => {
      const error = await rejection(
        sut.create({ experimentId: '1', name: 'a:b', params: entries(101, 'p'), tags: [] }),
      );
      expect(error.message).toMatch(/^Invalid model name/);
    });

    it('collapses identical param repeats and keeps the last value per tag key', async () => {
      await sut.create({
        experimentId: '1',
        params: [
          { key: 'lr', value: '0.1' },
          { key: 'lr', value: '0.1' },
        ],
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
          { key: 'a', value: '3' },
        ],
      });
      expect(store.created[0].params).toEqual([{ key: 'lr', value: '0.1' }]);
      expect(store.created[0].tags).toEqual([
        { key: 'b', value: '2' },
        { key: 'a', value: '3' },
      ]);
    });

    it('refuses a param key given with two values', async () => {
      const error = await rejection(
        sut.create({
          experimentId: '1',
          params: [
            { key: 'lr', value: '0.1' },
            { key: 'lr', value: '0.2' },
          ],
          tags: [],
        }),
      );
      expect(error.message).toBe(
        "Duplicate parameter keys have been submitted: ['lr']. Please ensure the request contains only one param value per param key.",
      );
      expect(store.created).toEqual([]);
    });

    it('truncates long values by default and refuses them when truncation is off', async () => {
      await sut.create({
        experimentId: '1',
        params: [{ key: 'p', value: 'x'.repeat(7000) }],
        tags: [{ key: 't', value: 'y'.repeat(9000) }],
      });
      expect(store.created[0].params[0].value).toHaveLength(6000);
      expect(store.created[0].tags[0].value).toHaveLength(8000);

      setup(false);
      const error = await rejection(
        sut.create({
          experimentId: '1',
          params: [{ key: 'p', value: 'x'.repeat(7000) }],
          tags: [],
        }),
      );
      expect(error.message).toBe(
        "'Param value' exceeds the maximum length of 6000 characters (got 7000).",
      );
      expect(store.created).toEqual([]);
    });

    it('refuses bad keys before the store', async () => {
      await rejection(
        sut.create({ experimentId: '1', params: [{ key: 'a//b', value: '' }], tags: [] }),
      );
      await rejection(
        sut.create({ experimentId: '1', params: [], tags: [{ key: 'x?', value: '' }] }),
      );
      expect(store.created).toEqual([]);
    });
  });

  describe('finalize', () => {
    it.each<LoggedModelStatus>(['LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'])(
      'passes the final status %s on',
      async (status) => {
        const result = await sut.finalize(MODEL_ID, MODEL_ID, status);
        expect(store.finalized).toEqual([[MODEL_ID, status]]);
        expect(result.status).toBe(status);
      },
    );

    it('refuses a status that is not final', async () => {
      const error = await rejection(sut.finalize(MODEL_ID, undefined, 'LOGGED_MODEL_PENDING'));
      expect(error.message).toBe(
        "Invalid value 'LOGGED_MODEL_PENDING' for parameter 'status' supplied: a logged model is finalized as LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.",
      );
      expect(store.finalized).toEqual([]);
    });

    it('refuses a body model_id that differs from the path one, before the status', async () => {
      const error = await rejection(sut.finalize(MODEL_ID, 'm-other', 'LOGGED_MODEL_PENDING'));
      expect(error.message).toBe(
        `The model_id in the request body ('m-other') does not match the one in the path ('${MODEL_ID}').`,
      );
    });
  });

  describe('setTags and logParams', () => {
    it('check the body model_id and the entries, then pass them on', async () => {
      await rejection(sut.setTags(MODEL_ID, 'm-other', []));
      await rejection(sut.logParams(MODEL_ID, 'm-other', []));
      expect(store.tagsSet).toEqual([]);
      expect(store.paramsLogged).toEqual([]);

      await sut.setTags(MODEL_ID, '', [
        { key: 't', value: '1' },
        { key: 't', value: '2' },
      ]);
      await sut.logParams(MODEL_ID, MODEL_ID, [{ key: 'p', value: '1' }]);
      expect(store.tagsSet).toEqual([[MODEL_ID, [{ key: 't', value: '2' }]]]);
      expect(store.paramsLogged).toEqual([[MODEL_ID, [{ key: 'p', value: '1' }]]]);
    });

    it('allow up to 1000 entries outside create', async () => {
      await sut.logParams(MODEL_ID, undefined, entries(1000, 'p'));
      expect(store.paramsLogged[0][1]).toHaveLength(1000);
      const error = await rejection(sut.setTags(MODEL_ID, undefined, entries(1001, 't')));
      expect(error.message).toBe(
        'A logged model request can contain at most 1000 tags. Got 1001 tags. Please split up tags across multiple requests and try again.',
      );
    });
  });

  describe('search', () => {
    it('defaults to 100 models, caps pages at 1000 and appends the tiebreaks', async () => {
      await sut.search(search());
      await sut.search(search({ maxResults: 0 }));
      await sut.search(search({ maxResults: 5000 }));
      expect(store.searches.map((q) => q.maxResults)).toEqual([100, 100, 1000]);
      expect(store.searches[0]).toEqual({
        experimentIds: ['1'],
        filter: [],
        datasets: [],
        orderBy: [
          { type: 'attribute', key: 'creation_timestamp', ascending: false },
          { type: 'attribute', key: 'model_id', ascending: true },
        ],
        maxResults: 100,
        offset: 0,
        readableBy: null,
      });
    });

    it('refuses a negative max_results before the store', async () => {
      const error = await rejection(sut.search(search({ maxResults: -1 })));
      expect(error.message).toBe(
        "Invalid value -1 for parameter 'max_results' supplied. It must be a positive integer",
      );
      expect(store.searches).toEqual([]);
    });

    it('passes the filter and datasets on, and attaches a dataset to metric clauses only', async () => {
      const datasets = [{ datasetName: 'eval', datasetDigest: 'd1' }];
      await sut.search(
        search({
          filter: 'metrics.acc > 0.5',
          datasets,
          orderBy: [
            {
              fieldName: 'metrics.acc',
              ascending: false,
              datasetName: 'eval',
              datasetDigest: 'd1',
            },
            { fieldName: 'name', datasetName: 'eval' },
            { fieldName: 'metrics.loss', datasetName: 'train' },
          ],
        }),
      );
      const [query] = store.searches;
      expect(query.filter).toEqual([{ type: 'metric', key: 'acc', comparator: '>', value: 0.5 }]);
      expect(query.datasets).toEqual(datasets);
      expect(query.orderBy).toEqual([
        {
          type: 'metric',
          key: 'acc',
          ascending: false,
          dataset: { datasetName: 'eval', datasetDigest: 'd1' },
        },
        { type: 'attribute', key: 'name', ascending: true },
        { type: 'metric', key: 'loss', ascending: true, dataset: { datasetName: 'train' } },
        { type: 'attribute', key: 'creation_timestamp', ascending: false },
        { type: 'attribute', key: 'model_id', ascending: true },
      ]);
    });

    it('refuses a dataset_digest without a dataset_name', async () => {
      const error = await rejection(
        sut.search(search({ orderBy: [{ fieldName: 'metrics.acc', datasetDigest: 'd1' }] })),
      );
      expect(error.message).toBe(
        '`dataset_digest` can only be specified if `dataset_name` is also specified.',
      );
      expect(store.searches).toEqual([]);
    });

    it('continues a search with its own token', async () => {
      store.hasMore = true;
      const request = search({ filter: "name = 'a'", maxResults: 2 });
      const first = await sut.search(request);
      expect(first.nextPageToken).toEqual(expect.any(String));
      const second = await sut.search({ ...request, pageToken: first.nextPageToken });
      expect(store.searches.map((q) => q.offset)).toEqual([0, 2]);
      expect(second.nextPageToken).not.toBe(first.nextPageToken);

      store.hasMore = false;
      const last = await sut.search({ ...request, pageToken: second.nextPageToken });
      expect(store.searches[2].offset).toBe(4);
      expect(last.nextPageToken).toBeUndefined();
    });

    it.each<[string, Partial<SearchLoggedModelsParams>]>([
      ['experiment_ids', { experimentIds: ['2'] }],
      ['filter', { filter: "name = 'b'" }],
      ['datasets', { datasets: [{ datasetName: 'eval' }] }],
      ['order_by', { orderBy: [{ fieldName: 'name', ascending: false }] }],
    ])('refuses the token for a search with other %s', async (_field, change) => {
      store.hasMore = true;
      const request = search({ filter: "name = 'a'" });
      const { nextPageToken } = await sut.search(request);
      const error = await rejection(
        sut.search({ ...request, ...change, pageToken: nextPageToken }),
      );
      expect(error.message).toBe(
        'Invalid page token: it continues a different search (experiment_ids, filter, datasets or order_by changed).',
      );
      expect(store.searches).toHaveLength(1);
    });

    it('refuses a plain offset token, which names no search', async () => {
      const offsetToken = Buffer.from('{"offset": 2}').toString('base64');
      const error = await rejection(sut.search(search({ pageToken: offsetToken })));
      expect(error.message).toMatch(/^Invalid page token: it continues a different search/);
    });
  });

  describe('the learner-privacy rule', () => {
    it('refuses learner keys on create, set-tags and log-params before the store', async () => {
      const created = await rejection(
        sut.create({
          experimentId: '1',
          params: [{ key: 'lr', value: '0.1' }],
          tags: [{ key: 'Site.berlin', value: 'x' }],
        }),
      );
      expect(created.message).toMatch(/^Tag key 'Site.berlin' is refused: keys under 'site.'/);
      expect(
        (await rejection(sut.setTags(MODEL_ID, undefined, [{ key: 'client/3', value: 'x' }]))).code,
      ).toBe('INVALID_PARAMETER_VALUE');
      expect(
        (await rejection(sut.logParams(MODEL_ID, undefined, [{ key: 'learner.2', value: 'x' }])))
          .message,
      ).toMatch(/^Param key 'learner.2' is refused/);
      expect(store.created).toEqual([]);
      expect(store.tagsSet).toEqual([]);
      expect(store.paramsLogged).toEqual([]);
    });
  });
});
