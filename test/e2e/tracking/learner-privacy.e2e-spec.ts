import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

interface KeyValueJson {
  key: string;
  value: string;
}

interface RunJson {
  info: { run_id: string };
  data: {
    metrics?: { key: string; value: number }[];
    params?: KeyValueJson[];
    tags?: KeyValueJson[];
  };
  inputs: { dataset_inputs?: unknown[] };
}

interface ModelJson {
  info: { model_id: string; tags?: KeyValueJson[] };
  data: { params?: KeyValueJson[]; metrics?: { key: string }[] };
}

const TIME = 1732600000000;

/** The refusal as the client sees it. */
const refused = (what: string, key: string, prefix: string) => ({
  error_code: 'INVALID_PARAMETER_VALUE',
  message: `${what} '${key}' is refused: keys under '${prefix}' describe an individual learner, and this server keeps only aggregate FLOps data (LEARNER_KEY_PREFIXES).`,
});

/** A suite app over `backend` with the given LEARNER_KEY_PREFIXES (unset: the default). */
function client(t: () => TestApp) {
  const api = (path: string) => `/api/2.0/mlflow/${path}`;
  const send = (method: 'post' | 'patch', url: string, body: unknown) =>
    t().http[method](url).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const post = (path: string, body: unknown) => send('post', api(path), body);
  const patch = (path: string, body: unknown) => send('patch', api(path), body);
  const ok = async (res: Promise<{ status: number; body: unknown }>) => {
    const done = await res;
    expect([done.status, done.body]).toEqual([200, expect.anything()]);
    return done.body as Record<string, unknown>;
  };

  let experiments = 0;
  const newExperiment = async () => {
    const body = await ok(post('experiments/create', { name: `privacy-${++experiments}` }));
    return body.experiment_id as string;
  };
  const newRun = async (experimentId?: string) => {
    const body = await ok(
      post('runs/create', {
        experiment_id: experimentId ?? (await newExperiment()),
        run_name: 'FLOps FL round 1',
        start_time: TIME,
      }),
    );
    return (body.run as RunJson).info.run_id;
  };
  const getRun = async (runId: string) =>
    (await ok(t().http.get(api(`runs/get?run_id=${runId}`)))).run as RunJson;
  const runsOf = async (experimentId: string) =>
    ((await ok(post('runs/search', { experiment_ids: [experimentId] }))).runs ?? []) as RunJson[];
  const newModel = async (experimentId: string) => {
    const body = await ok(post('logged-models', { experiment_id: experimentId, name: 'global' }));
    return (body.model as ModelJson).info.model_id;
  };
  const getModel = async (modelId: string) =>
    (await ok(t().http.get(api(`logged-models/${modelId}`)))).model as ModelJson;
  const keysOf = (items: { key: string }[] | undefined) => (items ?? []).map((i) => i.key).sort();
  const userTagKeys = (run: RunJson) =>
    keysOf(run.data.tags).filter((k) => !k.startsWith('mlflow.'));

  return {
    post,
    patch,
    ok,
    newExperiment,
    newRun,
    getRun,
    runsOf,
    newModel,
    getModel,
    keysOf,
    userTagKeys,
  };
}

describe.each(BACKENDS)('the FLOps learner-privacy guard on %s', (backend) => {
  describe('with the default prefixes', () => {
    let t: TestApp;
    const c = client(() => t);

    beforeAll(async () => {
      t = await createTestApp(backend);
    });

    afterAll(async () => {
      await t.close();
    });

    it('refuses a learner metric on log-metric and stores nothing', async () => {
      const runId = await c.newRun();
      const res = await c.post('runs/log-metric', {
        run_id: runId,
        key: 'client.3/loss',
        value: 0.4,
        timestamp: TIME,
        step: 0,
      });
      expect([res.status, res.body]).toEqual([
        400,
        refused('Metric key', 'client.3/loss', 'client.'),
      ]);
      const history = await c.ok(
        t.http.get(`/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=client.3/loss`),
      );
      expect(history.metrics ?? []).toEqual([]);
      expect((await c.getRun(runId)).data.metrics).toBeUndefined();
    });

    it('refuses a learner param on log-parameter and a learner tag on set-tag', async () => {
      const runId = await c.newRun();
      const param = await c.post('runs/log-parameter', {
        run_id: runId,
        key: 'site/berlin',
        value: '1',
      });
      expect([param.status, param.body]).toEqual([
        400,
        refused('Param key', 'site/berlin', 'site/'),
      ]);
      const tag = await c.post('runs/set-tag', { run_id: runId, key: 'learner.7', value: 'x' });
      expect([tag.status, tag.body]).toEqual([400, refused('Tag key', 'learner.7', 'learner.')]);
      const run = await c.getRun(runId);
      expect(run.data.params).toBeUndefined();
      expect(c.userTagKeys(run)).toEqual([]);
    });

    it('refuses a whole log-batch for one learner key, writing none of its valid entries', async () => {
      const runId = await c.newRun();
      await c.ok(
        c.post('runs/log-batch', { run_id: runId, params: [{ key: 'num_rounds', value: '3' }] }),
      );
      const res = await c.post('runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'loss', value: 0.3, timestamp: TIME, step: 0 },
          { key: 'accuracy', value: 0.9, timestamp: TIME, step: 0 },
        ],
        params: [{ key: 'min_fit_clients', value: '2' }],
        tags: [
          { key: 'round_state', value: 'done' },
          { key: 'client/3/accuracy', value: '0.8' },
        ],
      });
      expect([res.status, res.body]).toEqual([
        400,
        refused('Tag key', 'client/3/accuracy', 'client/'),
      ]);
      const run = await c.getRun(runId);
      expect(run.data.metrics).toBeUndefined();
      expect(run.data.params).toEqual([{ key: 'num_rounds', value: '3' }]);
      expect(c.userTagKeys(run)).toEqual([]);
    });

    it('refuses learner tags at run creation, creating no run', async () => {
      const experimentId = await c.newExperiment();
      const res = await c.post('runs/create', {
        experiment_id: experimentId,
        start_time: TIME,
        tags: [
          { key: 'mlflow.user', value: 'aggregator' },
          { key: 'Client.3', value: 'berlin' },
        ],
      });
      expect([res.status, res.body]).toEqual([400, refused('Tag key', 'Client.3', 'client.')]);
      expect(await c.runsOf(experimentId)).toEqual([]);
    });

    it('refuses learner params and tags of a prompt-lab run before the run exists', async () => {
      const experimentId = await c.newExperiment();
      const promptlab = (extra: Record<string, unknown>) =>
        t.http
          .post('/ajax-api/2.0/mlflow/runs/create-promptlab-run')
          .set('Content-Type', 'application/json')
          .send(
            JSON.stringify({
              experiment_id: experimentId,
              prompt_template: 'Summarise {{ text }}',
              prompt_parameters: [{ key: 'text', value: 'a round' }],
              model_route: 'chat',
              model_input: 'Summarise a round',
              mlflow_version: '2.17.2',
              start_time: TIME,
              ...extra,
            }),
          );
      const param = await promptlab({
        model_parameters: [{ key: 'site.a/temperature', value: '1' }],
      });
      expect([param.status, param.body]).toEqual([
        400,
        refused('Param key', 'site.a/temperature', 'site.'),
      ]);
      const tag = await promptlab({ tags: [{ key: 'learner/2', value: 'x' }] });
      expect([tag.status, tag.body]).toEqual([400, refused('Tag key', 'learner/2', 'learner/')]);
      expect(await c.runsOf(experimentId)).toEqual([]);
    });

    it('refuses learner keys among dataset input tags, logging no input', async () => {
      const runId = await c.newRun();
      const res = await c.post('runs/log-inputs', {
        run_id: runId,
        datasets: [
          {
            tags: [
              { key: 'mlflow.data.context', value: 'training' },
              { key: 'client.3', value: 'shard' },
            ],
            dataset: { name: 'mnist', digest: 'abc123', source_type: 'http', source: '{}' },
          },
        ],
      });
      expect([res.status, res.body]).toEqual([
        400,
        refused('Dataset input tag key', 'client.3', 'client.'),
      ]);
      expect((await c.getRun(runId)).inputs.dataset_inputs ?? []).toEqual([]);
    });

    it('refuses learner keys on logged models: creation, set-tags, log-params and their metrics', async () => {
      const experimentId = await c.newExperiment();
      const created = await c.post('logged-models', {
        experiment_id: experimentId,
        name: 'global',
        params: [
          { key: 'lr', value: '0.1' },
          { key: 'learner.2/lr', value: '0.2' },
        ],
      });
      expect([created.status, created.body]).toEqual([
        400,
        refused('Param key', 'learner.2/lr', 'learner.'),
      ]);
      const search = await c.ok(c.post('logged-models/search', { experiment_ids: [experimentId] }));
      expect(search.models ?? []).toEqual([]);

      const modelId = await c.newModel(experimentId);
      const tags = await c.patch(`logged-models/${modelId}/tags`, {
        tags: [
          { key: 'stage', value: 'dev' },
          { key: 'site/berlin', value: 'x' },
        ],
      });
      expect([tags.status, tags.body]).toEqual([400, refused('Tag key', 'site/berlin', 'site/')]);
      const params = await c.post(`logged-models/${modelId}/params`, {
        params: [{ key: 'CLIENT/3', value: '1' }],
      });
      expect([params.status, params.body]).toEqual([
        400,
        refused('Param key', 'CLIENT/3', 'client/'),
      ]);
      const runId = await c.newRun(experimentId);
      const metrics = await c.post('runs/log-batch', {
        run_id: runId,
        metrics: [
          { key: 'accuracy', value: 0.9, timestamp: TIME, step: 0, model_id: modelId },
          { key: 'client.3/accuracy', value: 0.8, timestamp: TIME, step: 0, model_id: modelId },
        ],
      });
      expect([metrics.status, metrics.body]).toEqual([
        400,
        refused('Metric key', 'client.3/accuracy', 'client.'),
      ]);
      const model = await c.getModel(modelId);
      expect(c.keysOf(model.info.tags).filter((k) => !k.startsWith('mlflow.'))).toEqual([]);
      expect(model.data.params ?? []).toEqual([]);
      expect(model.data.metrics ?? []).toEqual([]);
      expect((await c.getRun(runId)).data.metrics).toBeUndefined();
    });

    it('refuses learner experiment tags on creation and set-experiment-tag', async () => {
      const created = await c.post('experiments/create', {
        name: 'privacy-learner-tags',
        tags: [{ key: 'site.a', value: 'x' }],
      });
      expect([created.status, created.body]).toEqual([400, refused('Tag key', 'site.a', 'site.')]);
      const byName = await t.http.get(
        '/api/2.0/mlflow/experiments/get-by-name?experiment_name=privacy-learner-tags',
      );
      expect(byName.status).toBe(404);
      const experimentId = await c.newExperiment();
      const set = await c.post('experiments/set-experiment-tag', {
        experiment_id: experimentId,
        key: 'client/3',
        value: 'x',
      });
      expect([set.status, set.body]).toEqual([400, refused('Tag key', 'client/3', 'client/')]);
      const experiment = await c.ok(
        t.http.get(`/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`),
      );
      expect((experiment.experiment as { tags?: unknown[] }).tags ?? []).toEqual([]);
    });

    it('refuses on the ajax-api mirror too', async () => {
      const runId = await c.newRun();
      const res = await t.http
        .post('/ajax-api/2.0/mlflow/runs/log-metric')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ run_id: runId, key: 'site/a/loss', value: 1, timestamp: TIME }));
      expect([res.status, res.body]).toEqual([400, refused('Metric key', 'site/a/loss', 'site/')]);
    });

    it("lets the aggregator's own keys and their neighbours through", async () => {
      const runId = await c.newRun();
      const aggregate = [
        'learners_count',
        'system/cpu_utilization_percentage',
        'clientele',
        'site',
      ];
      await c.ok(
        c.post('runs/log-batch', {
          run_id: runId,
          metrics: aggregate.map((key) => ({ key, value: 1, timestamp: TIME, step: 0 })),
          params: aggregate.map((key) => ({ key, value: '1' })),
          tags: [
            ...aggregate.map((key) => ({ key, value: '1' })),
            { key: 'mlflow.note.content', value: 'n' },
          ],
        }),
      );
      await c.ok(
        c.post('runs/log-metric', { run_id: runId, key: 'loss', value: 0.2, timestamp: TIME }),
      );
      await c.ok(
        c.post('runs/log-parameter', { run_id: runId, key: 'clients_per_round', value: '2' }),
      );
      await c.ok(c.post('runs/set-tag', { run_id: runId, key: 'sites', value: '3' }));
      const run = await c.getRun(runId);
      expect(c.keysOf(run.data.metrics)).toEqual([...aggregate, 'loss'].sort());
      expect(c.keysOf(run.data.params)).toEqual([...aggregate, 'clients_per_round'].sort());
      expect(c.userTagKeys(run)).toEqual([...aggregate, 'sites'].sort());
    });
  });

  describe('with LEARNER_KEY_PREFIXES empty (the rule off)', () => {
    let t: TestApp;
    const c = client(() => t);

    beforeAll(async () => {
      t = await createTestApp(backend, { env: { LEARNER_KEY_PREFIXES: '' } });
    });

    afterAll(async () => {
      await t.close();
    });

    it('stores learner keys on every path', async () => {
      const experimentId = await c.newExperiment();
      const runId = await c.newRun(experimentId);
      await c.ok(
        c.post('runs/log-batch', {
          run_id: runId,
          metrics: [{ key: 'client.3/loss', value: 0.4, timestamp: TIME, step: 0 }],
          params: [{ key: 'site/berlin', value: '1' }],
          tags: [{ key: 'learner.7', value: 'x' }],
        }),
      );
      const run = await c.getRun(runId);
      expect(c.keysOf(run.data.metrics)).toEqual(['client.3/loss']);
      expect(c.keysOf(run.data.params)).toEqual(['site/berlin']);
      expect(c.userTagKeys(run)).toEqual(['learner.7']);
      const modelId = await c.newModel(experimentId);
      await c.ok(
        c.patch(`logged-models/${modelId}/tags`, { tags: [{ key: 'client/3', value: 'x' }] }),
      );
      expect(c.keysOf((await c.getModel(modelId)).info.tags)).toContain('client/3');
    });
  });

  describe('with a custom LEARNER_KEY_PREFIXES', () => {
    let t: TestApp;
    const c = client(() => t);

    beforeAll(async () => {
      t = await createTestApp(backend, { env: { LEARNER_KEY_PREFIXES: 'worker:, Party/' } });
    });

    afterAll(async () => {
      await t.close();
    });

    it('refuses keys under its prefixes, in any case, and no longer the default ones', async () => {
      const runId = await c.newRun();
      const worker = await c.post('runs/log-metric', {
        run_id: runId,
        key: 'Worker:2/loss',
        value: 1,
        timestamp: TIME,
      });
      expect([worker.status, worker.body]).toEqual([
        400,
        refused('Metric key', 'Worker:2/loss', 'worker:'),
      ]);
      const party = await c.post('runs/set-tag', { run_id: runId, key: 'party/a', value: 'x' });
      expect([party.status, party.body]).toEqual([400, refused('Tag key', 'party/a', 'Party/')]);
      await c.ok(
        c.post('runs/log-metric', {
          run_id: runId,
          key: 'client.3/loss',
          value: 1,
          timestamp: TIME,
        }),
      );
      const run = await c.getRun(runId);
      expect(c.keysOf(run.data.metrics)).toEqual(['client.3/loss']);
      expect(c.userTagKeys(run)).toEqual([]);
    });
  });
});
