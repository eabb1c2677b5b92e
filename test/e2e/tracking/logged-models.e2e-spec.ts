import { SqlExecutor } from '@app/persistence';

import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

interface ModelJson {
  info: Record<string, unknown> & { model_id: string; name: string };
  data: { params?: { key: string; value: string }[]; metrics?: Record<string, unknown>[] };
}

interface MetricRow {
  key: string;
  value: number;
  timestamp: number;
  step: number;
  runId: string;
  dataset?: [string, string];
}

const MODEL_ID = /^m-[0-9a-f]{32}$/;

describe.each(BACKENDS)('logged models (MLflow 3.x) on %s', (backend) => {
  let t: TestApp;
  let sql: SqlExecutor;

  beforeAll(async () => {
    t = await createTestApp(backend);
    sql = t.app.get(SqlExecutor);
  });

  afterAll(async () => {
    await t.close();
  });

  const api = (path: string) => `/api/2.0/mlflow/${path}`;
  const json = (body: unknown) => JSON.stringify(body);
  const post = (path: string, body: unknown) =>
    t.http.post(api(path)).set('Content-Type', 'application/json').send(json(body));
  const patch = (path: string, body: unknown) =>
    t.http.patch(api(path)).set('Content-Type', 'application/json').send(json(body));
  const del = (path: string) => t.http.delete(api(path));

  async function createExperiment(name: string): Promise<string> {
    const res = await post('experiments/create', { name });
    expect(res.status).toBe(200);
    return res.body.experiment_id as string;
  }

  async function createRun(experimentId: string): Promise<string> {
    const res = await post('runs/create', {
      experiment_id: experimentId,
      user_id: 'flops',
      start_time: Date.now(),
      tags: [
        { key: 'mlflow.user', value: 'flops' },
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
      ],
    });
    expect(res.status).toBe(200);
    return res.body.run.info.run_id as string;
  }

  /** What the 3.x client sends: the points re-logged through runs/log-batch with a model_id. */
  async function logModelMetrics(modelId: string, points: MetricRow[]): Promise<void> {
    for (const runId of new Set(points.map((p) => p.runId))) {
      const res = await post('runs/log-batch', {
        run_id: runId,
        metrics: points
          .filter((p) => p.runId === runId)
          .map((p) => ({
            key: p.key,
            value: Number.isNaN(p.value) ? 'NaN' : p.value,
            timestamp: p.timestamp,
            step: p.step,
            model_id: modelId,
            ...(p.dataset ? { dataset_name: p.dataset[0], dataset_digest: p.dataset[1] } : {}),
          })),
      });
      expect(res.status).toBe(200);
    }
  }

  async function createModel(body: Record<string, unknown>): Promise<ModelJson> {
    const res = await post('logged-models', body);
    expect(res.status).toBe(200);
    return res.body.model as ModelJson;
  }

  async function getModel(modelId: string): Promise<ModelJson> {
    const res = await t.http.get(api(`logged-models/${modelId}`));
    expect(res.status).toBe(200);
    return res.body.model as ModelJson;
  }

  it("serves the 3.x client's log_model sequence end to end", async () => {
    const experimentId = await createExperiment('log-model-3x');
    const runId = await createRun(experimentId);
    const params = Array.from({ length: 130 }, (_, i) => ({
      key: `p${String(i).padStart(3, '0')}`,
      value: String(i),
    }));
    const tags = [
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'mlflow.user', value: 'flops' },
      { key: 'mlflow.model.isExternal', value: 'true' },
    ];

    const trained = await post('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'accuracy', value: 0.91, timestamp: 1732600000000, step: 3 }],
    });
    expect(trained.status).toBe(200);
    const run = await t.http.get(api(`runs/get?run_id=${runId}&run_uuid=${runId}`));
    expect(run.status).toBe(200);
    for (const metric of run.body.run.data.metrics as { key: string }[]) {
      const history = await t.http.get(
        api(
          `metrics/get-history?run_uuid=${runId}&run_id=${runId}&metric_key=${metric.key}&max_results=25000`,
        ),
      );
      expect(history.status).toBe(200);
    }

    const created = await post('logged-models', {
      experiment_id: experimentId,
      name: 'model',
      source_run_id: runId,
      params: params.slice(0, 100),
      tags,
      model_type: 'Classifier',
    });
    expect(created.status).toBe(200);
    const info = created.body.model.info as Record<string, unknown>;
    const modelId = info.model_id as string;
    expect(modelId).toMatch(MODEL_ID);
    expect(Object.keys(info)).toEqual([
      'model_id',
      'experiment_id',
      'name',
      'creation_timestamp_ms',
      'last_updated_timestamp_ms',
      'artifact_uri',
      'status',
      'model_type',
      'source_run_id',
      'tags',
    ]);
    expect(info).toMatchObject({
      experiment_id: experimentId,
      name: 'model',
      artifact_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
      status: 'LOGGED_MODEL_PENDING',
      model_type: 'Classifier',
      source_run_id: runId,
    });
    expect(info.tags).toEqual([...tags].sort((a, b) => (a.key < b.key ? -1 : 1)));
    expect(created.body.model.data.params).toHaveLength(100);
    expect(created.body.model.data.metrics).toBeUndefined();

    const rest = await post(`logged-models/${modelId}/params`, {
      model_id: modelId,
      params: params.slice(100),
    });
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({});

    const outputs = await post('runs/outputs', {
      run_id: runId,
      models: [{ model_id: modelId, step: 3 }],
    });
    expect(outputs.status).toBe(200);
    await logModelMetrics(modelId, [
      { key: 'accuracy', value: 0.91, timestamp: 1732600000000, step: 3, runId },
      {
        key: 'loss',
        value: NaN,
        timestamp: 1732600000000,
        step: 3,
        runId,
        dataset: ['mnist', 'd1'],
      },
    ]);

    const untag = await del(`logged-models/${modelId}/tags/mlflow.model.isExternal`);
    expect(untag.status).toBe(200);
    expect(untag.body).toEqual({});

    const finalized = await patch(`logged-models/${modelId}`, {
      model_id: modelId,
      status: 'LOGGED_MODEL_READY',
    });
    expect(finalized.status).toBe(200);
    expect(finalized.body.model.info.status).toBe('LOGGED_MODEL_READY');

    const model = await getModel(modelId);
    expect(model.info.status).toBe('LOGGED_MODEL_READY');
    expect((model.info.tags as { key: string }[]).map((tag) => tag.key)).toEqual([
      'mlflow.source.name',
      'mlflow.source.type',
      'mlflow.user',
    ]);
    expect(model.data.params).toEqual(params);
    expect(Object.keys(model)).toEqual(['info', 'data']);
    expect(model.data.metrics).toEqual([
      {
        key: 'accuracy',
        value: 0.91,
        timestamp: 1732600000000,
        step: 3,
        model_id: modelId,
        run_id: runId,
      },
      {
        key: 'loss',
        value: 'NaN',
        timestamp: 1732600000000,
        step: 3,
        dataset_name: 'mnist',
        dataset_digest: 'd1',
        model_id: modelId,
        run_id: runId,
      },
    ]);

    expect(Object.keys(model.data.metrics?.[1] ?? {})).toEqual([
      'key',
      'value',
      'timestamp',
      'step',
      'dataset_name',
      'dataset_digest',
      'model_id',
      'run_id',
    ]);

    const runAfter = await t.http.get(api(`runs/get?run_id=${runId}`));
    expect(runAfter.body.run.outputs).toEqual({ model_outputs: [{ model_id: modelId, step: 3 }] });

    // Resolving runs:/<run_id>/model: search by name, then match source_run_id client-side.
    const found = await post('logged-models/search', {
      experiment_ids: [experimentId],
      filter: "name = 'model'",
    });
    expect(found.status).toBe(200);
    expect(found.body.models).toHaveLength(1);
    expect(found.body.models[0]).toEqual(model);
    expect(found.body.next_page_token).toBeUndefined();
  });

  it('creates a pending model with a generated name and an empty data section', async () => {
    const experimentId = await createExperiment('generated-names');
    const res = await t.http
      .post('/ajax-api/2.0/mlflow/logged-models')
      .set('Content-Type', 'application/json')
      .send(json({ experimentId: Number(experimentId) }));
    expect(res.status).toBe(200);
    const { info, data } = res.body.model;
    expect(Object.keys(info)).toEqual([
      'model_id',
      'experiment_id',
      'name',
      'creation_timestamp_ms',
      'last_updated_timestamp_ms',
      'artifact_uri',
      'status',
    ]);
    expect(info.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
    expect(info.creation_timestamp_ms).toBe(info.last_updated_timestamp_ms);
    expect(typeof info.creation_timestamp_ms).toBe('number');
    expect(data).toEqual({});
  });

  it('refuses bad create requests before writing anything', async () => {
    const experimentId = await createExperiment('bad-creates');
    const deleted = await createExperiment('deleted-for-models');
    expect((await post('experiments/delete', { experiment_id: deleted })).status).toBe(200);
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{}, 400, 'INVALID_PARAMETER_VALUE', /^Missing value for required parameter 'experiment_id'/],
      [
        { experiment_id: '987654' },
        404,
        'RESOURCE_DOES_NOT_EXIST',
        /^No Experiment with id=987654 exists$/,
      ],
      [{ experiment_id: 'abc' }, 404, 'RESOURCE_DOES_NOT_EXIST', /No Experiment with id=abc/],
      [
        { experiment_id: deleted },
        400,
        'INVALID_PARAMETER_VALUE',
        /must be in the 'active' state\. Current state is deleted\.$/,
      ],
      [
        { experiment_id: experimentId, name: 'a/b' },
        400,
        'INVALID_PARAMETER_VALUE',
        /^Invalid model name \('a\/b'\) provided/,
      ],
      [
        { experiment_id: experimentId, source_run_id: 'f'.repeat(32) },
        404,
        'RESOURCE_DOES_NOT_EXIST',
        /^Run with id=f{32} not found$/,
      ],
      [
        {
          experiment_id: experimentId,
          params: Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
        },
        400,
        'INVALID_PARAMETER_VALUE',
        /at most 100 params\. Got 101 params/,
      ],
      [
        { experiment_id: experimentId, params: [{ key: '../up', value: 'v' }] },
        400,
        'INVALID_PARAMETER_VALUE',
        /\.\.\/up/,
      ],
      [
        { experiment_id: experimentId, tags: [{ value: 'no key' }] },
        400,
        'INVALID_PARAMETER_VALUE',
        /^Missing value for required parameter 'tags\[0\]\.key'/,
      ],
      [
        {
          experiment_id: experimentId,
          params: [
            { key: 'lr', value: '1' },
            { key: 'lr', value: '2' },
          ],
        },
        400,
        'INVALID_PARAMETER_VALUE',
        /Duplicate parameter keys/,
      ],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await post('logged-models', body);
      expect({ body, status: res.status, code: res.body.error_code }).toEqual({
        body,
        status,
        code,
      });
      expect(res.body.message).toMatch(message);
    }
    const count = await sql.select(
      'SELECT COUNT(*) AS n FROM logged_models WHERE experiment_id = ?',
      [Number(experimentId)],
    );
    expect(Number(count[0].n)).toBe(0);
    const contentType = await t.http
      .post(api('logged-models'))
      .send(json({ experiment_id: experimentId }));
    expect(contentType.status).toBe(400);
  });

  it('finalizes only to READY or UPLOAD_FAILED, by name or proto number', async () => {
    const experimentId = await createExperiment('finalize');
    const { info } = await createModel({ experiment_id: experimentId, name: 'fin' });
    const failed = await patch(`logged-models/${info.model_id}`, { status: 3 });
    expect(failed.status).toBe(200);
    expect(failed.body.model.info.status).toBe('LOGGED_MODEL_UPLOAD_FAILED');
    for (const [body, message] of [
      [{}, /^Missing value for required parameter 'status'/],
      [{ status: 0 }, /^Invalid value 0 for parameter 'status'/],
      [{ status: 'READY' }, /^Invalid value "READY" for parameter 'status'/],
      [{ status: 'LOGGED_MODEL_PENDING' }, /LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED/],
      [{ model_id: 'm-other', status: 'LOGGED_MODEL_READY' }, /does not match/],
    ] as const) {
      const res = await patch(`logged-models/${info.model_id}`, body);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message).toMatch(message);
    }
    const missing = await patch(`logged-models/m-${'0'.repeat(32)}`, {
      status: 'LOGGED_MODEL_READY',
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: `Logged model with ID 'm-${'0'.repeat(32)}' not found.`,
    });
  });

  it('upserts and deletes tags, keeps params write-once, and bumps last_updated', async () => {
    const experimentId = await createExperiment('tags-params');
    const { info } = await createModel({
      experiment_id: experimentId,
      name: 'tp',
      params: [{ key: 'lr', value: '0.1' }],
    });
    const id = info.model_id;
    const resetUpdated = () =>
      sql.execute('UPDATE logged_models SET last_updated_timestamp_ms = 1 WHERE model_id = ?', [
        id,
      ]);

    await resetUpdated();
    const set1 = await patch(`logged-models/${id}/tags`, {
      tags: [
        { key: 'stage', value: 'dev' },
        { key: 'team', value: 'fl' },
      ],
    });
    expect(set1.status).toBe(200);
    expect(set1.body).toEqual({});
    let model = await getModel(id);
    expect(model.info.last_updated_timestamp_ms).toBeGreaterThan(1);
    expect(model.info.creation_timestamp_ms).toBe(info.creation_timestamp_ms);
    await patch(`logged-models/${id}/tags`, { tags: [{ key: 'stage', value: 'prod' }] });
    model = await getModel(id);
    expect(model.info.tags).toEqual([
      { key: 'stage', value: 'prod' },
      { key: 'team', value: 'fl' },
    ]);

    const missingTag = await del(`logged-models/${id}/tags/nope`);
    expect(missingTag.status).toBe(404);
    expect(missingTag.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: `No tag with key 'nope' found for model with ID '${id}'.`,
    });
    await resetUpdated();
    expect((await del(`logged-models/${id}/tags/team`)).status).toBe(200);
    model = await getModel(id);
    expect(model.info.tags).toEqual([{ key: 'stage', value: 'prod' }]);
    expect(model.info.last_updated_timestamp_ms).toBeGreaterThan(1);

    await resetUpdated();
    const again = await post(`logged-models/${id}/params`, {
      params: [
        { key: 'lr', value: '0.1' },
        { key: 'epochs', value: '5' },
      ],
    });
    expect(again.status).toBe(200);
    model = await getModel(id);
    expect(model.data.params).toEqual([
      { key: 'epochs', value: '5' },
      { key: 'lr', value: '0.1' },
    ]);
    expect(model.info.last_updated_timestamp_ms).toBeGreaterThan(1);
    const changed = await post(`logged-models/${id}/params`, {
      params: [
        { key: 'batch', value: '32' },
        { key: 'lr', value: '0.2' },
      ],
    });
    expect(changed.status).toBe(400);
    expect(changed.body.message).toBe(
      `Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for logged model ID='${id}'. Attempted logging new value '0.2'.`,
    );
    model = await getModel(id);
    expect(model.data.params?.map((p) => p.key)).toEqual(['epochs', 'lr']);

    const unknown = `m-${'a'.repeat(32)}`;
    for (const res of [
      await patch(`logged-models/${unknown}/tags`, { tags: [{ key: 'k', value: 'v' }] }),
      await post(`logged-models/${unknown}/params`, { params: [{ key: 'k', value: 'v' }] }),
      await del(`logged-models/${unknown}/tags/k`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('soft-deletes: hidden from get and search, visible with allow_deleted, closed to writes', async () => {
    const experimentId = await createExperiment('deletes');
    const { info } = await createModel({ experiment_id: experimentId, name: 'gone' });
    const id = info.model_id;
    expect((await del(`logged-models/${id}`)).body).toEqual({});
    expect((await del(`logged-models/${id}`)).status).toBe(200);
    const get = await t.http.get(api(`logged-models/${id}`));
    expect(get.status).toBe(404);
    expect(get.body.message).toBe(`Logged model with ID '${id}' not found.`);
    const withDeleted = await t.http.get(api(`logged-models/${id}?allow_deleted=true`));
    expect(withDeleted.status).toBe(200);
    expect(withDeleted.body.model.info.model_id).toBe(id);
    const search = await post('logged-models/search', { experiment_ids: [experimentId] });
    expect(search.body).toEqual({});
    const finalize = await patch(`logged-models/${id}`, { status: 'LOGGED_MODEL_READY' });
    expect(finalize.status).toBe(404);
    expect((await del(`logged-models/m-${'b'.repeat(32)}`)).status).toBe(404);
  });

  describe('search', () => {
    let experimentId: string;
    let otherExperimentId: string;
    let runA: string;
    let runB: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      experimentId = await createExperiment('search-models');
      otherExperimentId = await createExperiment('search-models-other');
      runA = await createRun(experimentId);
      runB = await createRun(experimentId);
      const seeds = [
        {
          name: 'alpha',
          model_type: 'Classifier',
          source_run_id: runA,
          params: [{ key: 'lr', value: '0.1' }],
        },
        {
          name: 'Beta',
          model_type: 'LLM',
          source_run_id: runB,
          tags: [{ key: 'team', value: 'fl' }],
        },
        { name: 'gamma', source_run_id: runA, params: [{ key: 'lr', value: '0.3' }] },
        { name: 'delta', model_type: 'Classifier', tags: [{ key: 'team', value: 'core' }] },
      ];
      for (const seed of seeds) {
        const model = await createModel({ experiment_id: experimentId, ...seed });
        ids[seed.name] = model.info.model_id;
      }
      await createModel({ experiment_id: otherExperimentId, name: 'alpha' });
      // Distinct creation times for a deterministic default order (newest first).
      const names = seeds.map((s) => s.name);
      for (const [i, name] of names.entries()) {
        await sql.execute('UPDATE logged_models SET creation_timestamp_ms = ? WHERE model_id = ?', [
          1732600000000 + i * 1000,
          ids[name],
        ]);
      }
      await patch(`logged-models/${ids.alpha}`, { status: 'LOGGED_MODEL_READY' });
      await logModelMetrics(ids.alpha, [
        { key: 'acc', value: 0.99, timestamp: 10, step: 1, runId: runA, dataset: ['test', 'd1'] },
        { key: 'acc', value: 0.7, timestamp: 20, step: 2, runId: runA, dataset: ['test', 'd1'] },
        { key: 'acc', value: 0.95, timestamp: 5, step: 0, runId: runA, dataset: ['val', 'd2'] },
      ]);
      await logModelMetrics(ids.Beta, [
        { key: 'acc', value: 0.8, timestamp: 10, step: 1, runId: runB, dataset: ['test', 'd1'] },
      ]);
      await logModelMetrics(ids.gamma, [
        { key: 'acc', value: NaN, timestamp: 10, step: 1, runId: runA },
      ]);
    });

    const names = async (body: Record<string, unknown>): Promise<string[]> => {
      const res = await post('logged-models/search', body);
      expect(res.status).toBe(200);
      return ((res.body.models ?? []) as ModelJson[]).map((m) => m.info.name);
    };

    it('scopes to the experiments and orders newest first by default', async () => {
      expect(await names({ experiment_ids: [experimentId] })).toEqual([
        'delta',
        'gamma',
        'Beta',
        'alpha',
      ]);
      expect(
        await names({
          experiment_ids: [otherExperimentId, experimentId],
          filter: "name = 'alpha'",
        }),
      ).toHaveLength(2);
      expect(await names({ experiment_ids: ['424242', 'x'] })).toEqual([]);
    });

    it('filters on attributes, params, tags and latest metrics', async () => {
      const base = { experiment_ids: [experimentId] };
      expect(await names({ ...base, filter: "model_type = 'Classifier'" })).toEqual([
        'delta',
        'alpha',
      ]);
      expect(await names({ ...base, filter: "model_type != 'LLM'" })).toEqual([
        'delta',
        'gamma',
        'alpha',
      ]);
      expect(await names({ ...base, filter: "status = 'LOGGED_MODEL_READY'" })).toEqual(['alpha']);
      expect(await names({ ...base, filter: `source_run_id IN ('${runB}')` })).toEqual(['Beta']);
      expect(await names({ ...base, filter: "name ILIKE 'b%'" })).toEqual(['Beta']);
      expect(await names({ ...base, filter: "name LIKE 'b%'" })).toEqual([]);
      expect(await names({ ...base, filter: 'creation_timestamp >= 1732600002000' })).toEqual([
        'delta',
        'gamma',
      ]);
      expect(await names({ ...base, filter: `model_id = '${ids.gamma}'` })).toEqual(['gamma']);
      expect(await names({ ...base, filter: "params.lr = '0.3'" })).toEqual(['gamma']);
      expect(await names({ ...base, filter: "tags.team != 'core'" })).toEqual(['Beta']);
      // alpha's latest acc is 0.7 (step 2), not its best 0.99; gamma's NaN never matches.
      expect(await names({ ...base, filter: 'metrics.acc > 0.75' })).toEqual(['Beta']);
      expect(await names({ ...base, filter: "metrics.acc < 1 AND params.lr = '0.1'" })).toEqual([
        'alpha',
      ]);
    });

    it('restricts metrics to the requested datasets', async () => {
      const base = { experiment_ids: [experimentId] };
      expect(
        await names({ ...base, filter: 'metrics.acc > 0.9', datasets: [{ dataset_name: 'val' }] }),
      ).toEqual(['alpha']);
      expect(
        await names({ ...base, datasets: [{ dataset_name: 'test', dataset_digest: 'd1' }] }),
      ).toEqual(['Beta', 'alpha']);
      expect(
        await names({ ...base, datasets: [{ dataset_name: 'test', dataset_digest: 'zz' }] }),
      ).toEqual([]);
    });

    it('orders by attributes and by latest metrics with missing values last', async () => {
      const base = { experiment_ids: [experimentId] };
      expect(await names({ ...base, order_by: [{ field_name: 'name' }] })).toEqual([
        'alpha',
        'Beta',
        'delta',
        'gamma',
      ]);
      expect(
        await names({ ...base, order_by: [{ field_name: 'metrics.acc', ascending: false }] }),
      ).toEqual(['Beta', 'alpha', 'gamma', 'delta']);
      expect(await names({ ...base, order_by: [{ field_name: 'metrics.acc' }] })).toEqual([
        'alpha',
        'Beta',
        'gamma',
        'delta',
      ]);
      expect(
        await names({
          ...base,
          order_by: [{ field_name: 'metrics.acc', ascending: false, dataset_name: 'val' }],
        }),
      ).toEqual(['alpha', 'delta', 'gamma', 'Beta']);
    });

    it('pages with opaque tokens bound to the search', async () => {
      const body = {
        experiment_ids: [experimentId],
        max_results: 3,
        order_by: [{ field_name: 'name' }],
      };
      const first = await post('logged-models/search', body);
      expect(first.body.models.map((m: ModelJson) => m.info.name)).toEqual([
        'alpha',
        'Beta',
        'delta',
      ]);
      const token = first.body.next_page_token as string;
      expect(typeof token).toBe('string');
      const second = await post('logged-models/search', { ...body, page_token: token });
      expect(second.body.models.map((m: ModelJson) => m.info.name)).toEqual(['gamma']);
      expect(second.body.next_page_token).toBeUndefined();
      const exact = await post('logged-models/search', { ...body, max_results: 4 });
      expect(exact.body.next_page_token).toBeUndefined();
      const otherSearch = await post('logged-models/search', {
        ...body,
        filter: "name != 'x'",
        page_token: token,
      });
      expect(otherSearch.status).toBe(400);
      expect(otherSearch.body.message).toMatch(/^Invalid page token/);
      const garbage = await post('logged-models/search', { ...body, page_token: 'not a token' });
      expect(garbage.status).toBe(400);
      expect(garbage.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    });

    it('refuses bad search requests with INVALID_PARAMETER_VALUE', async () => {
      for (const body of [
        {},
        { experiment_ids: [] },
        { experiment_ids: [experimentId], filter: 'foo = 1' },
        { experiment_ids: [experimentId], filter: "name = 'a' OR name = 'b'" },
        { experiment_ids: [experimentId], filter: "datasets.name = 'x'" },
        { experiment_ids: [experimentId], order_by: [{ field_name: 'params.lr' }] },
        { experiment_ids: [experimentId], order_by: [{ ascending: true }] },
        {
          experiment_ids: [experimentId],
          order_by: [{ field_name: 'metrics.acc', dataset_digest: 'd1' }],
        },
        { experiment_ids: [experimentId], datasets: [{ dataset_digest: 'd1' }] },
        { experiment_ids: [experimentId], max_results: -1 },
      ]) {
        const res = await post('logged-models/search', body);
        expect({ body, status: res.status, code: res.body.error_code }).toEqual({
          body,
          status: 400,
          code: 'INVALID_PARAMETER_VALUE',
        });
      }
    });
  });
});
