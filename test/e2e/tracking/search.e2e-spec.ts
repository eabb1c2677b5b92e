import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import { createExperiment, createRuns, RunSeed, seedRuns } from './run-fixtures';

interface RunJson {
  info: { run_id: string; run_name: string };
}

const names = (body: { runs?: RunJson[] }) => (body.runs ?? []).map((r) => r.info.run_name);

/**
 * Six active runs and one deleted run, created through the API. Default order is start_time DESC:
 * Search-Epsilon, delta, gamma, beta, alpha, eta.
 */
const RUNS: RunSeed[] = [
  {
    name: 'search-alpha',
    startTime: 1000,
    endTime: 5000,
    status: 'FINISHED',
    userId: 'alice',
    metrics: { acc: 0.9, loss: 0.1 },
    params: { group: 'a', lr: '0.1' },
    tags: { env: 'prod', 'mlflow.source.type': 'LOCAL', 'my tag': 'x' },
    datasets: [{ name: 'train-ds', digest: 'd1', context: 'training' }],
  },
  {
    name: 'search-beta',
    startTime: 2000,
    endTime: 6000,
    status: 'FINISHED',
    userId: 'bob',
    metrics: { acc: 0.7 },
    params: { group: 'b' },
    tags: { env: 'Prod' },
    datasets: [{ name: 'eval-ds', digest: 'd2', context: 'eval' }],
  },
  {
    name: 'search-gamma',
    startTime: 3000,
    userId: 'alice',
    metrics: { acc: 0.3, loss: NaN },
    params: { group: 'a' },
    tags: { env: 'dev' },
    datasets: [{ name: 'raw-ds', digest: 'd3' }],
  },
  {
    name: 'search-delta',
    startTime: 4000,
    userId: 'carol',
    metrics: { acc: NaN },
    params: { group: 'B' },
    tags: { env: 'dev' },
  },
  { name: 'Search-Epsilon', startTime: 5000, status: 'FAILED', tags: { env: 'staging' } },
  { name: 'search-zeta', startTime: 6000, deleted: true, metrics: { acc: 0.95 } },
  { name: 'search-eta', startTime: 500, metrics: { acc: 0.5 } },
];

describe.each(BACKENDS)('runs/search on %s', (backend) => {
  let t: TestApp;
  let exp: string;
  let ids: Record<string, string>;

  const post = (path: string, body: unknown, prefix = '/api/2.0/mlflow') =>
    t.http
      .post(`${prefix}/${path}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  const search = (body: Record<string, unknown>) =>
    post('runs/search', { experiment_ids: [exp], max_results: 1000, ...body });
  const filtered = async (filter: string, extra: Record<string, unknown> = {}) => {
    const res = await search({ filter, ...extra });
    expect(res.status).toBe(200);
    return names(res.body);
  };
  const ordered = async (...orderBy: string[]) => {
    const res = await search({ order_by: orderBy });
    expect(res.status).toBe(200);
    return names(res.body);
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    exp = await createExperiment(t, 'search-e2e');
    const uuids = await createRuns(t, exp, RUNS);
    ids = Object.fromEntries(RUNS.map((r, i) => [r.name, uuids[i]]));
  });

  afterAll(async () => {
    await t.close();
  });

  it('returns full runs in MLflow key order, newest first by default', async () => {
    const res = await search({});
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['runs']);
    expect(names(res.body)).toEqual([
      'Search-Epsilon',
      'search-delta',
      'search-gamma',
      'search-beta',
      'search-alpha',
      'search-eta',
    ]);
    const alpha = res.body.runs[4];
    expect(Object.keys(alpha)).toEqual(['info', 'data', 'inputs']);
    expect(alpha.info).toEqual({
      run_uuid: ids['search-alpha'],
      experiment_id: exp,
      run_name: 'search-alpha',
      user_id: 'alice',
      status: 'FINISHED',
      start_time: 1000,
      end_time: 5000,
      artifact_uri: `mlflow-artifacts:/${exp}/${ids['search-alpha']}/artifacts`,
      lifecycle_stage: 'active',
      run_id: ids['search-alpha'],
    });
    expect(alpha.data).toEqual({
      metrics: [
        { key: 'acc', value: 0.9, timestamp: 1732600000000, step: 0 },
        { key: 'loss', value: 0.1, timestamp: 1732600000000, step: 0 },
      ],
      params: [
        { key: 'group', value: 'a' },
        { key: 'lr', value: '0.1' },
      ],
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'mlflow.runName', value: 'search-alpha' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
        { key: 'my tag', value: 'x' },
      ],
    });
    expect(alpha.inputs.dataset_inputs).toEqual([
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: {
          name: 'train-ds',
          digest: 'd1',
          source_type: 'local',
          source: '{"uri": "data.csv"}',
        },
      },
    ]);
    const epsilon = res.body.runs[0];
    expect(epsilon.data.metrics).toBeUndefined();
    expect(epsilon.data.params).toBeUndefined();
    expect(epsilon.inputs).toEqual({});
    expect(epsilon.info.end_time).toBeUndefined();
    expect(res.body.runs[1].data.metrics).toEqual([
      { key: 'acc', value: 'NaN', timestamp: 1732600000000, step: 0 },
    ]);
  });

  it('filters on latest metrics with every numeric comparator; NaN and missing never match', async () => {
    expect(await filtered('metrics.acc > 0.5')).toEqual(['search-beta', 'search-alpha']);
    expect(await filtered('metrics.acc >= 0.5')).toEqual([
      'search-beta',
      'search-alpha',
      'search-eta',
    ]);
    expect(await filtered('metrics.acc = 0.7')).toEqual(['search-beta']);
    expect(await filtered('metrics.acc != 0.7')).toEqual([
      'search-gamma',
      'search-alpha',
      'search-eta',
    ]);
    expect(await filtered('metrics.acc < 0.5')).toEqual(['search-gamma']);
    expect(await filtered('metrics.acc <= 0.5')).toEqual(['search-gamma', 'search-eta']);
    expect(await filtered('metrics.loss != 1')).toEqual(['search-alpha']);
    // NaN is stored as 0 with a flag: comparisons that 0 satisfies must still skip it.
    expect(await filtered('metrics.acc = 0')).toEqual([]);
    expect(await filtered('metrics.acc <= 0')).toEqual([]);
    expect(await filtered('metrics.acc >= 0')).toHaveLength(4);
    expect(await filtered('metrics.acc > 0')).toHaveLength(4);
    expect(await filtered('metric.acc > -1 and metrics.loss < 1')).toEqual(['search-alpha']);
  });

  it('filters params and tags with = != LIKE ILIKE, only over runs that have the key', async () => {
    expect(await filtered("params.group = 'a'")).toEqual(['search-gamma', 'search-alpha']);
    expect(await filtered("params.group != 'a'")).toEqual(['search-delta', 'search-beta']);
    expect(await filtered("params.group LIKE 'b'")).toEqual(['search-beta']);
    expect(await filtered("param.group ILIKE 'b'")).toEqual(['search-delta', 'search-beta']);
    expect(await filtered("tags.env = 'prod'")).toEqual(['search-alpha']);
    expect(await filtered("tags.env != 'dev'")).toEqual([
      'Search-Epsilon',
      'search-beta',
      'search-alpha',
    ]);
    expect(await filtered("tags.env LIKE 'pro%'")).toEqual(['search-alpha']);
    expect(await filtered("tag.env ILIKE 'PRO%'")).toEqual(['search-beta', 'search-alpha']);
    expect(await filtered("tags.env LIKE '_ev'")).toEqual(['search-delta', 'search-gamma']);
    expect(await filtered("tags.`mlflow.source.type` = 'LOCAL'")).toEqual(['search-alpha']);
    expect(await filtered('tags."my tag" = "x"')).toEqual(['search-alpha']);
    expect(await filtered("params.lr = '0.1' and params.group = 'a'")).toEqual(['search-alpha']);
    expect(await filtered("params.missing != 'x'")).toEqual([]);
  });

  it('filters string attributes, LIKE case-sensitive and ILIKE not', async () => {
    expect(await filtered("attributes.run_name = 'search-beta'")).toEqual(['search-beta']);
    expect(await filtered("run_name != 'search-beta'")).toHaveLength(5);
    expect(await filtered("attributes.run_name LIKE 'search-%'")).toEqual([
      'search-delta',
      'search-gamma',
      'search-beta',
      'search-alpha',
      'search-eta',
    ]);
    expect(await filtered("attributes.run_name ILIKE 'SEARCH-%'")).toHaveLength(6);
    expect(await filtered("attributes.run_name LIKE 'Search-%'")).toEqual(['Search-Epsilon']);
    expect(await filtered("attributes.status = 'FINISHED'")).toEqual([
      'search-beta',
      'search-alpha',
    ]);
    expect(await filtered("status != 'RUNNING'")).toEqual([
      'Search-Epsilon',
      'search-beta',
      'search-alpha',
    ]);
    expect(await filtered("attr.user_id = 'alice'")).toEqual(['search-gamma', 'search-alpha']);
    expect(await filtered("user_id ILIKE 'AL%'")).toEqual(['search-gamma', 'search-alpha']);
    expect(await filtered(`artifact_uri LIKE '%${ids['search-beta']}%'`)).toEqual(['search-beta']);
  });

  it('filters numeric attributes start_time / created / end_time', async () => {
    expect(await filtered('attributes.start_time >= 3000')).toEqual([
      'Search-Epsilon',
      'search-delta',
      'search-gamma',
    ]);
    expect(await filtered('created < 2500')).toEqual(['search-beta', 'search-alpha', 'search-eta']);
    expect(await filtered('start_time = 2000')).toEqual(['search-beta']);
    expect(await filtered('start_time != 2000')).toHaveLength(5);
    expect(await filtered('end_time <= 5000')).toEqual(['search-alpha']);
    expect(await filtered('end_time > 5000')).toEqual(['search-beta']);
  });

  it('filters run_id with = != IN and NOT IN', async () => {
    const a = ids['search-alpha'];
    const g = ids['search-gamma'];
    expect(await filtered(`attributes.run_id = '${a}'`)).toEqual(['search-alpha']);
    expect(await filtered(`run_id != '${a}'`)).toHaveLength(5);
    expect(await filtered(`attributes.run_id IN ('${a}', '${g}')`)).toEqual([
      'search-gamma',
      'search-alpha',
    ]);
    expect(await filtered(`attributes.run_id NOT IN ('${a}', "${g}")`)).toEqual([
      'Search-Epsilon',
      'search-delta',
      'search-beta',
      'search-eta',
    ]);
    expect(await filtered(`run_id in ('${ids['search-zeta']}')`)).toEqual([]);
  });

  it('filters on datasets by name, digest and context', async () => {
    expect(await filtered("datasets.name = 'train-ds'")).toEqual(['search-alpha']);
    expect(await filtered("datasets.name LIKE '%-ds'")).toEqual([
      'search-gamma',
      'search-beta',
      'search-alpha',
    ]);
    expect(await filtered("dataset.digest IN ('d1', 'd2')")).toEqual([
      'search-beta',
      'search-alpha',
    ]);
    expect(await filtered("datasets.digest NOT IN ('d1')")).toEqual([
      'search-gamma',
      'search-beta',
    ]);
    expect(await filtered("datasets.context = 'eval'")).toEqual(['search-beta']);
    expect(await filtered("datasets.context ILIKE 'TRAIN%'")).toEqual(['search-alpha']);
    expect(await filtered("datasets.context != 'eval'")).toEqual(['search-alpha']);
  });

  it('combines clauses with AND and orders by the filtered metric', async () => {
    expect(
      await filtered("metrics.acc > 0.2 and params.group = 'a'", {
        order_by: ['metrics.acc DESC'],
      }),
    ).toEqual(['search-alpha', 'search-gamma']);
  });

  it('orders by metrics with real numbers, then NaN, then missing, in both directions', async () => {
    expect(await ordered('metrics.acc DESC')).toEqual([
      'search-alpha',
      'search-beta',
      'search-eta',
      'search-gamma',
      'search-delta',
      'Search-Epsilon',
    ]);
    expect(await ordered('metrics.acc ASC')).toEqual([
      'search-gamma',
      'search-eta',
      'search-beta',
      'search-alpha',
      'search-delta',
      'Search-Epsilon',
    ]);
    // loss: alpha 0.1, gamma NaN, the rest missing (then start_time DESC, no start time last).
    expect(await ordered('metrics.loss')).toEqual([
      'search-alpha',
      'search-gamma',
      'Search-Epsilon',
      'search-delta',
      'search-beta',
      'search-eta',
    ]);
  });

  it('orders by params and tags with missing values last in both directions', async () => {
    expect(await ordered('params.group ASC')).toEqual([
      'search-gamma',
      'search-alpha',
      'search-delta',
      'search-beta',
      'Search-Epsilon',
      'search-eta',
    ]);
    expect(await ordered('params.group DESC')).toEqual([
      'search-delta',
      'search-beta',
      'search-gamma',
      'search-alpha',
      'Search-Epsilon',
      'search-eta',
    ]);
    expect(await ordered('tags.env')).toEqual([
      'search-delta',
      'search-gamma',
      'search-beta',
      'search-alpha',
      'Search-Epsilon',
      'search-eta',
    ]);
    expect(await ordered('tags.`mlflow.source.type` DESC', 'attributes.start_time ASC')).toEqual([
      'search-alpha',
      'search-eta',
      'search-beta',
      'search-gamma',
      'search-delta',
      'Search-Epsilon',
    ]);
  });

  it('orders by attributes; names compare case-insensitively as MLflow on MariaDB', async () => {
    expect(await ordered('attributes.run_name DESC')).toEqual([
      'search-gamma',
      'search-eta',
      'Search-Epsilon',
      'search-delta',
      'search-beta',
      'search-alpha',
    ]);
    expect(await ordered('run_name')).toEqual([
      'search-alpha',
      'search-beta',
      'search-delta',
      'Search-Epsilon',
      'search-eta',
      'search-gamma',
    ]);
    expect(await ordered('attributes.start_time ASC')).toEqual([
      'search-eta',
      'search-alpha',
      'search-beta',
      'search-gamma',
      'search-delta',
      'Search-Epsilon',
    ]);
    expect(await ordered('end_time DESC')).toEqual([
      'search-beta',
      'search-alpha',
      'Search-Epsilon',
      'search-delta',
      'search-gamma',
      'search-eta',
    ]);
    expect(await ordered('end_time ASC')).toEqual([
      'search-alpha',
      'search-beta',
      'Search-Epsilon',
      'search-delta',
      'search-gamma',
      'search-eta',
    ]);
    expect(await ordered('user_id DESC', 'created ASC')).toEqual([
      'search-eta',
      'Search-Epsilon',
      'search-delta',
      'search-beta',
      'search-alpha',
      'search-gamma',
    ]);
    const byId = await ordered('attributes.run_id DESC');
    const sortedIds = Object.entries(ids)
      .filter(([name]) => name !== 'search-zeta')
      .sort(([, a], [, b]) => (a < b ? 1 : -1))
      .map(([name]) => name);
    expect(byId).toEqual(sortedIds);
  });

  it('breaks ties by start_time DESC, then run_id ASC; no start time sorts last', async () => {
    const tieExp = await createExperiment(t, 'search-ties');
    // Written to the store directly: the API always sets a start time.
    const tied = await seedRuns(t, tieExp, [
      { name: 'tie-1', startTime: 10, metrics: { m: 1 } },
      { name: 'tie-2', startTime: 10, metrics: { m: 1 } },
      { name: 'tie-3', startTime: 10, metrics: { m: 1 } },
      { name: 'tie-4', startTime: 20, metrics: { m: 1 } },
      { name: 'no-start', startTime: null, metrics: { m: 1 } },
    ]);
    const byId = new Map(tied.map((id, i) => [id, i < 4 ? `tie-${i + 1}` : 'no-start']));
    const tiedAt10 = tied
      .slice(0, 3)
      .sort()
      .map((id) => byId.get(id));
    const tieSearch = async (order_by: string[]) =>
      names((await post('runs/search', { experiment_ids: [tieExp], order_by })).body);
    expect(await tieSearch(['metrics.m'])).toEqual(['tie-4', ...tiedAt10, 'no-start']);
    expect(await tieSearch(['start_time ASC'])).toEqual([...tiedAt10, 'tie-4', 'no-start']);
    expect(await tieSearch(['start_time DESC'])).toEqual(['tie-4', ...tiedAt10, 'no-start']);
    expect(await tieSearch([])).toEqual(['tie-4', ...tiedAt10, 'no-start']);
  });

  it('pages with opaque tokens; a full last page still carries a token, as MLflow', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    const pages: number[] = [];
    do {
      const res = await search({ max_results: 2, ...(token ? { page_token: token } : {}) });
      expect(res.status).toBe(200);
      seen.push(...names(res.body));
      pages.push(names(res.body).length);
      token = res.body.next_page_token;
      if (token) expect(typeof token).toBe('string');
    } while (token);
    expect(pages).toEqual([2, 2, 2, 0]);
    expect(seen).toEqual([
      'Search-Epsilon',
      'search-delta',
      'search-gamma',
      'search-beta',
      'search-alpha',
      'search-eta',
    ]);
    const partial = await search({ max_results: 4 });
    expect(partial.body.next_page_token).toEqual(expect.any(String));
    const last = await search({ max_results: 4, page_token: partial.body.next_page_token });
    expect(names(last.body)).toEqual(['search-alpha', 'search-eta']);
    expect(last.body.next_page_token).toBeUndefined();
  });

  it('honours run_view_type', async () => {
    const deleted = await search({ run_view_type: 'DELETED_ONLY' });
    expect(names(deleted.body)).toEqual(['search-zeta']);
    expect(deleted.body.runs[0].info.lifecycle_stage).toBe('deleted');
    expect(await filtered("run_name LIKE '%zeta'", { run_view_type: 'ALL' })).toEqual([
      'search-zeta',
    ]);
    expect(await filtered('metrics.acc > 0.9')).toEqual([]);
    expect(await filtered('metrics.acc > 0.9', { run_view_type: 3 })).toEqual(['search-zeta']);
    expect((await search({ run_view_type: 'ALL' })).body.runs).toHaveLength(7);
  });

  it('covers several experiments, none, and unknown ones', async () => {
    const other = await createExperiment(t, 'search-other');
    await seedRuns(t, other, [{ name: 'other-run', startTime: 99999 }]);
    const both = await post('runs/search', { experiment_ids: [exp, Number(other)] });
    expect(names(both.body)[0]).toBe('other-run');
    expect(both.body.runs).toHaveLength(7);
    for (const body of [
      { experiment_ids: [] },
      {},
      { experiment_ids: ['999999'] },
      { experiment_ids: ['not-a-number'] },
    ]) {
      const res = await post('runs/search', { ...body, run_view_type: 'ACTIVE_ONLY' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    }
    const tooMany = await post('runs/search', {
      experiment_ids: Array.from({ length: 30001 }, (_, i) => String(i)),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(tooMany.body.message).toMatch(/^The search is too large/);
  });

  it('rejects bad input with MLflow messages before touching the store', async () => {
    const cases: [Record<string, unknown>, string | RegExp][] = [
      [
        { max_results: 50001 },
        "Invalid value 50001 for parameter 'max_results' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters.",
      ],
      [
        { max_results: 0 },
        "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer",
      ],
      [{ filter: 'metrics.acc >>> 1' }, /^Invalid comparator '>>>' not one of /],
      [
        { filter: "params.group = 'a' OR params.group = 'b'" },
        "Invalid clause(s) in filter string: 'OR'",
      ],
      [
        { filter: 'params.group = a' },
        'Parameter value is either not quoted or unidentified quote types used for string value a. Use either single or double quotes.',
      ],
      [
        { order_by: ['metrics.acc SIDEWAYS'] },
        "Invalid ordering key in order_by clause 'metrics.acc SIDEWAYS'.",
      ],
      [{ order_by: ['metrics.acc', 'metrics.acc DESC'] }, /duplicate/],
      [{ page_token: 'not-a-token' }, 'Invalid page token, could not base64-decode'],
      [{ filter: "run_name IN ('a')" }, /Only the 'run_id' attribute supports/],
    ];
    for (const [body, message] of cases) {
      const res = await search(body);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      if (typeof message === 'string') expect(res.body.message).toBe(message);
      else expect(res.body.message).toMatch(message);
    }
  });

  it('is POST only and needs a JSON content type', async () => {
    const get = await t.http.get(`/api/2.0/mlflow/runs/search?experiment_ids=${exp}`);
    expect(get.status).toBe(404);
    expect(get.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    const text = await t.http
      .post('/api/2.0/mlflow/runs/search')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ experiment_ids: [exp] }));
    expect(text.status).toBe(400);
    const ajax = await post('runs/search', { experiment_ids: [exp] }, '/ajax-api/2.0/mlflow');
    expect(ajax.body.runs).toHaveLength(6);
  });

  it('summarises datasets of 1..20 experiments, on the ajax route only', async () => {
    const res = await post(
      'experiments/search-datasets',
      { experiment_ids: [Number(exp)] },
      '/ajax-api/2.0/mlflow',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      dataset_summaries: [
        { experiment_id: exp, name: 'eval-ds', digest: 'd2', context: 'eval' },
        { experiment_id: exp, name: 'raw-ds', digest: 'd3' },
        { experiment_id: exp, name: 'train-ds', digest: 'd1', context: 'training' },
      ],
    });
    expect(Object.keys(res.body.dataset_summaries[0])).toEqual([
      'experiment_id',
      'name',
      'digest',
      'context',
    ]);
    const none = await post(
      'experiments/search-datasets',
      { experiment_ids: ['999999'] },
      '/ajax-api/2.0/mlflow',
    );
    expect(none.body).toEqual({ dataset_summaries: [] });
    const empty = await post('experiments/search-datasets', {}, '/ajax-api/2.0/mlflow');
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe(
      'SearchDatasets request must specify at least one experiment_id.',
    );
    const many = await post(
      'experiments/search-datasets',
      { experiment_ids: Array.from({ length: 21 }, (_, i) => String(i)) },
      '/ajax-api/2.0/mlflow',
    );
    expect(many.status).toBe(400);
    expect(many.body.message).toBe(
      'SearchDatasets request cannot specify more than 20 experiment_ids. Received 21 experiment_ids.',
    );
    const api = await post('experiments/search-datasets', { experiment_ids: [exp] });
    expect(api.status).toBe(404);
    expect(api.body.error_code).toBe('ENDPOINT_NOT_FOUND');
  });

  it('pages by a metric exactly as one full sort: ties, NaN, missing, both directions', async () => {
    // Few distinct values (many ties), shared start times (ties broken by run id), NaN and
    // missing values, and a second experiment whose runs hold the best values of the same key.
    const paged = await createExperiment(t, 'search-metric-pages');
    const other = await createExperiment(t, 'search-metric-pages-other');
    const valueOf = (i: number) => (i % 13 === 0 ? NaN : i % 17 === 0 ? undefined : (i * 7) % 9);
    const seeds: RunSeed[] = Array.from({ length: 400 }, (_, i): RunSeed => {
      const m = valueOf(i);
      return {
        name: `page-${i}`,
        startTime: 1732600000000 + (i % 50),
        metrics: m === undefined ? {} : { m },
        params: { p: i % 3 === 0 ? 'b' : 'a' },
      };
    });
    const uuids = await seedRuns(t, paged, seeds);
    await seedRuns(
      t,
      other,
      Array.from({ length: 300 }, (_, i) => ({ name: `other-${i}`, metrics: { m: 100 + i } })),
    );
    const rows = seeds
      .map((s, i) => ({
        name: s.name,
        id: uuids[i],
        m: valueOf(i),
        p: s.params!.p,
        start: s.startTime!,
      }))
      .filter((r) => r.p === 'a');
    const rank = (m: number | undefined) => (m === undefined ? 2 : Number.isNaN(m) ? 1 : 0);
    for (const ascending of [false, true]) {
      const expected = [...rows]
        .sort(
          (a, b) =>
            rank(a.m) - rank(b.m) ||
            (rank(a.m) === 0 ? (ascending ? a.m! - b.m! : b.m! - a.m!) : 0) ||
            b.start - a.start ||
            (a.id < b.id ? -1 : 1),
        )
        .map((r) => r.name);
      for (const pageSize of [9, 100]) {
        const all: string[] = [];
        let token: string | undefined;
        do {
          const res = await post('runs/search', {
            experiment_ids: [paged],
            filter: "params.p = 'a'",
            order_by: [`metrics.m ${ascending ? 'ASC' : 'DESC'}`],
            max_results: pageSize,
            ...(token ? { page_token: token } : {}),
          });
          expect(res.status).toBe(200);
          all.push(...names(res.body));
          token = res.body.next_page_token;
        } while (token && all.length < rows.length + pageSize);
        expect(all).toEqual(expected);
      }
    }
  }, 30_000);

  it('searches 2,500 runs: right count and order, across 1000-run pages', async () => {
    const big = await createExperiment(t, 'search-2500');
    const seeds: RunSeed[] = Array.from({ length: 2500 }, (_, i) => ({
      name: `big-${i}`,
      startTime: 1732600000000 + i,
      metrics: { m: (i % 100) / 100 },
      params: { p: i % 2 === 0 ? 'a' : 'b' },
    }));
    await seedRuns(t, big, seeds);
    const expected = seeds
      .map((s, i) => ({ i, m: (i % 100) / 100, p: s.params!.p }))
      .filter((s) => s.m > 0.5 && s.p === 'a')
      .sort((a, b) => b.m - a.m || b.i - a.i)
      .map((s) => `big-${s.i}`);
    const res = await post('runs/search', {
      experiment_ids: [big],
      filter: "metrics.m > 0.5 and params.p = 'a'",
      order_by: ['metrics.m DESC'],
      max_results: 1000,
    });
    expect(res.status).toBe(200);
    expect(expected).toHaveLength(600);
    expect(names(res.body)).toEqual(expected);
    expect(res.body.next_page_token).toBeUndefined();

    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await post('runs/search', {
        experiment_ids: [big],
        ...(token ? { page_token: token } : {}),
      });
      expect(page.status).toBe(200);
      all.push(...names(page.body));
      token = page.body.next_page_token;
    } while (token);
    expect(all).toHaveLength(2500);
    expect(all[0]).toBe('big-2499');
    expect(all[2499]).toBe('big-0');
    expect(new Set(all).size).toBe(2500);
  });
});
