import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import {
  createExperiment,
  createRuns,
  MetricPoint,
  seedMetricPoints,
  seedRuns,
} from './run-fixtures';

const MAX = 1.7976931348623157e308;
const HINT = 'See the API docs for more information about request parameters.';

interface PointJson {
  key: string;
  value: number | 'NaN';
  timestamp: number;
  step: number;
  run_id?: string;
}

const steps = (from: number, to: number, ts: number, v0: number, dv: number): MetricPoint[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    step: from + i,
    timestamp: ts + i * 1000,
    value: Math.round((v0 + i * dv) * 100) / 100,
  }));

/**
 * MLflow 2.17's `_get_sampled_steps` (handlers.py), the oracle for the sampling tests: every
 * max(1, n // maxResults)-th distinct step in range plus the last, plus each run's min and max.
 */
function mlflowSampledSteps(
  runSteps: number[][],
  maxResults: number,
  range?: [number, number],
): number[] {
  const all = [...new Set(runSteps.flat())].sort((a, b) => a - b);
  const [start, end] = range ?? [0, all.length ? all[all.length - 1] : 0];
  const bounds = runSteps
    .filter((s) => s.length > 0)
    .flatMap((s) => [Math.min(...s), Math.max(...s)])
    .filter((s) => s >= start && s <= end);
  const inRange = all.filter((s) => s >= start && s <= end);
  const sampled: number[] = [];
  if (inRange.length > 0) {
    const interval = Math.max(1, Math.floor(inRange.length / maxResults));
    for (let i = 0; i < inRange.length; i += interval) sampled.push(inRange[i]);
    sampled.push(inRange[inRange.length - 1]);
  }
  return [...new Set([...sampled, ...bounds])].sort((a, b) => a - b);
}

describe.each(BACKENDS)('metric history on %s', (backend) => {
  let t: TestApp;
  let run1: string;
  let run2: string;

  const get = (path: string) => t.http.get(`/api/2.0/mlflow/${path}`);
  const ajax = (path: string) => t.http.get(`/ajax-api/2.0/mlflow/${path}`);

  const post = async (path: string, body: unknown) => {
    const res = await t.http
      .post(`/api/2.0/mlflow/${path}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
    expect(res.status).toBe(200);
  };
  const logBatch = (runId: string, key: string, points: MetricPoint[]) =>
    post('runs/log-batch', { run_id: runId, metrics: points.map((p) => ({ key, ...p })) });

  beforeAll(async () => {
    t = await createTestApp(backend);
    const exp = await createExperiment(t, 'metrics-e2e');
    [run1, run2] = await createRuns(t, exp, [
      { name: 'metrics-1', startTime: 1732600420000 },
      { name: 'metrics-2', startTime: 1732600480000 },
    ]);
    // The golden metrics.json scenario, logged as the Python client does.
    await logBatch(run1, 'acc', steps(0, 4, 1732600010000, 0.1, 0.1));
    await logBatch(run2, 'acc', steps(0, 9, 1732600020000, 0.05, 0.05));
    await post('runs/log-metric', {
      run_id: run1,
      run_uuid: run1,
      key: 'acc',
      value: 0.25,
      timestamp: 1732600030000,
      step: 2,
    });
    for (const [value, step] of [
      ['NaN', 0],
      ['Infinity', 1],
      ['-Infinity', 2],
    ] as const) {
      await post('runs/log-metric', {
        run_id: run1,
        key: 'special',
        value,
        timestamp: 1732600031000 + step * 1000,
        step,
      });
    }
  });

  afterAll(async () => {
    await t.close();
  });

  describe('get-history', () => {
    const RUN1_ACC = [
      { key: 'acc', value: 0.1, timestamp: 1732600010000, step: 0 },
      { key: 'acc', value: 0.2, timestamp: 1732600011000, step: 1 },
      { key: 'acc', value: 0.3, timestamp: 1732600012000, step: 2 },
      { key: 'acc', value: 0.4, timestamp: 1732600013000, step: 3 },
      { key: 'acc', value: 0.5, timestamp: 1732600014000, step: 4 },
      { key: 'acc', value: 0.25, timestamp: 1732600030000, step: 2 },
    ];

    it('returns every point, ordered by timestamp, without max_results (npm client form)', async () => {
      const res = await get(`metrics/get-history?run_id=${run1}&run_uuid=${run1}&metric_key=acc`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ metrics: RUN1_ACC });
      expect(Object.keys(res.body.metrics[0])).toEqual(['key', 'value', 'timestamp', 'step']);
      const zero = await get(`metrics/get-history?run_uuid=${run1}&metric_key=acc&max_results=0`);
      expect(zero.body).toEqual({ metrics: RUN1_ACC });
    });

    it('returns every double exactly as logged (17 significant digits)', async () => {
      // mysql2's own text parser loses the last bit of some of these (990.5011037662389 → …388).
      const values = [
        990.5011037662389,
        0.1 + 0.2,
        1 / 3,
        123456.78901234567,
        -2.2250738585072014e-308,
        MAX,
        5e-324,
        0.30000000000000004,
        9007199254740992,
        1e21,
        1.7976931348623155e308,
      ];
      const exact = values.map((value, step) => ({
        key: 'exact',
        value,
        timestamp: 1732600090000,
        step,
      }));
      await logBatch(run2, 'exact', exact);
      const history = await get(`metrics/get-history?run_uuid=${run2}&metric_key=exact`);
      expect(history.body.metrics.map((m: PointJson) => m.value)).toEqual(values);
      const page = await get(`metrics/get-history?run_uuid=${run2}&metric_key=exact&max_results=5`);
      expect(page.body.metrics.map((m: PointJson) => m.value)).toEqual(values.slice(0, 5));
      const run = await get(`runs/get?run_id=${run2}`);
      const latest = run.body.run.data.metrics.find((m: PointJson) => m.key === 'exact');
      expect(latest.value).toBe(values[values.length - 1]);
    });

    it('answers the Python client form (max_results=25000) in one page', async () => {
      const res = await get(
        `metrics/get-history?run_uuid=${run1}&metric_key=acc&run_id=${run1}&max_results=25000`,
      );
      expect(res.body).toEqual({ metrics: RUN1_ACC });
    });

    it('pages with max_results and opaque page tokens until no token comes back', async () => {
      const values: number[] = [];
      const sizes: number[] = [];
      let token: string | undefined;
      do {
        const res = await get(
          `metrics/get-history?run_id=${run2}&metric_key=acc&max_results=2${
            token ? `&page_token=${encodeURIComponent(token)}` : ''
          }`,
        );
        expect(res.status).toBe(200);
        sizes.push(res.body.metrics.length);
        values.push(...res.body.metrics.map((m: PointJson) => m.value));
        token = res.body.next_page_token;
      } while (token);
      expect(sizes).toEqual([2, 2, 2, 2, 2]);
      expect(values).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]);
      const partial = await get(`metrics/get-history?run_id=${run2}&metric_key=acc&max_results=3`);
      const rest = await get(
        `metrics/get-history?run_id=${run2}&metric_key=acc&max_results=8&page_token=${encodeURIComponent(partial.body.next_page_token)}`,
      );
      expect(rest.body.metrics).toHaveLength(7);
      expect(rest.body.next_page_token).toBeUndefined();
      const restWhole = await get(
        `metrics/get-history?run_id=${run2}&metric_key=acc&page_token=${encodeURIComponent(partial.body.next_page_token)}`,
      );
      expect(restWhole.body.metrics.map((m: PointJson) => m.step)).toEqual([3, 4, 5, 6, 7, 8, 9]);
      expect(restWhole.body.next_page_token).toBeUndefined();
    });

    it('orders by (timestamp, step, value)', async () => {
      const exp = await createExperiment(t, 'metrics-order');
      const [run] = await createRuns(t, exp, [{ name: 'order' }]);
      await logBatch(run, 'tie', [
        { timestamp: 5, step: 1, value: 3 },
        { timestamp: 5, step: 1, value: 2 },
        { timestamp: 5, step: 0, value: 9 },
        { timestamp: 4, step: 7, value: 0 },
      ]);
      const res = await get(`metrics/get-history?run_id=${run}&metric_key=tie`);
      expect(res.body.metrics.map((m: PointJson) => [m.timestamp, m.step, m.value])).toEqual([
        [4, 7, 0],
        [5, 0, 9],
        [5, 1, 2],
        [5, 1, 3],
      ]);
    });

    it('writes NaN as "NaN" and infinities as ±1.7976931348623157e308', async () => {
      const res = await get(`metrics/get-history?run_uuid=${run1}&metric_key=special`);
      expect(res.body.metrics.map((m: PointJson) => m.value)).toEqual(['NaN', MAX, -MAX]);
    });

    it('answers {} for an unknown key or run', async () => {
      for (const query of [
        `run_id=${run1}&metric_key=never_logged`,
        'run_id=0123456789abcdef0123456789abcdef&metric_key=acc&max_results=25000',
      ]) {
        const res = await get(`metrics/get-history?${query}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({});
      }
    });

    it('rejects missing parameters, a bad max_results and a bad token', async () => {
      const cases: [string, string | RegExp][] = [
        [`run_id=${run1}`, `Missing value for required parameter 'metric_key'. ${HINT}`],
        ['metric_key=acc', `Missing value for required parameter 'run_id'. ${HINT}`],
        [
          `run_id=${run1}&metric_key=acc&max_results=-1`,
          /^Invalid value "-1" for parameter 'max_results'/,
        ],
        [
          `run_id=${run1}&metric_key=acc&page_token=not-a-token`,
          'Invalid page token, could not base64-decode',
        ],
      ];
      for (const [query, message] of cases) {
        const res = await get(`metrics/get-history?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
        if (typeof message === 'string') expect(res.body.message).toBe(message);
        else expect(res.body.message).toMatch(message);
      }
    });

    describe('keyset pages', () => {
      const big = 2 ** 60;
      // Ties on (timestamp, step), a NaN point beside a 0 (both stored as value 0), a group
      // longer than a page, and int64s beyond 2^53 (read back as strings by mysql2).
      const points: MetricPoint[] = [
        ...[3, 0, NaN, -1.5, 0.1 + 0.2].map((value) => ({ timestamp: 10, step: 1, value })),
        { timestamp: 10, step: 0, value: 7 },
        { timestamp: 10, step: 2, value: NaN },
        { timestamp: 9, step: 5, value: 1 / 3 },
        ...[2, 1].map((value) => ({ timestamp: 11, step: 1, value })),
        ...[NaN, 5, 0, 4].map((value) => ({ timestamp: big, step: big, value })),
        { timestamp: big, step: 0, value: 1 },
      ];
      const stored = (v: number) => (Number.isNaN(v) ? 0 : v);
      const expected = [...points]
        .sort(
          (a, b) =>
            a.timestamp - b.timestamp ||
            a.step - b.step ||
            stored(a.value) - stored(b.value) ||
            Number(Number.isNaN(a.value)) - Number(Number.isNaN(b.value)),
        )
        .map((p) => [p.timestamp, p.step, Number.isNaN(p.value) ? 'NaN' : p.value]);
      const token = (json: string) => encodeURIComponent(Buffer.from(json).toString('base64'));
      let run: string;
      let url: string;

      beforeAll(async () => {
        const exp = await createExperiment(t, 'metrics-keyset');
        [run] = await seedRuns(t, exp, [{ name: 'keyset' }]);
        await seedMetricPoints(t, run, 'tie', points);
        url = `metrics/get-history?run_id=${run}&metric_key=tie`;
      });

      /** Every page from `pageToken` on, `size` points at a time. */
      const readFrom = async (size: number, pageToken?: string) => {
        const got: unknown[][] = [];
        const sizes: number[] = [];
        let next = pageToken;
        do {
          const res = await get(`${url}&max_results=${size}${next ? `&page_token=${next}` : ''}`);
          expect(res.status).toBe(200);
          const metrics: PointJson[] = res.body.metrics ?? [];
          sizes.push(metrics.length);
          got.push(...metrics.map((m) => [m.timestamp, m.step, m.value]));
          next = res.body.next_page_token && encodeURIComponent(res.body.next_page_token);
        } while (next && sizes.length <= points.length);
        return { got, sizes };
      };

      it('loses and repeats no point at any page size', async () => {
        const whole = await get(url);
        expect(whole.body.metrics.map((m: PointJson) => [m.timestamp, m.step, m.value])).toEqual(
          expected,
        );
        for (let size = 1; size <= points.length + 1; size++) {
          const { got, sizes } = await readFrom(size);
          expect(got).toEqual(expected);
          expect(sizes).toHaveLength(Math.max(1, Math.ceil(points.length / size)));
        }
      });

      it("continues MLflow's offset tokens, also inside a group longer than the page", async () => {
        for (let offset = 0; offset <= points.length; offset++) {
          const { got } = await readFrom(2, token(`{"offset": ${offset}}`));
          expect(got).toEqual(expected.slice(offset));
        }
      });

      it('reads the rest whole from a keyset token without max_results', async () => {
        const first = await get(`${url}&max_results=3`);
        const rest = await get(
          `${url}&page_token=${encodeURIComponent(first.body.next_page_token)}`,
        );
        expect(rest.body.next_page_token).toBeUndefined();
        expect(rest.body.metrics.map((m: PointJson) => [m.timestamp, m.step, m.value])).toEqual(
          expected.slice(3),
        );
      });

      it('refuses malformed keyset tokens as bad page tokens', async () => {
        for (const json of [
          '{"timestamp": 10, "step": 1}',
          '{"timestamp": 10.5, "step": 1, "skip": 1}',
          '{"timestamp": "99999999999999999999", "step": 1, "skip": 1}',
          '{"timestamp": 10, "step": "1e3", "skip": 1}',
          '{"timestamp": 10, "step": 1, "skip": -1}',
          '{"timestamp": 10, "step": 1, "skip": 1, "x": 0}',
        ]) {
          const res = await get(`${url}&max_results=2&page_token=${token(json)}`);
          expect(res.status).toBe(400);
          expect(res.body).toEqual({
            error_code: 'INVALID_PARAMETER_VALUE',
            message: `Invalid page token, parsed value=${json}`,
          });
        }
      });
    });

    it('serves a 30,000-point history whole, or in 25,000-point pages', async () => {
      const exp = await createExperiment(t, 'metrics-long');
      // Written to the store directly: 30 log-batch calls would only slow the suite down.
      const [run] = await seedRuns(t, exp, [{ name: 'long' }]);
      await seedMetricPoints(
        t,
        run,
        'loss',
        Array.from({ length: 30000 }, (_, i) => ({
          step: i,
          timestamp: 1000 + i,
          value: 1 / (i + 1),
        })),
      );
      const whole = await get(`metrics/get-history?run_id=${run}&metric_key=loss`);
      expect(whole.body.metrics).toHaveLength(30000);
      expect(whole.body.next_page_token).toBeUndefined();
      expect(whole.body.metrics[29999]).toEqual({
        key: 'loss',
        value: 1 / 30000,
        timestamp: 30999,
        step: 29999,
      });
      const first = await get(
        `metrics/get-history?run_id=${run}&metric_key=loss&max_results=25000`,
      );
      expect(first.body.metrics).toHaveLength(25000);
      const second = await get(
        `metrics/get-history?run_id=${run}&metric_key=loss&max_results=25000&page_token=${encodeURIComponent(first.body.next_page_token)}`,
      );
      expect(second.body.metrics).toHaveLength(5000);
      expect(second.body.metrics[0].step).toBe(25000);
      expect(second.body.next_page_token).toBeUndefined();
    });
  });

  describe('get-history-bulk-interval', () => {
    const pairs = (body: { metrics?: PointJson[] }) =>
      (body.metrics ?? []).map((m) => `${m.run_id === run1 ? 1 : 2}@${m.step}:${m.value}`);

    it('returns every step when there are few, runs in request order', async () => {
      const res = await get(
        `metrics/get-history-bulk-interval?run_ids=${run1}&run_ids=${run2}&metric_key=acc`,
      );
      expect(res.status).toBe(200);
      expect(pairs(res.body)).toEqual([
        '1@0:0.1',
        '1@1:0.2',
        '1@2:0.3',
        '1@2:0.25',
        '1@3:0.4',
        '1@4:0.5',
        ...[0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5].map((v, i) => `2@${i}:${v}`),
      ]);
      expect(res.body.metrics[0]).toEqual({
        key: 'acc',
        value: 0.1,
        timestamp: 1732600010000,
        step: 0,
        run_id: run1,
      });
      expect(Object.keys(res.body.metrics[0])).toEqual([
        'key',
        'value',
        'timestamp',
        'step',
        'run_id',
      ]);
      const reversed = await get(
        `metrics/get-history-bulk-interval?run_ids=${run2}&run_ids=${run1}&metric_key=acc`,
      );
      expect(pairs(reversed.body)[0]).toBe('2@0:0.05');
    });

    it('samples as MLflow: the recorded max_results=3, step window and ajax cases', async () => {
      const three = await get(
        `metrics/get-history-bulk-interval?run_ids=${run1}&run_ids=${run2}&metric_key=acc&max_results=3`,
      );
      expect(pairs(three.body)).toEqual([
        '1@0:0.1',
        '1@3:0.4',
        '1@4:0.5',
        '2@0:0.05',
        '2@3:0.2',
        '2@4:0.25',
        '2@6:0.35',
        '2@9:0.5',
      ]);
      const window = await get(
        `metrics/get-history-bulk-interval?run_ids=${run1}&run_ids=${run2}&metric_key=acc&start_step=1&end_step=3`,
      );
      expect(pairs(window.body)).toEqual([
        '1@1:0.2',
        '1@2:0.3',
        '1@2:0.25',
        '1@3:0.4',
        '2@1:0.1',
        '2@2:0.15',
        '2@3:0.2',
      ]);
      const two = await ajax(
        `metrics/get-history-bulk-interval?run_ids=${run1}&metric_key=acc&max_results=2`,
      );
      expect(pairs(two.body)).toEqual(['1@0:0.1', '1@2:0.3', '1@2:0.25', '1@4:0.5']);
    });

    it("keeps each run's first and last step when sampling many steps", async () => {
      const exp = await createExperiment(t, 'metrics-sampling');
      // Written to the store directly (1,300 points); the history itself is what is under test.
      const [a, b, c] = await seedRuns(t, exp, [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
      const aSteps = Array.from({ length: 1000 }, (_, i) => i);
      const bSteps = Array.from({ length: 300 }, (_, i) => 137 + i * 3);
      const cSteps = [-5, 0, 7, 5000];
      for (const [run, runSteps] of [
        [a, aSteps],
        [b, bSteps],
        [c, cSteps],
      ] as const) {
        await seedMetricPoints(
          t,
          run,
          'm',
          runSteps.map((step) => ({ step, timestamp: 10 + step, value: step / 10 })),
        );
      }
      const cases: { max: number; range?: [number, number] }[] = [
        { max: 10 },
        { max: 7 },
        { max: 320 },
        { max: 2500 },
        { max: 10, range: [100, 600] },
        { max: 1, range: [-10, 10] },
      ];
      for (const { max, range } of cases) {
        const query =
          `metrics/get-history-bulk-interval?run_ids=${a}&run_ids=${b}&run_ids=${c}&metric_key=m&max_results=${max}` +
          (range ? `&start_step=${range[0]}&end_step=${range[1]}` : '');
        const res = await get(query);
        expect(res.status).toBe(200);
        const expected = mlflowSampledSteps([aSteps, bSteps, cSteps], max, range);
        for (const [run, runSteps] of [
          [a, aSteps],
          [b, bSteps],
          [c, cSteps],
        ] as const) {
          const got = (res.body.metrics as PointJson[])
            .filter((m) => m.run_id === run)
            .map((m) => m.step);
          expect(got).toEqual(expected.filter((s) => runSteps.includes(s)));
        }
        if (!range) {
          const got = (res.body.metrics as PointJson[])
            .filter((m) => m.run_id === b)
            .map((m) => m.step);
          expect(got[0]).toBe(137);
          expect(got[got.length - 1]).toBe(137 + 299 * 3);
        }
      }
    });

    it('ignores unknown runs and answers {} when nothing matches', async () => {
      const res = await get(
        `metrics/get-history-bulk-interval?run_ids=0123456789abcdef0123456789abcdef&run_ids=${run1}&metric_key=special`,
      );
      expect(res.body.metrics.map((m: PointJson) => m.value)).toEqual(['NaN', MAX, -MAX]);
      const none = await get(
        `metrics/get-history-bulk-interval?run_ids=0123456789abcdef0123456789abcdef&metric_key=acc`,
      );
      expect(none.status).toBe(200);
      expect(none.body).toEqual({});
    });

    it('rejects bad parameters with MLflow messages', async () => {
      const both = `run_ids=${run1}&run_ids=${run2}&metric_key=acc`;
      const cases: [string, string][] = [
        [
          `${both}&start_step=1`,
          'If either start step or end step are specified, both must be specified.',
        ],
        [
          `${both}&start_step=3&end_step=1`,
          'end_step must be greater than start_step. Found start_step=3 and end_step=1.',
        ],
        [`${both}&max_results=0`, `max_results must be between 1 and 2500. ${HINT}`],
        [`${both}&max_results=2501`, `max_results must be between 1 and 2500. ${HINT}`],
        ['metric_key=acc', `Missing value for required parameter 'run_ids'. ${HINT}`],
        [`run_ids=${run1}`, `Missing value for required parameter 'metric_key'. ${HINT}`],
        [
          `${Array.from({ length: 101 }, (_, i) => `run_ids=r${i}`).join('&')}&metric_key=acc`,
          `GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids. ${HINT}`,
        ],
      ];
      for (const [query, message] of cases) {
        const res = await get(`metrics/get-history-bulk-interval?${query}`);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
      }
    });
  });

  describe('ajax get-history-bulk', () => {
    it('sorts rows by run id, then (timestamp, step, value), keys as Flask writes them', async () => {
      const res = await ajax(
        `metrics/get-history-bulk?run_id=${run1}&run_id=0123456789abcdef0123456789abcdef&metric_key=acc`,
      );
      expect(res.status).toBe(200);
      expect(res.body.metrics[0]).toEqual({
        key: 'acc',
        run_id: run1,
        step: 0,
        timestamp: 1732600010000,
        value: 0.1,
      });
      expect(Object.keys(res.body.metrics[0])).toEqual([
        'key',
        'run_id',
        'step',
        'timestamp',
        'value',
      ]);
      expect(res.body.metrics.map((m: PointJson) => m.value)).toEqual([
        0.1, 0.2, 0.3, 0.4, 0.5, 0.25,
      ]);
      const both = await ajax(
        `metrics/get-history-bulk?run_id=${run2}&run_id=${run1}&metric_key=acc`,
      );
      const runOrder = both.body.metrics.map((m: PointJson) => m.run_id);
      const [firstId, secondId] = [run1, run2].sort();
      expect(runOrder).toEqual([
        ...Array<string>(firstId === run1 ? 6 : 10).fill(firstId),
        ...Array<string>(firstId === run1 ? 10 : 6).fill(secondId),
      ]);
    });

    it('caps the total with max_results and writes NaN as the string "NaN"', async () => {
      const capped = await ajax(
        `metrics/get-history-bulk?run_id=${run2}&metric_key=acc&max_results=3`,
      );
      expect(capped.body.metrics.map((m: PointJson) => m.value)).toEqual([0.05, 0.1, 0.15]);
      const special = await ajax(`metrics/get-history-bulk?run_id=${run1}&metric_key=special`);
      expect(special.text).toContain('"value":"NaN"');
      expect(special.body.metrics.map((m: PointJson) => m.value)).toEqual(['NaN', MAX, -MAX]);
      const none = await ajax(`metrics/get-history-bulk?run_id=${run1}&metric_key=nothing`);
      expect(none.body).toEqual({ metrics: [] });
    });

    it('rejects bad parameters and exists only under /ajax-api', async () => {
      const cases: [string, string][] = [
        ['metric_key=acc', 'GetMetricHistoryBulk request must specify at least one run_id.'],
        [`run_id=${run1}`, 'GetMetricHistoryBulk request must specify a metric_key.'],
        [
          `${Array.from({ length: 101 }, (_, i) => `run_id=r${i}`).join('&')}&metric_key=acc`,
          'GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 run_ids.',
        ],
        [
          `run_id=${run1}&metric_key=acc&max_results=25001`,
          "Invalid value 25001 for parameter 'max_results' supplied. It must be between 1 and 25000.",
        ],
      ];
      for (const [query, message] of cases) {
        const res = await ajax(`metrics/get-history-bulk?${query}`);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
      }
      const api = await get(`metrics/get-history-bulk?run_id=${run1}&metric_key=acc`);
      expect(api.status).toBe(404);
      expect(api.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    });
  });
});
