import {
  CreateExperimentInput,
  DEFAULT_LEARNER_KEY_PREFIXES,
  Experiment,
  ExperimentStore,
  KeyValue,
  LOCAL_OPERATOR,
  MlflowError,
  SearchExperimentsQuery,
} from '@app/domain';

import { LearnerPrivacyService } from '../learner-privacy/learner-privacy.service';
import { ExperimentsService } from './experiments.service';

/** Records what reaches the store; `byName` and `hasMore` shape its answers. */
class FakeExperimentStore extends ExperimentStore {
  created: CreateExperimentInput[] = [];
  searches: SearchExperimentsQuery[] = [];
  renames: [string, string][] = [];
  tagsSet: [string, KeyValue][] = [];
  byName = new Map<string, Experiment>();
  hasMore = false;

  createExperiment(input: CreateExperimentInput): Promise<string> {
    this.created.push(input);
    return Promise.resolve('7');
  }
  getExperiment(experimentId: string): Promise<Experiment> {
    return Promise.resolve(experiment(experimentId, 'e'));
  }
  findExperimentByName(name: string): Promise<Experiment | null> {
    return Promise.resolve(this.byName.get(name) ?? null);
  }
  searchExperiments(
    query: SearchExperimentsQuery,
  ): Promise<{ items: Experiment[]; hasMore: boolean }> {
    this.searches.push(query);
    return Promise.resolve({ items: [experiment('1', 'found')], hasMore: this.hasMore });
  }
  renameExperiment(experimentId: string, newName: string): Promise<void> {
    this.renames.push([experimentId, newName]);
    return Promise.resolve();
  }
  deleteExperiment(): Promise<void> {
    return Promise.resolve();
  }
  restoreExperiment(): Promise<void> {
    return Promise.resolve();
  }
  setExperimentTag(experimentId: string, tag: KeyValue): Promise<void> {
    this.tagsSet.push([experimentId, tag]);
    return Promise.resolve();
  }
  deleteExperimentTag(): Promise<void> {
    return Promise.resolve();
  }
}

function experiment(experimentId: string, name: string): Experiment {
  return {
    experimentId,
    name,
    artifactLocation: `mlflow-artifacts:/${experimentId}`,
    lifecycleStage: 'active',
    creationTime: 1,
    lastUpdateTime: 1,
    tags: [],
    owner: null,
  };
}

/** base64 of MLflow's `{"offset": N}` page token. */
const token = (offset: number) => Buffer.from(`{"offset": ${offset}}`).toString('base64');

describe(ExperimentsService.name, () => {
  let sut: ExperimentsService;
  let store: FakeExperimentStore;

  beforeEach(() => {
    store = new FakeExperimentStore();
    const options = { truncateLongValues: true, learnerKeyPrefixes: DEFAULT_LEARNER_KEY_PREFIXES };
    sut = new ExperimentsService(store, new LearnerPrivacyService(options));
  });

  const rejection = async (promise: Promise<unknown>): Promise<MlflowError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  };

  describe('create', () => {
    it('keeps the last value per tag key, sets no owner and returns the store id', async () => {
      const id = await sut.create(
        'exp',
        [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
          { key: 'a', value: '3' },
        ],
        LOCAL_OPERATOR,
      );
      expect(id).toBe('7');
      expect(store.created).toEqual([
        {
          name: 'exp',
          tags: [
            { key: 'b', value: '2' },
            { key: 'a', value: '3' },
          ],
          owner: null,
        },
      ]);
    });

    it('refuses a name over 500 characters before the store', async () => {
      const error = await rejection(sut.create('n'.repeat(501), [], LOCAL_OPERATOR));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe("'name' exceeds the maximum length of 500 characters (got 501).");
      expect(store.created).toEqual([]);
    });

    it('refuses a bad tag key and an over-long tag value before the store', async () => {
      expect(
        (await rejection(sut.create('exp', [{ key: 'a b!', value: '' }], LOCAL_OPERATOR))).message,
      ).toMatch(/^Invalid value "a b!" for parameter 'key' supplied: Names may only contain/);
      expect(
        (
          await rejection(
            sut.create('exp', [{ key: 't', value: 'v'.repeat(5001) }], LOCAL_OPERATOR),
          )
        ).message,
      ).toBe("'Tag value' exceeds the maximum length of 5000 characters (got 5001).");
      expect(store.created).toEqual([]);
    });

    it('validates only the value that wins for a repeated key', async () => {
      await sut.create(
        'exp',
        [
          { key: 't', value: 'v'.repeat(5001) },
          { key: 't', value: 'ok' },
        ],
        LOCAL_OPERATOR,
      );
      expect(store.created[0].tags).toEqual([{ key: 't', value: 'ok' }]);
    });
  });

  describe('getByName', () => {
    it('returns the experiment the store finds', async () => {
      store.byName.set('exp', experiment('4', 'exp'));
      expect((await sut.getByName('exp')).experimentId).toBe('4');
    });

    it("answers RESOURCE_DOES_NOT_EXIST in MLflow's words when there is none", async () => {
      const error = await rejection(sut.getByName('missing'));
      expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
      expect(error.message).toBe("Could not find experiment with name 'missing'");
    });
  });

  describe('search', () => {
    it('defaults to 1000 active experiments from offset 0 in creation order', async () => {
      const page = await sut.search({ caller: LOCAL_OPERATOR });
      expect(store.searches).toEqual([
        {
          viewType: 'ACTIVE_ONLY',
          filter: [],
          orderBy: [
            { type: 'attribute', key: 'creation_time', ascending: false },
            { type: 'attribute', key: 'experiment_id', ascending: true },
          ],
          maxResults: 1000,
          offset: 0,
          readableBy: null,
        },
      ]);
      expect(page.items.map((e) => e.name)).toEqual(['found']);
      expect(page.nextPageToken).toBeUndefined();
    });

    it('passes the parsed filter, order and view type on', async () => {
      await sut.search({
        caller: LOCAL_OPERATOR,
        filter: "name LIKE 'fl%'",
        orderBy: ['name ASC'],
        viewType: 'ALL',
      });
      const [query] = store.searches;
      expect(query.viewType).toBe('ALL');
      expect(query.filter).toEqual([
        { type: 'attribute', key: 'name', comparator: 'LIKE', value: 'fl%' },
      ]);
      expect(query.orderBy).toEqual([
        { type: 'attribute', key: 'name', ascending: true },
        { type: 'attribute', key: 'experiment_id', ascending: false },
      ]);
    });

    it('continues from the token offset and hands out the next one while more follow', async () => {
      store.hasMore = true;
      const page = await sut.search({
        caller: LOCAL_OPERATOR,
        maxResults: 5,
        pageToken: token(10),
      });
      expect(store.searches[0].offset).toBe(10);
      expect(store.searches[0].maxResults).toBe(5);
      expect(page.nextPageToken).toBe(token(15));
    });

    it.each([
      [0, "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer"],
      [-3, "Invalid value -3 for parameter 'max_results' supplied. It must be a positive integer"],
      [
        50_001,
        "Invalid value 50001 for parameter 'max_results' supplied. It must be at most 50000",
      ],
    ])('refuses max_results=%d before the store', async (maxResults, message) => {
      const error = await rejection(sut.search({ caller: LOCAL_OPERATOR, maxResults }));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toBe(message);
      expect(store.searches).toEqual([]);
    });

    it('checks max_results before the page token', async () => {
      const error = await rejection(
        sut.search({ caller: LOCAL_OPERATOR, maxResults: 0, pageToken: '!!' }),
      );
      expect(error.message).toMatch(/max_results/);
    });

    it('refuses a bad page token or filter before the store', async () => {
      expect(
        (await rejection(sut.search({ caller: LOCAL_OPERATOR, pageToken: 'not base64!' }))).message,
      ).toBe('Invalid page token, could not base64-decode');
      expect(
        (await rejection(sut.search({ caller: LOCAL_OPERATOR, filter: "foo.bar = 'x'" }))).code,
      ).toBe('INVALID_PARAMETER_VALUE');
      expect(store.searches).toEqual([]);
    });
  });

  describe('rename', () => {
    it('checks the new name before the store', async () => {
      await rejection(sut.rename('1', 'x'.repeat(501)));
      expect(store.renames).toEqual([]);
      await sut.rename('1', 'renamed');
      expect(store.renames).toEqual([['1', 'renamed']]);
    });
  });

  describe('setTag', () => {
    it('checks the tag before the store', async () => {
      const error = await rejection(sut.setTag('1', { key: '../x', value: 'v' }));
      expect(error.message).toMatch(/^Invalid value "\.\.\/x" for parameter 'key' supplied/);
      expect(store.tagsSet).toEqual([]);
      await sut.setTag('1', { key: 'k', value: 'v' });
      expect(store.tagsSet).toEqual([['1', { key: 'k', value: 'v' }]]);
    });
  });

  it('refuses learner tag keys on create and set-experiment-tag before the store', async () => {
    expect(
      (await rejection(sut.create('p', [{ key: 'client.3', value: 'x' }], LOCAL_OPERATOR))).message,
    ).toMatch(/^Tag key 'client.3' is refused/);
    expect((await rejection(sut.setTag('7', { key: 'site/a', value: 'x' }))).code).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect(store.created).toEqual([]);
    expect(store.tagsSet).toEqual([]);
  });
});
