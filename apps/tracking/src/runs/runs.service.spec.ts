import {
  CreateRunInput,
  DatasetInput,
  DatasetSummary,
  DEFAULT_LEARNER_KEY_PREFIXES,
  LearnerKeyRefusal,
  LearnerKeyRefusals,
  LOCAL_OPERATOR,
  LogBatchInput,
  Metric,
  MetricHistoryPage,
  MlflowError,
  ModelOutput,
  ParamValueChangedError,
  Run,
  RunInfo,
  RunMetric,
  RunStore,
  UpdateRunInput,
} from '@app/domain';

import { LearnerPrivacyService } from '../learner-privacy/learner-privacy.service';
import { RunsService } from './runs.service';

const RUN_ID = '0123456789abcdef0123456789abcdef';

class RecordedRefusals extends LearnerKeyRefusals {
  seen: LearnerKeyRefusal[] = [];
  refused(refusal: LearnerKeyRefusal): void {
    this.seen.push(refusal);
  }
}

/** Records what reaches the store; `logBatchError` makes logBatch fail like the SQL store would. */
class FakeRunStore extends RunStore {
  created: CreateRunInput[] = [];
  batches: LogBatchInput[] = [];
  updates: UpdateRunInput[] = [];
  histories: Record<string, unknown>[] = [];
  inputs: DatasetInput[][] = [];
  logBatchError?: Error;

  createRun(input: CreateRunInput): Promise<Run> {
    this.created.push(input);
    return Promise.resolve({
      info: { ...info(), experimentId: input.experimentId, runName: input.runName },
      data: { metrics: [], params: [], tags: input.tags },
      inputs: { datasetInputs: [], modelInputs: [] },
      outputs: { modelOutputs: [] },
    });
  }
  getRun(): Promise<Run> {
    return Promise.reject(new Error('not used'));
  }
  getRunInfo(): Promise<RunInfo> {
    return Promise.resolve(info());
  }
  updateRun(_runId: string, update: UpdateRunInput): Promise<RunInfo> {
    this.updates.push(update);
    return Promise.resolve(info());
  }
  deleteRun(): Promise<void> {
    return Promise.resolve();
  }
  restoreRun(): Promise<void> {
    return Promise.resolve();
  }
  logBatch(_runId: string, batch: LogBatchInput): Promise<void> {
    if (this.logBatchError) return Promise.reject(this.logBatchError);
    this.batches.push(batch);
    return Promise.resolve();
  }
  logMetric(runId: string, metric: Metric): Promise<void> {
    return this.logBatch(runId, { metrics: [metric], params: [], tags: [] });
  }
  deleteTag(): Promise<void> {
    return Promise.resolve();
  }
  appendLoggedModelHistory(_runId: string, model: Record<string, unknown>): Promise<void> {
    this.histories.push(model);
    return Promise.resolve();
  }
  logInputs(_runId: string, datasets: DatasetInput[], _modelIds: string[]): Promise<void> {
    this.inputs.push(datasets);
    return Promise.resolve();
  }
  logOutputs(_runId: string, _models: ModelOutput[]): Promise<void> {
    return Promise.resolve();
  }
  searchRuns(): Promise<{ items: Run[]; hasMore: boolean }> {
    return Promise.resolve({ items: [], hasMore: false });
  }
  getMetricHistory(): Promise<MetricHistoryPage> {
    const none = new Float64Array(0);
    return Promise.resolve({ key: '', timestamps: none, steps: none, values: none });
  }
  getMetricHistoryBulkInterval(): Promise<RunMetric[]> {
    return Promise.resolve([]);
  }
  getMetricHistoryBulk(): Promise<RunMetric[]> {
    return Promise.resolve([]);
  }
  searchDatasets(): Promise<DatasetSummary[]> {
    return Promise.resolve([]);
  }
}

function info(): RunInfo {
  return {
    runId: RUN_ID,
    experimentId: '1',
    runName: 'n',
    userId: '',
    status: 'RUNNING',
    startTime: 1,
    endTime: null,
    artifactUri: 'mlflow-artifacts:/1/x/artifacts',
    lifecycleStage: 'active',
  };
}

const metric = (key: string, value = 1, timestamp = 1): Metric => ({
  key,
  value,
  timestamp,
  step: 0,
});

describe(RunsService.name, () => {
  let sut: RunsService;
  let store: FakeRunStore;

  const setup = (truncateLongValues = true) => {
    store = new FakeRunStore();
    const options = { truncateLongValues, learnerKeyPrefixes: DEFAULT_LEARNER_KEY_PREFIXES };
    sut = new RunsService(store, options, new LearnerPrivacyService(options));
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
    it('takes run_name, appends the mlflow.runName tag and defaults the experiment and start time', async () => {
      const before = Date.now();
      await sut.create({
        caller: LOCAL_OPERATOR,
        runName: 'round-1',
        tags: [{ key: 'site', value: 'a' }],
      });
      const [input] = store.created;
      expect(input.experimentId).toBe('0');
      expect(input.runName).toBe('round-1');
      expect(input.startTime).toBeGreaterThanOrEqual(before);
      expect(input.tags).toEqual([
        { key: 'site', value: 'a' },
        { key: 'mlflow.runName', value: 'round-1' },
      ]);
    });

    it('takes the name from the mlflow.runName tag, keeping the tag where it was', async () => {
      await sut.create({
        caller: LOCAL_OPERATOR,
        experimentId: '3',
        tags: [
          { key: 'mlflow.runName', value: 'from-tag' },
          { key: 'site', value: 'a' },
        ],
      });
      expect(store.created[0].runName).toBe('from-tag');
      expect(store.created[0].tags.map((t) => t.key)).toEqual(['mlflow.runName', 'site']);
    });

    it('generates a name when neither is given, and replaces an empty name tag', async () => {
      await sut.create({ caller: LOCAL_OPERATOR, tags: [{ key: 'mlflow.runName', value: '' }] });
      const { runName, tags } = store.created[0];
      expect(runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
      expect(tags).toEqual([{ key: 'mlflow.runName', value: runName }]);
    });

    it('refuses a run_name that differs from the mlflow.runName tag, before the store', async () => {
      const error = await rejection(
        sut.create({
          caller: LOCAL_OPERATOR,
          runName: 'x',
          tags: [{ key: 'mlflow.runName', value: 'y' }],
        }),
      );
      expect(error.message).toBe(
        "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='x', mlflow.runName='y').",
      );
      expect(store.created).toEqual([]);
    });

    it('refuses names and user ids longer than their columns with 400s', async () => {
      expect(
        (
          await rejection(
            sut.create({ caller: LOCAL_OPERATOR, runName: 'n'.repeat(251), tags: [] }),
          )
        ).code,
      ).toBe('INVALID_PARAMETER_VALUE');
      expect(
        (await rejection(sut.create({ caller: LOCAL_OPERATOR, userId: 'u'.repeat(257), tags: [] })))
          .message,
      ).toMatch(/'user_id' exceeds the maximum length of 256/);
    });
  });

  describe('logBatch', () => {
    it('passes a checked batch on: truncated values, last tag value per key', async () => {
      await sut.logBatch(RUN_ID, {
        metrics: [metric('loss')],
        params: [{ key: 'p', value: 'v'.repeat(7000) }],
        tags: [
          { key: 't', value: '1' },
          { key: 't', value: '2' },
        ],
      });
      const [batch] = store.batches;
      expect(batch.params[0].value).toHaveLength(6000);
      expect(batch.tags).toEqual([{ key: 't', value: '2' }]);
      expect(batch.metrics).toEqual([metric('loss')]);
    });

    it('refuses long values when truncation is off', async () => {
      setup(false);
      const error = await rejection(
        sut.logBatch(RUN_ID, {
          metrics: [],
          params: [],
          tags: [{ key: 't', value: 'x'.repeat(8001) }],
        }),
      );
      expect(error.message).toMatch(/^'Tag value' exceeds the maximum length of 8000 characters/);
      expect(store.batches).toEqual([]);
    });

    it('names the offending entry with its batch path', async () => {
      const error = await rejection(
        sut.logBatch(RUN_ID, { metrics: [metric('ok'), metric('a//b')], params: [], tags: [] }),
      );
      expect(error.message).toBe(
        `Invalid value "a//b" for parameter 'metrics[1].name' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to 'a/b'`,
      );
    });

    it('applies the per-kind and total limits with MLflow messages', async () => {
      const tags = Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: '' }));
      expect(
        (await rejection(sut.logBatch(RUN_ID, { metrics: [], params: [], tags }))).message,
      ).toBe(
        'A batch logging request can contain at most 100 tags. Got 101 tags. Please split up tags across multiple requests and try again.',
      );
      const metrics = Array.from({ length: 1001 }, (_, i) => metric('m', i, i));
      expect(
        (await rejection(sut.logBatch(RUN_ID, { metrics, params: [], tags: [] }))).message,
      ).toMatch(/^A batch logging request can contain at most 1000 metrics\. Got 1001 metrics\./);
      expect(store.batches).toEqual([]);
    });

    it('refuses repeated param keys, listing every repeat', async () => {
      const params = ['a', 'b', 'a', 'a'].map((key) => ({ key, value: '1' }));
      expect(
        (await rejection(sut.logBatch(RUN_ID, { metrics: [], params, tags: [] }))).message,
      ).toBe(
        "Duplicate parameter keys have been submitted: ['a', 'a']. Please ensure the request contains only one param value per param key.",
      );
    });

    it('checks the run id first', async () => {
      const error = await rejection(
        sut.logBatch('../etc', { metrics: [metric('a//b')], params: [], tags: [] }),
      );
      expect(error.message).toBe(`Invalid value "../etc" for parameter 'run_id' supplied.`);
    });
  });

  describe('single-entry logging', () => {
    it('words a changed param like MLflow log-parameter', async () => {
      store.logBatchError = new ParamValueChangedError(RUN_ID, [
        { key: 'lr', oldValue: '0.1', newValue: '0.2' },
      ]);
      const error = await rejection(sut.logParam(RUN_ID, { key: 'lr', value: '0.2' }));
      expect(error.message).toBe(
        `Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${RUN_ID}'. Attempted logging new value '0.2'.`,
      );
    });

    it('keeps the batch wording on log-batch', async () => {
      store.logBatchError = new ParamValueChangedError(RUN_ID, [
        { key: "it's", oldValue: 'a', newValue: 'b' },
      ]);
      const error = await rejection(
        sut.logBatch(RUN_ID, { metrics: [], params: [{ key: 'its', value: 'b' }], tags: [] }),
      );
      expect(error.message).toBe(
        `Changing param values is not allowed. Params were already logged='[{'key': "it's", 'old_value': 'a', 'new_value': 'b'}]' for run ID='${RUN_ID}'.`,
      );
    });

    it('uses the single-request field names in key and timestamp messages', async () => {
      expect((await rejection(sut.setTag(RUN_ID, { key: 'a b!', value: '' }))).message).toMatch(
        /^Invalid value "a b!" for parameter 'key' supplied: Names may only contain/,
      );
      expect(
        (await rejection(sut.logMetric(RUN_ID, { ...metric('k', 2), timestamp: -5 }))).message,
      ).toBe(
        "Invalid value -5 for parameter 'timestamp' supplied: metric 'k' (value=2.0). Timestamp must be a nonnegative long (64-bit integer) ",
      );
      expect(store.batches).toEqual([]);
    });

    it('accepts colons and non-ASCII letters in keys, as MLflow on Linux does', async () => {
      await sut.logMetric(RUN_ID, metric('gpu:0/températion'));
      expect(store.batches).toHaveLength(1);
    });
  });

  describe('update', () => {
    it('ignores an empty run_name, as MLflow does', async () => {
      await sut.update(RUN_ID, { status: 'FINISHED', runName: '' });
      expect(store.updates).toEqual([
        { status: 'FINISHED', endTime: undefined, runName: undefined },
      ]);
    });
  });

  describe('logModel', () => {
    it('refuses malformed JSON and missing fields with MLflow messages', async () => {
      expect((await rejection(sut.logModel(RUN_ID, '{not json'))).message).toBe(
        'Malformed model info. \n {not json \n is not a valid JSON.',
      );
      expect((await rejection(sut.logModel(RUN_ID, '{"artifact_path": "m"}'))).message).toBe(
        "Model json is missing mandatory fields: {'flavors', 'run_id', 'utc_time_created'}",
      );
      expect(store.histories).toEqual([]);
    });

    it('records the model dict without signature and null fields, in the given key order', async () => {
      await sut.logModel(
        RUN_ID,
        JSON.stringify({
          run_id: RUN_ID,
          flavors: {},
          artifact_path: 'model',
          signature: { inputs: '[]' },
          utc_time_created: 't',
          model_uuid: null,
        }),
      );
      expect(Object.keys(store.histories[0])).toEqual([
        'run_id',
        'flavors',
        'artifact_path',
        'utc_time_created',
      ]);
    });
  });

  describe('inputs and outputs', () => {
    it('refuses over-long dataset fields and model ids before the store', async () => {
      const dataset = { name: 'd', digest: 'x'.repeat(37), sourceType: 'http', source: '' };
      expect((await rejection(sut.logInputs(RUN_ID, [{ tags: [], dataset }], []))).message).toMatch(
        /^'digest' exceeds the maximum length of 36/,
      );
      expect(
        (await rejection(sut.logOutputs(RUN_ID, [{ modelId: 'm'.repeat(65), step: 0 }]))).message,
      ).toMatch(/^'model_id' exceeds the maximum length of 64/);
    });
  });

  describe('the learner-privacy rule', () => {
    let refusals: RecordedRefusals;

    beforeEach(() => {
      refusals = new RecordedRefusals();
      const options = {
        truncateLongValues: true,
        learnerKeyPrefixes: DEFAULT_LEARNER_KEY_PREFIXES,
      };
      sut = new RunsService(store, options, new LearnerPrivacyService(options, refusals));
    });

    const dataset = { name: 'd', digest: 'x', sourceType: 'http', source: '' };
    const writes: [string, () => Promise<unknown>, string][] = [
      [
        'create',
        () => sut.create({ caller: LOCAL_OPERATOR, tags: [{ key: 'client.3', value: 'v' }] }),
        "Tag key 'client.3'",
      ],
      [
        'logMetric',
        () => sut.logMetric(RUN_ID, metric('client.3/loss')),
        "Metric key 'client.3/loss'",
      ],
      ['logParam', () => sut.logParam(RUN_ID, { key: 'site/a', value: '1' }), "Param key 'site/a'"],
      ['setTag', () => sut.setTag(RUN_ID, { key: 'Learner.1', value: '1' }), "Tag key 'Learner.1'"],
      [
        'logBatch',
        () =>
          sut.logBatch(RUN_ID, {
            metrics: [metric('loss')],
            params: [{ key: 'rounds', value: '3' }],
            tags: [{ key: 'learner/7', value: 'x' }],
          }),
        "Tag key 'learner/7'",
      ],
      [
        'logInputs',
        () => sut.logInputs(RUN_ID, [{ tags: [{ key: 'client/3', value: 'train' }], dataset }], []),
        "Dataset input tag key 'client/3'",
      ],
    ];

    it.each(writes)(
      'refuses %s before the store and tells the counting hook',
      async (_, write, start) => {
        const error = await rejection(write());
        expect(error.code).toBe('INVALID_PARAMETER_VALUE');
        expect(error.message.startsWith(`${start} is refused`)).toBe(true);
        expect(store.created).toEqual([]);
        expect(store.batches).toEqual([]);
        expect(store.inputs).toEqual([]);
        expect(refusals.seen).toHaveLength(1);
      },
    );

    it("keeps MLflow's own key errors first", async () => {
      const error = await rejection(
        sut.logBatch(RUN_ID, {
          metrics: [metric('client.1'), metric('a//b')],
          params: [],
          tags: [],
        }),
      );
      expect(error.message).toMatch(/^Invalid value "a\/\/b" for parameter 'metrics\[1\]\.name'/);
      expect(refusals.seen).toEqual([]);
    });

    it('passes aggregate keys and mlflow.* tags', async () => {
      await sut.logBatch(RUN_ID, {
        metrics: [metric('system/cpu_utilization_percentage'), metric('learners_count')],
        params: [{ key: 'clientele', value: '1' }],
        tags: [{ key: 'mlflow.source.name', value: 'x' }],
      });
      expect(store.batches).toHaveLength(1);
      expect(refusals.seen).toEqual([]);
    });
  });
});
