import {
  MetricHistoryBulkIntervalQuery,
  MetricHistoryPage,
  MetricHistoryQuery,
  MetricHistoryStart,
  MlflowError,
  RunMetric,
} from '@app/domain';

import { UnusedRunStore } from '../../../../test/support/unused-ports';
import { MetricsService } from './metrics.service';

const RUN_ID = '0123456789abcdef0123456789abcdef';

/** Records the history reads; `next` is where the store says the next page starts. */
class FakeRunStore extends UnusedRunStore {
  histories: MetricHistoryQuery[] = [];
  intervals: MetricHistoryBulkIntervalQuery[] = [];
  bulks: [string[], string, number][] = [];
  next?: MetricHistoryStart;

  override getMetricHistory(query: MetricHistoryQuery): Promise<MetricHistoryPage> {
    this.histories.push(query);
    return Promise.resolve({
      key: query.metricKey,
      timestamps: Float64Array.of(1, 2),
      steps: Float64Array.of(0, 1),
      values: Float64Array.of(0.5, 0.25),
      next: this.next,
    });
  }
  override getMetricHistoryBulkInterval(
    query: MetricHistoryBulkIntervalQuery,
  ): Promise<RunMetric[]> {
    this.intervals.push(query);
    return Promise.resolve([point()]);
  }
  override getMetricHistoryBulk(runIds: string[], metricKey: string, maxResults: number) {
    this.bulks.push([runIds, metricKey, maxResults]);
    return Promise.resolve([point()]);
  }
}

function point(): RunMetric {
  return { runId: RUN_ID, key: 'loss', value: 1, timestamp: 1, step: 0 };
}

const base64 = (json: string) => Buffer.from(json, 'utf8').toString('base64');

describe(MetricsService.name, () => {
  let sut: MetricsService;
  let store: FakeRunStore;

  beforeEach(() => {
    store = new FakeRunStore();
    sut = new MetricsService(store);
  });

  const rejection = async (promise: Promise<unknown>): Promise<MlflowError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MlflowError);
    return error as MlflowError;
  };

  /** The bulk methods throw synchronously; this turns that into a rejection as well. */
  const rejectionOf = (fn: () => Promise<unknown>) => rejection(Promise.resolve().then(fn));

  describe('getHistory', () => {
    it('reads the whole history from the start without max_results, and hands out no token', async () => {
      store.next = { offset: 2 };
      const result = await sut.getHistory({ runId: RUN_ID, metricKey: 'loss' });
      expect(store.histories).toEqual([
        { runId: RUN_ID, metricKey: 'loss', maxResults: undefined, start: { offset: 0 } },
      ]);
      expect(Array.from(result.points.values)).toEqual([0.5, 0.25]);
      expect(result.nextPageToken).toBeUndefined();
    });

    it('treats max_results=0 as the whole history', async () => {
      store.next = { offset: 2 };
      const result = await sut.getHistory({ runId: RUN_ID, metricKey: 'loss', maxResults: 0 });
      expect(store.histories[0].maxResults).toBeUndefined();
      expect(result.nextPageToken).toBeUndefined();
    });

    it('encodes where the next page starts as a keyset token', async () => {
      store.next = { after: { timestamp: 5, step: 1, skip: 1 } };
      const result = await sut.getHistory({ runId: RUN_ID, metricKey: 'loss', maxResults: 2 });
      expect(store.histories[0].maxResults).toBe(2);
      expect(result.nextPageToken).toBe(base64('{"timestamp": 5, "step": 1, "skip": 1}'));
    });

    it('has no token on the last page', async () => {
      const result = await sut.getHistory({ runId: RUN_ID, metricKey: 'loss', maxResults: 2 });
      expect(result.nextPageToken).toBeUndefined();
    });

    it("starts from a keyset token, or from MLflow's offset token", async () => {
      await sut.getHistory({
        runId: RUN_ID,
        metricKey: 'loss',
        maxResults: 2,
        pageToken: base64('{"timestamp": "9007199254740993", "step": 1, "skip": 0}'),
      });
      await sut.getHistory({
        runId: RUN_ID,
        metricKey: 'loss',
        maxResults: 2,
        pageToken: base64('{"offset": 4}'),
      });
      expect(store.histories.map((q) => q.start)).toEqual([
        { after: { timestamp: 9007199254740993n, step: 1, skip: 0 } },
        { offset: 4 },
      ]);
    });

    it('refuses a malformed token before the store', async () => {
      const error = await rejection(
        sut.getHistory({
          runId: RUN_ID,
          metricKey: 'loss',
          pageToken: base64('{"timestamp": 1, "step": 1}'),
        }),
      );
      expect(error.message).toBe('Invalid page token, parsed value={"timestamp": 1, "step": 1}');
      expect(store.histories).toEqual([]);
    });
  });

  describe('getHistoryBulkInterval', () => {
    it('defaults max_results to 2500 and passes the step range on', async () => {
      await sut.getHistoryBulkInterval({ runIds: [RUN_ID], metricKey: 'loss' });
      await sut.getHistoryBulkInterval({
        runIds: [RUN_ID],
        metricKey: 'loss',
        startStep: 3,
        endStep: 3,
        maxResults: 10,
      });
      expect(store.intervals).toEqual([
        {
          runIds: [RUN_ID],
          metricKey: 'loss',
          startStep: undefined,
          endStep: undefined,
          maxResults: 2500,
        },
        { runIds: [RUN_ID], metricKey: 'loss', startStep: 3, endStep: 3, maxResults: 10 },
      ]);
    });

    it('refuses more than 100 run ids, before looking at max_results', async () => {
      const runIds = Array.from({ length: 101 }, (_, i) => `r${i}`);
      const error = await rejectionOf(() =>
        sut.getHistoryBulkInterval({ runIds, metricKey: 'loss', maxResults: 0 }),
      );
      expect(error.message).toBe(
        'GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids. See the API docs for more information about request parameters.',
      );
      expect(store.intervals).toEqual([]);
    });

    it.each([0, 2501])('refuses max_results=%d', async (maxResults) => {
      const error = await rejectionOf(() =>
        sut.getHistoryBulkInterval({ runIds: [RUN_ID], metricKey: 'loss', maxResults }),
      );
      expect(error.message).toBe(
        'max_results must be between 1 and 2500. See the API docs for more information about request parameters.',
      );
    });

    it.each([[{ startStep: 1 }], [{ endStep: 1 }]])(
      'refuses one end of the step range without the other (%j)',
      async (range) => {
        const error = await rejectionOf(() =>
          sut.getHistoryBulkInterval({ runIds: [RUN_ID], metricKey: 'loss', ...range }),
        );
        expect(error.message).toBe(
          'If either start step or end step are specified, both must be specified.',
        );
      },
    );

    it('refuses a start step after the end step', async () => {
      const error = await rejectionOf(() =>
        sut.getHistoryBulkInterval({
          runIds: [RUN_ID],
          metricKey: 'loss',
          startStep: 5,
          endStep: 4,
        }),
      );
      expect(error.message).toBe(
        'end_step must be greater than start_step. Found start_step=5 and end_step=4.',
      );
      expect(store.intervals).toEqual([]);
    });
  });

  describe('getHistoryBulk', () => {
    it('defaults max_results to 25000', async () => {
      const points = await sut.getHistoryBulk({ runIds: [RUN_ID], metricKey: 'loss' });
      expect(store.bulks).toEqual([[[RUN_ID], 'loss', 25_000]]);
      expect(points).toEqual([point()]);
    });

    it.each([undefined, []])('refuses a request without run ids (%j)', async (runIds) => {
      const error = await rejectionOf(() => sut.getHistoryBulk({ runIds }));
      expect(error.message).toBe('GetMetricHistoryBulk request must specify at least one run_id.');
    });

    it('refuses more than 100 run ids, before the metric key', async () => {
      const runIds = Array.from({ length: 101 }, (_, i) => `r${i}`);
      const error = await rejectionOf(() => sut.getHistoryBulk({ runIds }));
      expect(error.message).toBe(
        'GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 run_ids.',
      );
    });

    it('refuses a request without a metric key', async () => {
      const error = await rejectionOf(() => sut.getHistoryBulk({ runIds: [RUN_ID] }));
      expect(error.message).toBe('GetMetricHistoryBulk request must specify a metric_key.');
    });

    it.each([0, 25_001])('refuses max_results=%d instead of clamping it', async (maxResults) => {
      const error = await rejectionOf(() =>
        sut.getHistoryBulk({ runIds: [RUN_ID], metricKey: 'loss', maxResults }),
      );
      expect(error.message).toBe(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and 25000.`,
      );
      expect(store.bulks).toEqual([]);
    });
  });
});
