import { BACKENDS } from '../../support/backends';
import {
  MODEL_FILES,
  replayAggregator,
  STRATEGY_PARAMS,
  SYSTEM_METRICS,
} from '../../support/flops-aggregator';
import { createTestApp, TestApp } from '../../support/test-app';

const FLOPS = '/api/2.0/flops';

interface MetricJson {
  key: string;
  value: number | 'NaN';
  timestamp: number;
  step: number;
}

interface RoundJson {
  round: number;
  run_id: string;
  run_name: string;
  status: string;
  start_time?: number;
  end_time?: number;
  duration_ms?: number;
  cycle?: number;
  metrics: MetricJson[];
  params: { key: string; value: string }[];
  aggregation: Record<string, number>;
  system_metrics: { key: string; mean: number; max: number; samples: number }[];
  cluster_rounds: RoundJson[];
  carries_model: boolean;
}

interface ProjectJson {
  project_id: string;
  experiment_id: string;
  name: string;
  objective: string;
  mode: string;
  state: string;
  rounds: number;
  first_round?: number;
  last_round?: number;
  best_round?: { round: number; run_id: string; metrics: MetricJson[] };
  model_uploaded: boolean;
  model?: { round: number; run_id: string; artifact_path: string; artifact_uri: string };
}

const metricOf = (metrics: MetricJson[], key: string) => metrics.find((m) => m.key === key)?.value;

describe.each(BACKENDS)('FLOps view on %s', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(backend);
  });

  afterAll(async () => {
    await t.close();
  });

  const get = (path: string, query: Record<string, string> = {}) =>
    t.http.get(`${FLOPS}/${path}`).query(query);
  const post = (path: string, body: unknown) =>
    t.http
      .post(`${FLOPS}/${path}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  describe('a project logged by an unmodified FLOps aggregator (3 rounds)', () => {
    let replay: Awaited<ReturnType<typeof replayAggregator>>;
    const projectId = '66f1a2b3c4d5e6f7a8b9c0d1';

    beforeAll(async () => {
      replay = await replayAggregator(t.http, {
        projectId,
        rounds: [
          { loss: 0.9, accuracy: 0.6 },
          { loss: 0.5, accuracy: 0.8 },
          { loss: 0.4, accuracy: 0.85 },
        ],
      });
    });

    it('is a finished project with its rounds, best round and uploaded model', async () => {
      const res = await get(`projects/${replay.experimentId}`);
      expect(res.status).toBe(200);
      const project = res.body.project as ProjectJson;
      expect(project).toMatchObject({
        project_id: projectId,
        experiment_id: replay.experimentId,
        name: `FLOps Project ${projectId}`,
        objective: 'aggregator',
        mode: 'classic',
        state: 'finished',
        rounds: 3,
        first_round: 1,
        last_round: 3,
        model_uploaded: true,
      });
      expect(project.best_round?.round).toBe(3);
      expect(metricOf(project.best_round?.metrics ?? [], 'accuracy')).toBe(0.85);
      expect(project.model).toMatchObject({
        round: 3,
        run_id: replay.modelRunId,
        artifact_path: 'logged_model_artifact',
        artifact_uri: `mlflow-artifacts:/${replay.experimentId}/${replay.modelRunId}/artifacts`,
      });
      // The files are where the model reference says, as the image builder downloads them.
      const listing = await t.http.get('/api/2.0/mlflow-artifacts/artifacts').query({
        path: `${replay.experimentId}/${replay.modelRunId}/artifacts/${project.model?.artifact_path}`,
      });
      expect(((listing.body.files ?? []) as { path: string }[]).map((f) => f.path).sort()).toEqual(
        Object.keys(MODEL_FILES).sort(),
      );
    });

    it('is listed among the projects', async () => {
      const res = await get('projects');
      expect(res.status).toBe(200);
      const found = (res.body.projects as ProjectJson[]).find(
        (p) => p.experiment_id === replay.experimentId,
      );
      expect(found).toMatchObject({ project_id: projectId, state: 'finished', rounds: 3 });
      expect(found?.best_round?.round).toBe(3);
      expect(found?.best_round?.metrics.map((m) => [m.key, m.value])).toEqual([
        ['accuracy', 0.85],
        ['loss', 0.4],
      ]);
    });

    it('lists its rounds in order with metrics, params, duration and system summaries', async () => {
      const res = await get(`projects/${replay.experimentId}/rounds`);
      expect(res.status).toBe(200);
      const rounds = res.body.rounds as RoundJson[];
      expect(rounds.map((r) => r.round)).toEqual([1, 2, 3]);
      expect(rounds.map((r) => r.run_id)).toEqual(replay.runIds);
      expect(rounds.map((r) => r.run_name)).toEqual([1, 2, 3].map((n) => `FLOps FL round ${n}`));
      expect(rounds.every((r) => r.status === 'FINISHED')).toBe(true);
      expect(rounds[0].duration_ms).toBe(19_000);
      expect(rounds[1].metrics.map((m) => [m.key, m.value, m.step])).toEqual([
        ['accuracy', 0.8, 0],
        ['loss', 0.5, 0],
      ]);
      expect(rounds[0].params).toEqual(
        [...STRATEGY_PARAMS].sort((a, b) => a.key.localeCompare(b.key)),
      );
      expect(rounds[0].aggregation).toEqual({});
      const cpu = rounds[0].system_metrics.find(
        (s) => s.key === 'system/cpu_utilization_percentage',
      );
      // Samples at steps 0, 1 and the final flush (2): 10 + step + round.
      expect(cpu).toMatchObject({ samples: 3, mean: 12, max: 13 });
      expect(rounds[0].system_metrics).toHaveLength(SYSTEM_METRICS.length);
      expect(rounds.map((r) => r.carries_model)).toEqual([false, false, true]);
    });

    it('pages rounds with page tokens', async () => {
      const first = await get(`projects/${replay.experimentId}/rounds`, { max_results: '2' });
      expect(first.status).toBe(200);
      expect((first.body.rounds as RoundJson[]).map((r) => r.round)).toEqual([1, 2]);
      const second = await get(`projects/${replay.experimentId}/rounds`, {
        max_results: '2',
        page_token: first.body.next_page_token as string,
      });
      expect((second.body.rounds as RoundJson[]).map((r) => r.round)).toEqual([3]);
      expect(second.body.next_page_token).toBeUndefined();
    });

    it('reads one round by number, and 404s a round that does not exist', async () => {
      const res = await get(`projects/${replay.experimentId}/rounds/2`);
      expect(res.status).toBe(200);
      expect((res.body.round as RoundJson).run_id).toBe(replay.runIds[1]);
      const missing = await get(`projects/${replay.experimentId}/rounds/9`);
      expect(missing.status).toBe(404);
      expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
      const bad = await get(`projects/${replay.experimentId}/rounds/zero`);
      expect(bad.status).toBe(400);
      expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    });

    it('serves the loss and accuracy series per round, and system means on demand', async () => {
      const res = await get(`projects/${replay.experimentId}/series`, {
        metrics: 'loss,accuracy',
        system: 'true',
      });
      expect(res.status).toBe(200);
      expect(res.body.project_id).toBe(projectId);
      const [loss, accuracy] = res.body.metrics as {
        key: string;
        points: { round: number; value: number }[];
      }[];
      expect(loss.key).toBe('loss');
      expect(loss.points.map((p) => [p.round, p.value])).toEqual([
        [1, 0.9],
        [2, 0.5],
        [3, 0.4],
      ]);
      expect(accuracy.points.map((p) => p.value)).toEqual([0.6, 0.8, 0.85]);
      const system = res.body.system as {
        key: string;
        points: { round: number; mean: number }[];
      }[];
      expect(system.map((s) => s.key)).toEqual([...SYSTEM_METRICS].sort());
      const cpu = system.find((s) => s.key === 'system/cpu_utilization_percentage');
      expect(cpu?.points.map((p) => [p.round, p.mean])).toEqual([
        [1, 12],
        [2, 13],
        [3, 14],
      ]);
    });

    it('answers the best round', async () => {
      const res = await get(`projects/${replay.experimentId}/best-round`);
      expect(res.status).toBe(200);
      expect(res.body.objective).toBe('aggregator');
      expect(res.body.best_round.round).toBe(3);
      expect(res.body.best_round.run_id).toBe(replay.runIds[2]);
    });
  });

  it('picks a best round that is not the last, the model still in the last round', async () => {
    const replay = await replayAggregator(t.http, {
      projectId: 'best-not-last',
      rounds: [
        { loss: 0.8, accuracy: 0.6 },
        { loss: 0.3, accuracy: 0.9 },
        // Accuracy higher but loss higher too: the aggregator keeps round 2's model.
        { loss: 0.5, accuracy: 0.92 },
      ],
    });
    const res = await get(`projects/${replay.experimentId}`);
    const project = res.body.project as ProjectJson;
    expect(project.best_round?.round).toBe(2);
    expect(metricOf(project.best_round?.metrics ?? [], 'loss')).toBe(0.3);
    expect(project.model?.round).toBe(3);
    expect(project.model?.run_id).toBe(replay.runIds[2]);
  });

  it('follows a custom objective from the flops.objective tag, as rounds arrive', async () => {
    const replay = await replayAggregator(t.http, {
      projectId: 'custom-objective',
      rounds: [
        { loss: 0.2, accuracy: 0.5 },
        { loss: 0.4, accuracy: 0.9 },
      ],
      skipModel: true,
    });
    const tag = await t.http
      .post('/api/2.0/mlflow/experiments/set-experiment-tag')
      .send({ experiment_id: replay.experimentId, key: 'flops.objective', value: 'loss:min' });
    expect(tag.status).toBe(200);
    let best = await get(`projects/${replay.experimentId}/best-round`);
    expect(best.body).toMatchObject({ objective: 'loss:min', best_round: { round: 1 } });

    await t.http
      .post('/api/2.0/mlflow/experiments/set-experiment-tag')
      .send({ experiment_id: replay.experimentId, key: 'flops.objective', value: 'accuracy:max' });
    best = await get(`projects/${replay.experimentId}/best-round`);
    expect(best.body).toMatchObject({ objective: 'accuracy:max', best_round: { round: 2 } });

    // A third round arrives through the explicit API and becomes the best.
    const started = await post(`projects/${replay.experimentId}/rounds`, { round: 3 });
    expect(started.status).toBe(200);
    const finished = await post(`projects/${replay.experimentId}/rounds/3/finish`, {
      metrics: [{ key: 'accuracy', value: 0.95 }],
    });
    expect(finished.status).toBe(200);
    best = await get(`projects/${replay.experimentId}/best-round`);
    expect(best.body.best_round.round).toBe(3);
    const project = (await get(`projects/${replay.experimentId}`)).body.project as ProjectJson;
    expect(project.model_uploaded).toBe(false);
  });

  it('nests cluster-level rounds under the cycles of a hierarchical project', async () => {
    const replay = await replayAggregator(t.http, {
      projectId: 'hierarchical',
      rounds: [
        { loss: 0.7, accuracy: 0.7 },
        { loss: 0.6, accuracy: 0.75 },
      ],
      clusterRoundsPerCycle: 2,
    });
    const project = (await get(`projects/${replay.experimentId}`)).body.project as ProjectJson;
    expect(project).toMatchObject({ mode: 'hierarchical', rounds: 2, last_round: 2 });
    const rounds = (await get(`projects/${replay.experimentId}/rounds`)).body.rounds as RoundJson[];
    expect(rounds.map((r) => r.run_id)).toEqual(replay.runIds);
    expect(rounds[1].cluster_rounds.map((c) => [c.round, c.cycle, c.run_id])).toEqual([
      [1, 2, replay.clusterRunIds[1][0]],
      [2, 2, replay.clusterRunIds[1][1]],
    ]);
    const nested = await get(`projects/${replay.experimentId}/rounds/2`, { cycle: '1' });
    expect(nested.status).toBe(200);
    expect((nested.body.round as RoundJson).run_id).toBe(replay.clusterRunIds[0][1]);
  });

  describe('the explicit API (aggregators that are not MLflow clients)', () => {
    it('creates a project and its rounds as an experiment and runs MLflow clients see', async () => {
      const created = await post('projects', {
        project_id: 'explicit-1',
        objective: 'accuracy:max,loss:min',
      });
      expect(created.status).toBe(200);
      const project = created.body.project as ProjectJson;
      expect(project).toMatchObject({
        project_id: 'explicit-1',
        name: 'FLOps Project explicit-1',
        state: 'active',
        rounds: 0,
        objective: 'accuracy:max,loss:min',
      });
      const id = project.experiment_id;

      const started = await post(`projects/${id}/rounds`, {
        round: 1,
        start_time: 1_733_200_000_000,
        params: [{ key: 'min_fit_clients', value: '3' }],
        aggregation: { participants_selected: 3 },
      });
      expect(started.status).toBe(200);
      expect(started.body.round).toMatchObject({
        round: 1,
        status: 'RUNNING',
        run_name: 'FLOps FL round 1',
        params: [{ key: 'min_fit_clients', value: '3' }],
        aggregation: { participants_selected: 3 },
      });
      expect((await get(`projects/${id}`)).body.project.state).toBe('active');
      const again = await post(`projects/${id}/rounds`, { round: 1 });
      expect(again.status).toBe(400);
      expect(again.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');

      const finished = await post(`projects/${id}/rounds/1/finish`, {
        end_time: 1_733_200_030_000,
        metrics: [
          { key: 'accuracy', value: 0.7 },
          { key: 'loss', value: 0.4 },
        ],
        aggregation: { participants_succeeded: 2, participants_failed: 1, examples: 6000 },
      });
      expect(finished.status).toBe(200);
      expect(finished.body.round).toMatchObject({
        status: 'FINISHED',
        duration_ms: 30_000,
        aggregation: {
          participants_selected: 3,
          participants_succeeded: 2,
          participants_failed: 1,
          examples: 6000,
        },
      });

      const run = await t.http
        .get('/api/2.0/mlflow/runs/get')
        .query({ run_id: started.body.round.run_id as string });
      expect(run.body.run.info).toMatchObject({ run_name: 'FLOps FL round 1', status: 'FINISHED' });
      const tags = run.body.run.data.tags as { key: string; value: string }[];
      expect(tags).toEqual(expect.arrayContaining([{ key: 'flops.round', value: '1' }]));
      const experiment = await t.http
        .get('/api/2.0/mlflow/experiments/get-by-name')
        .query({ experiment_name: 'FLOps Project explicit-1' });
      expect(experiment.body.experiment.experiment_id).toBe(id);
      expect((await get(`projects/${id}`)).body.project).toMatchObject({
        state: 'finished',
        best_round: { round: 1 },
      });

      const failed = await post(`projects/${id}/rounds`, { round: 2 });
      expect(failed.status).toBe(200);
      await post(`projects/${id}/rounds/2/finish`, { status: 'FAILED' });
      expect((await get(`projects/${id}`)).body.project.state).toBe('failed');
      const list = await get('projects', { state: 'failed', name: 'explicit-' });
      expect((list.body.projects as ProjectJson[]).map((p) => p.experiment_id)).toEqual([id]);
    });

    it('refuses a taken project, bad ids, objectives, metrics and tokens before writing', async () => {
      const dupProject = await post('projects', { project_id: 'dup' });
      expect(dupProject.status).toBe(200);
      const dupId = dupProject.body.project.experiment_id as string;
      for (const [body, status, code] of [
        [
          {
            round: 1,
            params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })),
          },
          400,
          'INVALID_PARAMETER_VALUE',
        ],
        [{ round: 1, params: [{ key: 'bad//key', value: '1' }] }, 400, 'INVALID_PARAMETER_VALUE'],
        [{ round: 1, cycle: 5 }, 404, 'RESOURCE_DOES_NOT_EXIST'],
        [{ round: 0 }, 400, 'INVALID_PARAMETER_VALUE'],
        [{ round: 'one' }, 400, 'INVALID_PARAMETER_VALUE'],
      ] as [Record<string, unknown>, number, string][]) {
        const res = await post(`projects/${dupId}/rounds`, body);
        const shown = JSON.stringify(body).slice(0, 40);
        expect([shown, res.status, res.body.error_code]).toEqual([shown, status, code]);
      }
      expect((await get(`projects/${dupId}`)).body.project.rounds).toBe(0);
      const runs = await t.http
        .post('/api/2.0/mlflow/runs/search')
        .send({ experiment_ids: [dupId] });
      expect(runs.body.runs).toBeUndefined();
      const dup = await post('projects', { project_id: 'dup' });
      expect(dup.status).toBe(400);
      expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
      for (const body of [
        {},
        { project_id: '' },
        { project_id: 'a/b' },
        { project_id: 'x'.repeat(201) },
        { project_id: 'ok', objective: 'accuracy:up' },
      ]) {
        const res = await post('projects', body);
        expect(res.status).toBe(400);
        expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      }
      expect((await get('projects', { name: 'ok' })).body.projects).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ project_id: 'ok' })]),
      );
      for (const [path, query] of [
        ['projects/abc', {}],
        ['projects', { page_token: '!!!' }],
        ['projects', { max_results: '0' }],
        ['projects', { state: 'sleeping' }],
        ['projects', { order_by: 'bogus DESC' }],
        ['projects/1/series', { metrics: 'a//b' }],
        ['projects/1/series', {}],
        ['projects/1/series', { metrics: Array.from({ length: 21 }, (_, i) => `m${i}`).join(',') }],
        ['series', { projects: '', metrics: 'loss' }],
        ['series', { projects: 'x', metrics: 'loss' }],
        ['projects/1/export', { format: 'xls' }],
      ] as [string, Record<string, string>][]) {
        const res = await get(path, query);
        expect([path, res.status, res.body.error_code]).toEqual([
          path,
          400,
          'INVALID_PARAMETER_VALUE',
        ]);
      }
    });

    it('answers 404 for a missing experiment and for one that is no project', async () => {
      const plain = await t.http
        .post('/api/2.0/mlflow/experiments/create')
        .send({ name: 'just an experiment' });
      for (const id of ['987654', plain.body.experiment_id as string]) {
        const res = await get(`projects/${id}`);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({
          error_code: 'RESOURCE_DOES_NOT_EXIST',
          message: `No FLOps project with experiment id=${id} exists`,
        });
      }
    });
  });

  it('compares the series of several projects', async () => {
    const a = await replayAggregator(t.http, {
      projectId: 'compare-a',
      rounds: [{ loss: 0.5, accuracy: 0.5 }],
      skipModel: true,
    });
    const b = await replayAggregator(t.http, {
      projectId: 'compare-b',
      rounds: [
        { loss: 0.4, accuracy: 0.6 },
        { loss: 0.3, accuracy: 0.7 },
      ],
      skipModel: true,
    });
    const res = await get('series', {
      projects: `${a.experimentId},${b.experimentId}`,
      metrics: 'accuracy',
    });
    expect(res.status).toBe(200);
    const projects = res.body.projects as {
      project_id: string;
      metrics: { key: string; points: { round: number; value: number }[] }[];
    }[];
    expect(projects.map((p) => p.project_id)).toEqual(['compare-a', 'compare-b']);
    expect(projects[1].metrics[0].points.map((p) => [p.round, p.value])).toEqual([
      [1, 0.6],
      [2, 0.7],
    ]);
  });

  it('exports rounds as spreadsheet-safe CSV and as JSON', async () => {
    const replay = await replayAggregator(t.http, {
      projectId: 'export',
      rounds: [
        { loss: 0.5, accuracy: 0.5 },
        { loss: 0.4, accuracy: 0.6 },
      ],
      skipModel: true,
    });
    // A param value a spreadsheet would run as a formula, with a comma and a quote in it.
    const run = await t.http
      .post('/api/2.0/mlflow/runs/log-parameter')
      .send({ run_id: replay.runIds[0], key: 'note', value: '=HYPERLINK("x","y")' });
    expect(run.status).toBe(200);
    const csv = await get(`projects/${replay.experimentId}/export`, { format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 3)).toEqual(['round', 'run_id', 'status']);
    expect(header).toEqual(expect.arrayContaining(['metric.accuracy', 'param.note']));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"",""y"")"`);
    const json = await get(`projects/${replay.experimentId}/export`, { format: 'json' });
    expect(json.status).toBe(200);
    const body = JSON.parse(json.text) as { project: ProjectJson; rounds: RoundJson[] };
    expect(body.project.project_id).toBe('export');
    expect(body.rounds.map((r) => r.round)).toEqual([1, 2]);
  });

  it('orders and pages the project list', async () => {
    const all = await get('projects', { order_by: 'rounds DESC', max_results: '1000' });
    expect(all.status).toBe(200);
    const counts = (all.body.projects as ProjectJson[]).map((p) => p.rounds);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    const first = await get('projects', { order_by: 'project_id ASC', max_results: '2' });
    const second = await get('projects', {
      order_by: 'project_id ASC',
      max_results: '2',
      page_token: first.body.next_page_token as string,
    });
    const ids = [...first.body.projects, ...second.body.projects].map(
      (p: ProjectJson) => p.project_id,
    );
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(4);
  });
});

describe.each(BACKENDS)('FLOps view with configured name patterns on %s', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(backend, {
      env: {
        FLOPS_PROJECT_NAME_PATTERN: 'Federated <id> (prod)',
        FLOPS_ROUND_NAME_PATTERN: 'r<n>',
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('recognises projects and rounds by the configured patterns only', async () => {
    const replay = await replayAggregator(t.http, {
      projectId: 'p-1',
      experimentName: 'Federated p-1 (prod)',
      roundName: (n) => `r${n}`,
      rounds: [
        { loss: 0.5, accuracy: 0.5 },
        { loss: 0.4, accuracy: 0.6 },
      ],
      skipModel: true,
    });
    const reference = await replayAggregator(t.http, {
      projectId: 'reference-name',
      rounds: [{ loss: 0.5, accuracy: 0.5 }],
      skipModel: true,
    });
    const project = await t.http.get(`${FLOPS}/projects/${replay.experimentId}`);
    expect(project.body.project).toMatchObject({ project_id: 'p-1', rounds: 2, last_round: 2 });
    const other = await t.http.get(`${FLOPS}/projects/${reference.experimentId}`);
    expect(other.status).toBe(404);
    const created = await t.http.post(`${FLOPS}/projects`).send({ project_id: 'p-2' });
    expect(created.body.project.name).toBe('Federated p-2 (prod)');
    const round = await t.http
      .post(`${FLOPS}/projects/${created.body.project.experiment_id as string}/rounds`)
      .send({ round: 4 });
    expect(round.body.round.run_name).toBe('r4');
  });
});
