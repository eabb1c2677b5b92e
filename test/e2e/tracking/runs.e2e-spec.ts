import { SqlExecutor } from '@app/persistence';

import { Bindings, compareJson, GoldenExchange, loadGolden } from '../../golden/golden';
import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

/** errors.json exchanges about runs (plus the setup that creates their experiment). */
const RUN_ERROR_EXCHANGES = new Set([
  'missing-required-field',
  'missing-run-id',
  'unknown-fields-ignored',
  'experiment-id-as-number',
  'run-uuid-only',
  'int64-as-string',
  'run-id-with-bad-characters',
  'get-with-json-body',
]);

interface Point {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

describe.each(BACKENDS)('runs (FLOps training rounds) on %s', (backend) => {
  let t: TestApp;
  let sql: SqlExecutor;

  beforeAll(async () => {
    t = await createTestApp(backend);
    sql = t.app.get(SqlExecutor);
  });

  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: unknown) =>
    t.http
      .post(`/api/2.0/mlflow/${path}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  const getRun = async (runId: string) => {
    const res = await t.http.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`);
    expect(res.status).toBe(200);
    return res.body.run as {
      info: Record<string, unknown>;
      data: { metrics?: Point[]; params?: unknown[]; tags?: { key: string; value: string }[] };
      inputs: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    };
  };

  let experiments = 0;
  const newExperiment = async (): Promise<string> => {
    const res = await post('experiments/create', { name: `runs-e2e-${++experiments}` });
    expect(res.status).toBe(200);
    return res.body.experiment_id as string;
  };

  const newRun = async (experimentId?: string, body: Record<string, unknown> = {}) => {
    const res = await post('runs/create', {
      experiment_id: experimentId ?? (await newExperiment()),
      user_id: 'aggregator',
      start_time: 1732600000000,
      ...body,
    });
    expect(res.status).toBe(200);
    return res.body.run.info.run_id as string;
  };

  const count = async (table: string, runId: string, where = '1 = 1') => {
    const rows = await sql.select(
      `SELECT COUNT(*) AS n FROM ${table} WHERE run_id = (SELECT id FROM runs WHERE run_uuid = ?) AND ${where}`,
      [runId],
    );
    return Number(rows[0].n);
  };

  const replay = async (file: string, include: (e: GoldenExchange) => boolean) => {
    const bindings = new Bindings();
    const failures: string[] = [];
    for (const exchange of loadGolden(file).filter(include)) {
      const { request, response } = exchange;
      const answer = await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: request.method as 'GET' | 'POST',
          url: bindings.path(request.path),
          headers: request.headers,
          ...(request.body !== null
            ? { payload: JSON.stringify(bindings.body(request.body)) }
            : {}),
        });
      if (answer.statusCode !== response.status) {
        failures.push(
          `${exchange.name}: status ${answer.statusCode}: ${answer.body.slice(0, 300)}`,
        );
        continue;
      }
      const body: unknown = JSON.parse(answer.body);
      for (const p of compareJson(response.body, body, bindings)) {
        failures.push(`${exchange.name}: ${p.path}: ${p.problem}`);
      }
    }
    return failures;
  };

  it('answers every runs.json exchange with MLflow 2.17.2 statuses, shapes, key order and messages', async () => {
    expect(await replay('runs.json', () => true)).toEqual([]);
  });

  it('answers the run exchanges of errors.json as recorded', async () => {
    expect(await replay('errors.json', (e) => RUN_ERROR_EXCHANGES.has(e.name))).toEqual([]);
  });

  it('creates 32-hex run ids under the experiment artifact location, on both prefixes', async () => {
    const experimentId = await newExperiment();
    const res = await t.http
      .post('/ajax-api/2.0/mlflow/runs/create')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ experiment_id: experimentId, tags: [{ key: 'site', value: 'a' }] }));
    expect(res.status).toBe(200);
    const { info, data } = res.body.run;
    expect(info.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${info.run_id}/artifacts`);
    expect(info.run_name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(info.user_id).toBe('');
    expect(typeof info.start_time).toBe('number');
    expect(data.tags).toEqual([
      { key: 'site', value: 'a' },
      { key: 'mlflow.runName', value: info.run_name },
    ]);
    const ajax = await t.http.get(`/ajax-api/2.0/mlflow/runs/get?run_uuid=${info.run_id}`);
    expect(ajax.body.run.info.run_name).toBe(info.run_name);
  });

  it('validates run ids, keys, values and timestamps before writing anything', async () => {
    const runId = await newRun();
    const cases: [string, unknown, string][] = [
      [
        'runs/log-batch',
        {
          run_id: runId,
          metrics: [
            { key: 'ok', value: 1, timestamp: 1 },
            { key: 'a/../b', value: 1, timestamp: 1 },
          ],
        },
        `Invalid value "a/../b" for parameter 'metrics[1].name' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to 'b'`,
      ],
      [
        'runs/log-batch',
        { run_id: runId, params: [{ key: 'p', value: '1' }], tags: [{ key: 'bad#', value: 'x' }] },
        `Invalid value "bad#" for parameter 'tags[0].key' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
      ],
      [
        'runs/log-metric',
        { run_id: runId, key: 'k', value: 1, timestamp: -1 },
        "Invalid value -1 for parameter 'timestamp' supplied: metric 'k' (value=1.0). Timestamp must be a nonnegative long (64-bit integer) ",
      ],
      [
        'runs/log-batch',
        {
          run_id: runId,
          metrics: [
            { key: 'ok', value: '0.5', timestamp: '1', step: '2' },
            { key: 'k', value: 'abc', timestamp: 1 },
          ],
        },
        "Invalid value \"abc\" for parameter 'metrics[1].value' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.",
      ],
      [
        'runs/log-batch',
        { run_id: runId, metrics: [{ value: 1, timestamp: 1 }] },
        "Missing value for required parameter 'metrics[0].key'. See the API docs for more information about request parameters.",
      ],
      [
        'runs/log-metric',
        { run_id: runId, key: 'k', value: true, timestamp: 1 },
        "Invalid value true for parameter 'value' supplied:  Hint: Value was of type 'bool'. See the API docs for more information about request parameters.",
      ],
      [
        'runs/log-batch',
        {
          run_id: runId,
          metrics: Array.from({ length: 950 }, (_, i) => ({ key: 'm', value: i, timestamp: i })),
          params: Array.from({ length: 51 }, (_, i) => ({ key: `p${i}`, value: '1' })),
        },
        'A batch logging request can contain at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags. Please split up metrics, params, and tags across multiple requests and try again.',
      ],
      [
        'runs/log-batch',
        {
          run_id: runId,
          params: [
            { key: 'same', value: '1' },
            { key: 'same', value: '1' },
          ],
        },
        "Duplicate parameter keys have been submitted: ['same']. Please ensure the request contains only one param value per param key.",
      ],
      [
        'runs/set-tag',
        { run_id: runId, key: 'mlflow.runName', value: 'n'.repeat(251) },
        "'run_name' exceeds the maximum length of 250 characters (got 251).",
      ],
    ];
    for (const [path, body, message] of cases) {
      const res = await post(path, body);
      expect({ path, status: res.status, body: res.body }).toEqual({
        path,
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message },
      });
    }
    expect(await count('metrics', runId)).toBe(0);
    expect(await count('params', runId)).toBe(0);
    const badId = await t.http.get('/api/2.0/mlflow/runs/get?run_id=..%2Fetc');
    expect(badId.status).toBe(400);
    expect(badId.body.message).toBe(`Invalid value "../etc" for parameter 'run_id' supplied.`);
    const wellFormed = await post('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'système/gpu:0 util', value: 1, timestamp: 1 }],
    });
    expect(wellFormed.status).toBe(200);
  });

  it('treats replayed log-batch, log-metric, log-parameter and set-tag calls as no-ops', async () => {
    const runId = await newRun();
    const batch = {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 10, step: 1 },
        { key: 'loss', value: 'NaN', timestamp: 11, step: 2 },
        { key: 'acc', value: 0.7, timestamp: 10, step: 1 },
      ],
      params: [{ key: 'lr', value: '0.01' }],
      tags: [{ key: 'site', value: 'a' }],
    };
    const calls: [string, unknown][] = [
      ['runs/log-batch', batch],
      ['runs/log-metric', { run_id: runId, key: 'loss', value: 0.25, timestamp: 12, step: 3 }],
      ['runs/log-parameter', { run_id: runId, key: 'batch', value: '32' }],
      ['runs/set-tag', { run_id: runId, key: 'round', value: '1' }],
    ];
    for (const [path, body] of calls) expect((await post(path, body)).status).toBe(200);
    const before = await getRun(runId);
    const counts = [
      await count('metrics', runId),
      await count('params', runId),
      await count('run_tags', runId),
    ];
    expect(counts).toEqual([4, 2, 3]);
    for (const [path, body] of calls) {
      const again = await post(path, body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({});
    }
    expect(await getRun(runId)).toEqual(before);
    expect([
      await count('metrics', runId),
      await count('params', runId),
      await count('run_tags', runId),
    ]).toEqual(counts);
    expect(await count('metrics', runId, 'is_nan = 1')).toBe(1);
  });

  it('keeps the latest metric by (step, timestamp, value), whatever the arrival order', async () => {
    const runId = await newRun();
    const log = (key: string, value: number | string, timestamp: number, step: number) =>
      post('runs/log-metric', { run_id: runId, key, value, timestamp, step });
    await log('loss', 0.3, 100, 5);
    await log('loss', 0.9, 999, 4); // lower step, later timestamp: not the latest
    await log('loss', 0.2, 200, 5); // same step, later timestamp: the latest
    await log('loss', 0.1, 150, 5); // same step, earlier timestamp
    await log('acc', 'NaN', 100, 1);
    await log('acc', -5, 100, 1); // a number beats NaN at the same (step, timestamp)
    await log('acc', -7, 100, 1);
    await log('f1', 0.4, 100, 1);
    await post('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'f1', value: 0.8, timestamp: 100, step: 1 }, // same step and time, greater value
        { key: 'f1', value: 0.6, timestamp: 100, step: 1 },
        { key: 'inf', value: 'Infinity', timestamp: 1, step: 0 },
        { key: 'inf', value: 5, timestamp: 1, step: 0 },
        { key: 'ninf', value: '-Infinity', timestamp: 1, step: 0 },
        { key: 'nan', value: 'NaN', timestamp: 1 },
      ],
    });
    const { metrics } = (await getRun(runId)).data;
    expect(metrics).toEqual([
      { key: 'acc', value: -5, timestamp: 100, step: 1 },
      { key: 'f1', value: 0.8, timestamp: 100, step: 1 },
      { key: 'inf', value: 1.7976931348623157e308, timestamp: 1, step: 0 },
      { key: 'loss', value: 0.2, timestamp: 200, step: 5 },
      { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
      { key: 'ninf', value: -1.7976931348623157e308, timestamp: 1, step: 0 },
    ]);
    const stored = await sql.select(
      `SELECT ${'`value`'} AS v, is_nan FROM metrics WHERE run_id = (SELECT id FROM runs WHERE run_uuid = ?) AND ${'`key`'} = ?`,
      [runId, 'nan'],
    );
    expect(stored.map((r) => [Number(r.v), Number(r.is_nan)])).toEqual([[0, 1]]);
    expect(await count('metrics', runId)).toBe(14);
  });

  it('writes nothing of a log-batch whose param value changed', async () => {
    const runId = await newRun();
    expect(
      (await post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status,
    ).toBe(200);
    const res = await post('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }],
      params: [
        { key: 'new', value: 'x' },
        { key: 'lr', value: '0.2' },
      ],
      tags: [
        { key: 'mlflow.runName', value: 'renamed' },
        { key: 'site', value: 'b' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      `Changing param values is not allowed. Params were already logged='[{'key': 'lr', 'old_value': '0.1', 'new_value': '0.2'}]' for run ID='${runId}'.`,
    );
    const run = await getRun(runId);
    expect(run.data.metrics).toBeUndefined();
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.data.tags?.map((tg) => tg.key)).toEqual(['mlflow.runName']);
    expect(run.info.run_name).not.toBe('renamed');
    expect(await count('metrics', runId)).toBe(0);
  });

  it('truncates long param and tag values by default and renames runs through mlflow.runName', async () => {
    const runId = await newRun();
    const res = await post('runs/log-batch', {
      run_id: runId,
      params: [{ key: 'long', value: 'p'.repeat(7000) }],
      tags: [
        { key: 'long', value: 't'.repeat(9000) },
        { key: 'mlflow.runName', value: 'first' },
        { key: 'mlflow.runName', value: 'second' },
      ],
    });
    expect(res.status).toBe(200);
    let run = await getRun(runId);
    expect((run.data.params as { value: string }[])[0].value).toBe('p'.repeat(6000));
    expect(run.data.tags?.find((tg) => tg.key === 'long')?.value).toBe('t'.repeat(8000));
    expect(run.info.run_name).toBe('second');
    expect(
      (await post('runs/log-parameter', { run_id: runId, key: 'long', value: 'p'.repeat(6500) }))
        .status,
    ).toBe(200);
    await post('runs/set-tag', { run_id: runId, key: 'mlflow.runName', value: 'third' });
    run = await getRun(runId);
    expect(run.info.run_name).toBe('third');
    expect(run.data.tags?.find((tg) => tg.key === 'mlflow.runName')?.value).toBe('third');
  });

  it('updates only the fields given and refuses writes to deleted runs', async () => {
    const runId = await newRun(undefined, { run_name: 'round-1' });
    let res = await post('runs/update', { run_id: runId, end_time: 1732600009000 });
    expect(res.body.run_info).toMatchObject({
      status: 'RUNNING',
      end_time: 1732600009000,
      run_name: 'round-1',
    });
    res = await post('runs/update', { run_uuid: runId, status: 3, run_name: '' });
    expect(Object.keys(res.body.run_info)).toEqual([
      'run_uuid',
      'experiment_id',
      'run_name',
      'user_id',
      'status',
      'start_time',
      'end_time',
      'artifact_uri',
      'lifecycle_stage',
      'run_id',
    ]);
    expect(res.body.run_info).toMatchObject({ status: 'FINISHED', run_name: 'round-1' });
    await post('runs/set-tag', { run_id: runId, key: 'k', value: 'v' });
    expect((await post('runs/delete', { run_id: runId })).status).toBe(200);
    const deletedAt = await sql.select('SELECT deleted_time FROM runs WHERE run_uuid = ?', [runId]);
    expect(deletedAt[0].deleted_time).not.toBeNull();
    expect((await post('runs/delete', { run_id: runId })).status).toBe(200);
    expect(await sql.select('SELECT deleted_time FROM runs WHERE run_uuid = ?', [runId])).toEqual(
      deletedAt,
    );
    const refused: [string, unknown][] = [
      ['runs/delete-tag', { run_id: runId, key: 'k' }],
      ['runs/log-inputs', { run_id: runId, datasets: [] }],
      ['runs/outputs', { run_id: runId, models: [{ model_id: 'm-1', step: 0 }] }],
      [
        'runs/log-model',
        {
          run_id: runId,
          model_json: JSON.stringify({
            run_id: runId,
            artifact_path: 'm',
            utc_time_created: 'x',
            flavors: {},
          }),
        },
      ],
    ];
    for (const [path, body] of refused) {
      const write = await post(path, body);
      expect({ path, status: write.status, message: write.body.message }).toEqual({
        path,
        status: 400,
        message: `The run ${runId} must be in the 'active' state. Current state is deleted.`,
      });
    }
    expect((await post('runs/restore', { run_id: runId })).status).toBe(200);
    expect((await post('runs/restore', { run_id: runId })).status).toBe(200);
    expect((await getRun(runId)).info.lifecycle_stage).toBe('active');
    expect(
      (await sql.select('SELECT deleted_time FROM runs WHERE run_uuid = ?', [runId]))[0]
        .deleted_time,
    ).toBeNull();
    expect((await post('runs/delete-tag', { run_id: runId, key: 'k' })).status).toBe(200);
    expect(
      (await post('runs/restore', { run_id: '0123456789abcdef0123456789abcdef' })).status,
    ).toBe(404);
  });

  it('follows experiment delete and restore: runs are deleted and restored with their experiment', async () => {
    const experimentId = await newExperiment();
    const kept = await newRun(experimentId);
    const deletedAlone = await newRun(experimentId);
    await post('runs/delete', { run_id: deletedAlone });
    expect((await post('experiments/delete', { experiment_id: experimentId })).status).toBe(200);
    expect((await getRun(kept)).info.lifecycle_stage).toBe('deleted');
    const write = await post('runs/log-metric', { run_id: kept, key: 'k', value: 1, timestamp: 1 });
    expect(write.status).toBe(400);
    const create = await post('runs/create', { experiment_id: experimentId });
    expect(create.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`,
    });
    expect((await post('experiments/restore', { experiment_id: experimentId })).status).toBe(200);
    expect((await getRun(kept)).info.lifecycle_stage).toBe('active');
    expect((await getRun(deletedAlone)).info.lifecycle_stage).toBe('active');
    expect(
      (await post('runs/log-metric', { run_id: kept, key: 'k', value: 1, timestamp: 1 })).status,
    ).toBe(200);
  });

  it('logs dataset inputs once per (name, digest) per experiment, idempotently', async () => {
    const experimentId = await newExperiment();
    const [a, b] = [await newRun(experimentId), await newRun(experimentId)];
    const input = (tagValue: string, profile: string) => ({
      tags: [
        { key: 'mlflow.data.context', value: tagValue },
        { key: 'split', value: 'train' },
      ],
      dataset: {
        name: 'mnist',
        digest: 'abc123',
        source_type: 'http',
        source: '{"url": "x"}',
        profile,
      },
    });
    const first = await post('runs/log-inputs', {
      run_id: a,
      datasets: [input('training', '{"rows": 1}'), input('ignored-duplicate', '{"rows": 9}')],
      models: [{ model_id: 'm-in' }],
    });
    expect(first.status).toBe(200);
    expect(
      (await post('runs/log-inputs', { run_id: a, datasets: [input('changed', '{"rows": 2}')] }))
        .status,
    ).toBe(200);
    expect(
      (await post('runs/log-inputs', { run_id: b, datasets: [input('eval', '{"rows": 3}')] }))
        .status,
    ).toBe(200);
    const runA = await getRun(a);
    expect(runA.inputs).toEqual({
      dataset_inputs: [
        {
          tags: [
            { key: 'mlflow.data.context', value: 'training' },
            { key: 'split', value: 'train' },
          ],
          dataset: {
            name: 'mnist',
            digest: 'abc123',
            source_type: 'http',
            source: '{"url": "x"}',
            profile: '{"rows": 1}',
          },
        },
      ],
      model_inputs: [{ model_id: 'm-in' }],
    });
    const runB = await getRun(b);
    expect((runB.inputs.dataset_inputs as { tags: unknown[] }[])[0].tags).toEqual([
      { key: 'mlflow.data.context', value: 'eval' },
      { key: 'split', value: 'train' },
    ]);
    const datasets = await sql.select(
      'SELECT COUNT(*) AS n FROM datasets WHERE experiment_id = ?',
      [Number(experimentId)],
    );
    expect(Number(datasets[0].n)).toBe(1);
    expect(await count('run_dataset_inputs', a)).toBe(1);
    expect(await count('run_model_inputs', a)).toBe(1);
  });

  it('refuses a dataset schema its MySQL TEXT column cannot hold instead of truncating it', async () => {
    const runId = await newRun();
    const schema = 'é'.repeat(40000); // 80,000 UTF-8 bytes, within MLflow's 1 MB character limit
    const res = await post('runs/log-inputs', {
      run_id: runId,
      datasets: [
        { dataset: { name: 'big', digest: 'd', source_type: 'http', source: '{}', schema } },
      ],
    });
    if (backend === 'mysql') {
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(
        "The dataset's schema takes 80000 bytes; this backend store holds at most 65535.",
      );
      expect(await count('run_dataset_inputs', runId)).toBe(0);
    } else {
      expect(res.status).toBe(200);
      const inputs = (await getRun(runId)).inputs.dataset_inputs as {
        dataset: { schema: string };
      }[];
      expect(inputs[0].dataset.schema).toBe(schema);
    }
  });

  it('links model outputs, records model metrics and appends to the log-model history', async () => {
    const runId = await newRun();
    const outputs = { run_id: runId, models: [{ model_id: 'm-out', step: 3 }] };
    expect((await post('runs/outputs', outputs)).status).toBe(200);
    expect((await post('runs/outputs', outputs)).status).toBe(200);
    const metric = {
      run_id: runId,
      key: 'acc',
      value: 0.9,
      timestamp: 5,
      step: 3,
      model_id: 'm-out',
    };
    expect((await post('runs/log-metric', metric)).status).toBe(200);
    expect((await post('runs/log-metric', metric)).status).toBe(200);
    const modelMetrics = await sql.select(
      'SELECT run_id, step FROM logged_model_metrics WHERE model_id = ?',
      ['m-out'],
    );
    expect(modelMetrics.map((r) => [r.run_id, Number(r.step)])).toEqual([[runId, 3]]);
    const model = (path: string) =>
      JSON.stringify({
        run_id: runId,
        artifact_path: path,
        utc_time_created: '2024-11-26 05:46:40.000000',
        flavors: { python_function: { env: { conda: 'conda.yaml' } } },
        signature: { inputs: '[]' },
        note: 'é',
      });
    expect((await post('runs/log-model', { run_id: runId, model_json: model('a') })).status).toBe(
      200,
    );
    expect((await post('runs/log-model', { run_id: runId, model_json: model('b') })).status).toBe(
      200,
    );
    const run = await getRun(runId);
    expect(run.outputs).toEqual({ model_outputs: [{ model_id: 'm-out', step: 3 }] });
    const history = run.data.tags?.find((tg) => tg.key === 'mlflow.log-model.history')?.value;
    const entry = (path: string) =>
      `{"run_id": "${runId}", "artifact_path": "${path}", "utc_time_created": "2024-11-26 05:46:40.000000", "flavors": {"python_function": {"env": {"conda": "conda.yaml"}}}, "note": "\\u00e9"}`;
    expect(history).toBe(`[${entry('a')}, ${entry('b')}]`);
    const notObject = await post('runs/log-model', { run_id: runId, model_json: '[1]' });
    expect(notObject.body.message).toBe(
      "Model json is missing mandatory fields: {'artifact_path', 'flavors', 'run_id', 'utc_time_created'}",
    );
  });

  it('accepts 8 parallel log-batch calls with overlapping keys on a new run', async () => {
    const runId = await newRun();
    const batches = Array.from({ length: 8 }, (_, i) => ({
      run_id: runId,
      metrics: ['loss', 'acc', 'f1', `own-${i}`].flatMap((key) =>
        Array.from({ length: 50 }, (__, step) => ({
          key,
          value: i * 1000 + step,
          timestamp: 1732600000000 + step,
          step: step + i,
        })),
      ),
      params: [
        { key: 'shared', value: 'same' },
        { key: `p${i}`, value: String(i) },
      ],
      tags: [
        { key: 'writer', value: String(i) },
        { key: `t${i}`, value: 'x' },
      ],
    }));
    const responses = await Promise.all(batches.map((b) => post('runs/log-batch', b)));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const run = await getRun(runId);
    const latest = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m]));
    for (const key of ['loss', 'acc', 'f1']) {
      expect(latest[key]).toEqual({ key, value: 7049, timestamp: 1732600000049, step: 56 });
    }
    expect(latest['own-3']).toEqual({
      key: 'own-3',
      value: 3049,
      timestamp: 1732600000049,
      step: 52,
    });
    expect(await count('metrics', runId)).toBe(8 * 200);
    expect(await count('params', runId)).toBe(9);
    expect(run.data.tags?.filter((tg) => /^t\d$/.test(tg.key))).toHaveLength(8);
  });
});
