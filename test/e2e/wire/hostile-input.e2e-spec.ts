import { BACKENDS } from '../../support/backends';
import { createTestApp, rawRequest, TestApp } from '../../support/test-app';

const JSON_HEADERS = { 'content-type': 'application/json' };
/** Beyond int64 in both signs, as numbers and as strings. */
const OUT_OF_INT64 = [
  '99999999999999999999',
  '9223372036854775808',
  '-9223372036854775809',
  1e20,
  1e300,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read loosely
type Reply = { status: number; body: any };

/** A JSON object body with `count` keys `k0`…, as text (a parsed object would be re-encoded). */
function manyKeys(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`"k${i}":${i}`);
  return `{${parts.join(',')}}`;
}

/**
 * Input found by fuzzing every operation of /docs-json: each is a deterministic client error, so
 * it is answered 4xx in MLflow's shape on both backends, and none of it holds up other requests.
 */
describe.each(BACKENDS)('hostile input on %s', (backend) => {
  let t: TestApp;
  let experimentId: string;
  let runId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    experimentId = (await post('experiments/create', { name: 'hostile' })).body.experiment_id;
    runId = (await post('runs/create', { experiment_id: experimentId })).body.run.info.run_id;
  });

  afterAll(async () => {
    await t.close();
  });

  async function post(path: string, body: unknown) {
    const res = await rawRequest(
      t,
      'POST',
      `/api/2.0/mlflow/${path}`,
      JSON_HEADERS,
      typeof body === 'string' ? body : JSON.stringify(body),
    );
    return res as Reply;
  }

  function expectClientError(res: Reply, code = 'INVALID_PARAMETER_VALUE') {
    expect({ status: res.status, error_code: res.body?.error_code }).toEqual({
      status: 400,
      error_code: code,
    });
    expect(typeof res.body.message).toBe('string');
  }

  it('refuses an object with too many keys at once, while /health keeps answering', async () => {
    const body = manyKeys(150_000);
    const big = rawRequest(t, 'GET', '/api/2.0/mlflow/experiments/get', JSON_HEADERS, body);
    const health = await Promise.all(
      Array.from({ length: 5 }, () => rawRequest(t, 'GET', '/health', {})),
    );
    expect(health.map((h) => h.status)).toEqual([200, 200, 200, 200, 200]);
    const res = await big;
    expectClientError(res);
    expect((res.body as { message: string }).message).toContain('more than 1000');
  });

  it('refuses a body with more keys in all than a request can have', async () => {
    const objects = Array.from({ length: 200 }, () => manyKeys(600)).join(',');
    const res = await post('runs/log-batch', `{"run_id":"${runId}","metrics":[${objects}]}`);
    expectClientError(res);
    expect(res.body.message).toContain('more than 100000 keys and list items');
    const longList = `{"experiment_ids":["${experimentId}"],"junk":[${'1,'.repeat(200_000)}1]}`;
    expectClientError(await post('runs/search', longList));
  });

  it('serves the largest admitted body, and /health meanwhile', async () => {
    const objects = Array.from({ length: 99 }, () => manyKeys(1000)).join(',');
    const body = `{"experiment_ids":["${experimentId}"],"junk":[${objects}]}`;
    const search = rawRequest(t, 'POST', '/api/2.0/mlflow/runs/search', JSON_HEADERS, body);
    const health = await Promise.all(
      Array.from({ length: 5 }, () => rawRequest(t, 'GET', '/health', {})),
    );
    expect(health.map((h) => h.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await search).status).toBe(200);
  });

  it('accepts the widest real request: log-batch at its total limit of 1000 entities', async () => {
    const metrics = Array.from({ length: 800 }, (_, i) => ({
      key: `m${i % 10}`,
      value: i,
      timestamp: 1,
      step: i,
    }));
    const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: 'v' }));
    const res = await post('runs/log-batch', { run_id: runId, metrics, params, tags });
    expect(res.status).toBe(200);
  });

  it.each(['99999999999999999999', '9223372036854775807', '1e300'])(
    'refuses get-history max_results=%s in the query and the body',
    async (maxResults) => {
      const query = await rawRequest(
        t,
        'GET',
        `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=m&max_results=${maxResults}`,
        {},
      );
      expectClientError(query);
      const body = await rawRequest(
        t,
        'GET',
        '/api/2.0/mlflow/metrics/get-history',
        JSON_HEADERS,
        `{"run_id":"${runId}","metric_key":"m","max_results":${maxResults}}`,
      );
      expectClientError(body);
    },
  );

  it.each(OUT_OF_INT64)(
    'refuses the int64 value %p in every int64 field of the tracking writes',
    async (value) => {
      expectClientError(
        await post('runs/create', { experiment_id: experimentId, start_time: value }),
      );
      expectClientError(await post('runs/update', { run_id: runId, end_time: value }));
      expectClientError(
        await post('runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: value }),
      );
      expectClientError(
        await post('runs/log-metric', {
          run_id: runId,
          key: 'm',
          value: 1,
          timestamp: 1,
          step: value,
        }),
      );
      expectClientError(
        await post('runs/log-batch', {
          run_id: runId,
          metrics: [{ key: 'm', value: 1, timestamp: 1, step: value }],
        }),
      );
    },
  );

  it.each(['9223372036854775807', '-9223372036854775808', '9007199254740993'])(
    'never answers the in-range int64 %p with a 5xx',
    async (value) => {
      const res = await post('runs/log-metric', {
        run_id: runId,
        key: 'extreme',
        value: 1,
        timestamp: 1,
        step: value,
      });
      expect(res.status).toBeLessThan(500);
    },
  );

  it('refuses a logged model whose model_type does not fit its column', async () => {
    const res = await post('logged-models', {
      experiment_id: experimentId,
      name: 'too-wide',
      model_type: 'x'.repeat(1024 * 1024),
    });
    expectClientError(res);
    const search = await post('logged-models/search', { experiment_ids: [experimentId] });
    expect(search.status).toBe(200);
    expect(search.body.models ?? []).toEqual([]);
  });

  it('answers a rename of a deleted experiment 400 INVALID_STATE, not 500', async () => {
    const id = (await post('experiments/create', { name: 'hostile-deleted' })).body.experiment_id;
    expect((await post('experiments/delete', { experiment_id: id })).status).toBe(200);
    expectClientError(
      await post('experiments/update', { experiment_id: id, new_name: 'n' }),
      'INVALID_STATE',
    );
  });
});
