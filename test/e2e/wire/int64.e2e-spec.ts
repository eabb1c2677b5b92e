import { BACKENDS } from '../../support/backends';
import { createTestApp, rawRequest, TestApp } from '../../support/test-app';

const JSON_HEADERS = { 'content-type': 'application/json' };
/** 2^53 + 1 and int64's bounds: what a double cannot hold, written as JSON text. */
const EXTREMES = ['9007199254740993', '-9223372036854775808', '9223372036854775807'];

/** MLflow refuses a negative metric timestamp; steps and run times may be negative. */
function timestampFor(n: string): string {
  return n.startsWith('-') ? '1' : n;
}

/**
 * int64 fields keep every digit end to end, as MLflow does: parsed from the request text without
 * a double, stored in BIGINT / INTEGER columns, written back as exact JSON numbers.
 */
describe.each(BACKENDS)('exact int64 on %s', (backend) => {
  let t: TestApp;
  let experimentId: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    experimentId = JSON.parse((await post('experiments/create', '{"name":"int64"}')).text)
      .experiment_id as string;
  });

  afterAll(async () => {
    await t.close();
  });

  function post(path: string, body: string) {
    return rawRequest(t, 'POST', `/api/2.0/mlflow/${path}`, JSON_HEADERS, body);
  }

  function get(path: string) {
    return rawRequest(t, 'GET', `/api/2.0/mlflow/${path}`, {});
  }

  async function createRun(startTime: string): Promise<string> {
    const res = await post(
      'runs/create',
      `{"experiment_id":"${experimentId}","start_time":${startTime}}`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(`"start_time":${startTime}`);
    return (JSON.parse(res.text) as { run: { info: { run_id: string } } }).run.info.run_id;
  }

  it.each(EXTREMES)('round-trips %s as a number through every int64 field of a run', async (n) => {
    const ts = timestampFor(n);
    const runId = await createRun(n);
    const update = await post('runs/update', `{"run_id":"${runId}","end_time":${n}}`);
    expect(update.status).toBe(200);
    expect(update.text).toContain(`"end_time":${n}`);
    const batch = await post(
      'runs/log-batch',
      `{"run_id":"${runId}","metrics":[{"key":"b","value":1,"timestamp":${ts},"step":${n}}]}`,
    );
    expect(batch.status).toBe(200);
    const single = await post(
      'runs/log-metric',
      `{"run_id":"${runId}","key":"m","value":2,"timestamp":${ts},"step":${n}}`,
    );
    expect(single.status).toBe(200);

    const run = await get(`runs/get?run_id=${runId}`);
    expect(run.status).toBe(200);
    for (const field of ['start_time', 'end_time', 'step']) {
      expect(run.text).toContain(`"${field}":${n}`);
    }
    expect(run.text).toContain(`"timestamp":${ts}`);
    for (const key of ['b', 'm']) {
      const history = await get(`metrics/get-history?run_id=${runId}&metric_key=${key}`);
      expect(history.status).toBe(200);
      expect(history.text).toContain(`"timestamp":${ts},"step":${n}`);
    }
    const search = await post(
      'runs/search',
      `{"experiment_ids":["${experimentId}"],"filter":"attributes.run_id = '${runId}'"}`,
    );
    expect(search.text).toContain(`"start_time":${n}`);
    expect(search.text).toContain(`"step":${n}`);
  });

  it('takes the same values as decimal strings', async () => {
    const runId = await createRun('1');
    const metrics = EXTREMES.map(
      (n, i) => `{"key":"s","value":${i},"timestamp":"${timestampFor(n)}","step":"${n}"}`,
    ).join(',');
    expect(
      (await post('runs/log-batch', `{"run_id":"${runId}","metrics":[${metrics}]}`)).status,
    ).toBe(200);
    const history = await get(`metrics/get-history?run_id=${runId}&metric_key=s`);
    for (const n of EXTREMES) {
      expect(history.text).toContain(`"timestamp":${timestampFor(n)},"step":${n}`);
    }
  });

  it('pages a history of such points exactly, in step order within one timestamp', async () => {
    const runId = await createRun('1');
    const ordered = [
      '-9223372036854775808',
      '9007199254740992',
      '9007199254740993',
      '9223372036854775807',
    ];
    const metrics = [...ordered]
      .reverse()
      .map((n) => `{"key":"p","value":0,"timestamp":1,"step":${n}}`)
      .join(',');
    await post('runs/log-batch', `{"run_id":"${runId}","metrics":[${metrics}]}`);
    const seen: string[] = [];
    let token = '';
    for (let page = 0; page < 10; page++) {
      const res = await get(
        `metrics/get-history?run_id=${runId}&metric_key=p&max_results=1${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...[...res.text.matchAll(/"step":(-?\d+)/g)].map((m) => m[1]));
      token = (JSON.parse(res.text) as { next_page_token?: string }).next_page_token ?? '';
      if (!token) break;
    }
    expect(seen).toEqual(ordered);
  });
});
