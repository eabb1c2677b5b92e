import { BACKENDS } from '../../support/backends';
import { createTestApp, rawRequest, TestApp } from '../../support/test-app';

describe.each(BACKENDS)('experiments (FLOps projects) on %s', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(backend);
  });

  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: unknown) =>
    t.http
      .post(`/api/2.0/mlflow/${path}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  it('serves the Default experiment "0" with a server-owned location', async () => {
    const res = await t.http.get('/api/2.0/mlflow/experiments/get?experiment_id=0');
    expect(res.status).toBe(200);
    expect(res.body.experiment).toMatchObject({
      experiment_id: '0',
      name: 'Default',
      artifact_location: 'mlflow-artifacts:/0',
      lifecycle_stage: 'active',
    });
    expect(typeof res.body.experiment.creation_time).toBe('number');
    expect(res.body.experiment.tags).toBeUndefined();
  });

  it('creates, reads by id and name, with sorted tags and MLflow key order', async () => {
    const created = await post('experiments/create', {
      name: 'FLOps Project abc',
      artifact_location: 'file:///etc',
      tags: [
        { key: 'team', value: 'ml' },
        { key: 'owner', value: 'golden' },
      ],
    });
    expect(created.status).toBe(200);
    const id = created.body.experiment_id as string;
    expect(id).toMatch(/^[1-9]\d*$/);

    const byId = await t.http.get(`/api/2.0/mlflow/experiments/get?experiment_id=${id}`);
    expect(Object.keys(byId.body.experiment)).toEqual([
      'experiment_id',
      'name',
      'artifact_location',
      'lifecycle_stage',
      'last_update_time',
      'creation_time',
      'tags',
    ]);
    expect(byId.body.experiment.artifact_location).toBe(`mlflow-artifacts:/${id}`);
    expect(byId.body.experiment.tags).toEqual([
      { key: 'owner', value: 'golden' },
      { key: 'team', value: 'ml' },
    ]);

    const byName = await t.http.get(
      '/ajax-api/2.0/mlflow/experiments/get-by-name?experiment_name=FLOps+Project+abc',
    );
    expect(byName.status).toBe(200);
    expect(byName.body.experiment.experiment_id).toBe(id);
  });

  it('answers RESOURCE_DOES_NOT_EXIST (404) for a missing name, id or malformed id', async () => {
    for (const path of [
      'experiments/get-by-name?experiment_name=nope',
      'experiments/get?experiment_id=999999',
      'experiments/get?experiment_id=not-a-number',
    ]) {
      const res = await t.http.get(`/api/2.0/mlflow/${path}`);
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('keeps names unique across deleted experiments and cascades delete/restore', async () => {
    const { body } = await post('experiments/create', { name: 'to-delete' });
    const id = body.experiment_id as string;
    expect((await post('experiments/delete', { experiment_id: id })).status).toBe(200);
    const again = await post('experiments/delete', { experiment_id: id });
    expect(again.status).toBe(404);
    const dup = await post('experiments/create', { name: 'to-delete' });
    expect(dup.status).toBe(400);
    expect(dup.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    const tag = await post('experiments/set-experiment-tag', {
      experiment_id: id,
      key: 'k',
      value: 'v',
    });
    expect(tag.status).toBe(400);
    expect(tag.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const rename = await post('experiments/update', { experiment_id: id, new_name: 'x' });
    expect(rename.status).toBe(400);
    expect(rename.body).toEqual({
      error_code: 'INVALID_STATE',
      message: 'Cannot rename a non-active experiment.',
    });
    expect((await post('experiments/restore', { experiment_id: id })).status).toBe(200);
    const restoreActive = await post('experiments/restore', { experiment_id: id });
    expect(restoreActive.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('renames, refusing a taken name with BAD_REQUEST', async () => {
    const a = (await post('experiments/create', { name: 'rename-a' })).body.experiment_id as string;
    await post('experiments/create', { name: 'rename-b' });
    expect(
      (await post('experiments/update', { experiment_id: a, new_name: 'rename-c' })).status,
    ).toBe(200);
    const clash = await post('experiments/update', { experiment_id: a, new_name: 'rename-b' });
    expect(clash.status).toBe(400);
    expect(clash.body.error_code).toBe('BAD_REQUEST');
    expect(clash.body.message).not.toMatch(/INSERT|UPDATE|Duplicate entry/);
  });

  it('sets, overwrites and deletes experiment tags', async () => {
    const id = (await post('experiments/create', { name: 'tags-exp' })).body
      .experiment_id as string;
    await post('experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'dev' });
    await post('experiments/set-experiment-tag', {
      experiment_id: id,
      key: 'stage',
      value: 'prod',
    });
    let res = await t.http.get(`/api/2.0/mlflow/experiments/get?experiment_id=${id}`);
    expect(res.body.experiment.tags).toEqual([{ key: 'stage', value: 'prod' }]);
    expect(
      (await post('experiments/delete-experiment-tag', { experiment_id: id, key: 'stage' })).status,
    ).toBe(200);
    res = await t.http.get(`/api/2.0/mlflow/experiments/get?experiment_id=${id}`);
    expect(res.body.experiment.tags).toBeUndefined();
    const missing = await post('experiments/delete-experiment-tag', {
      experiment_id: id,
      key: 'stage',
    });
    expect(missing.status).toBe(404);
    const badKey = await post('experiments/set-experiment-tag', {
      experiment_id: id,
      key: '../x',
      value: 'v',
    });
    expect(badKey.status).toBe(400);
  });

  it('searches with filters, ordering and opaque page tokens (POST and GET)', async () => {
    for (const name of ['search-x-1', 'search-x-2', 'search-x-3']) {
      await post('experiments/create', {
        name,
        tags: [{ key: 'grp', value: name.endsWith('2') ? 'two' : 'other' }],
      });
    }
    const page1 = await post('experiments/search', {
      max_results: 2,
      filter: "name LIKE 'search-x-%'",
      order_by: ['name ASC'],
    });
    expect(page1.status).toBe(200);
    expect(page1.body.experiments.map((e: { name: string }) => e.name)).toEqual([
      'search-x-1',
      'search-x-2',
    ]);
    expect(typeof page1.body.next_page_token).toBe('string');
    const page2 = await post('experiments/search', {
      max_results: 2,
      filter: "name LIKE 'search-x-%'",
      order_by: ['name ASC'],
      page_token: page1.body.next_page_token,
    });
    expect(page2.body.experiments.map((e: { name: string }) => e.name)).toEqual(['search-x-3']);
    expect(page2.body.next_page_token).toBeUndefined();

    const caseSensitive = await post('experiments/search', {
      max_results: 10,
      filter: "name LIKE 'SEARCH-X-%'",
    });
    expect(caseSensitive.body).toEqual({});
    const ilike = await t.http.get(
      `/api/2.0/mlflow/experiments/search?max_results=10&filter=${encodeURIComponent("name ILIKE 'SEARCH-X-%'")}&order_by=name+DESC`,
    );
    expect(ilike.body.experiments.map((e: { name: string }) => e.name)).toEqual([
      'search-x-3',
      'search-x-2',
      'search-x-1',
    ]);
    const byTag = await post('experiments/search', { max_results: 10, filter: "tags.grp = 'two'" });
    expect(byTag.body.experiments.map((e: { name: string }) => e.name)).toEqual(['search-x-2']);
    const camel = await post('experiments/search', {
      maxResults: 1,
      filter: "name = 'search-x-3'",
      viewType: 'ALL',
    });
    expect(camel.body.experiments).toHaveLength(1);
  });

  it('rejects bad search input with INVALID_PARAMETER_VALUE', async () => {
    for (const body of [
      { max_results: 50001 },
      { max_results: 0 },
      { max_results: 10, filter: "name = 'a' OR name = 'b'" },
      { max_results: 10, page_token: '!!!' },
      { max_results: 10, view_type: 'SOMETIMES' },
      { max_results: 'many' },
    ]) {
      const res = await post('experiments/search', body);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('applies MLflow request conventions: content type, lenient JSON, camelCase, numeric ids', async () => {
    const noType = await rawRequest(
      t,
      'POST',
      '/api/2.0/mlflow/experiments/create',
      {},
      '{"name":"x"}',
    );
    expect(noType.status).toBe(400);
    expect((noType.body as { message: string }).message).toBe(
      'Bad Request. Content-Type header is missing.',
    );
    const textPlain = await t.http
      .post('/api/2.0/mlflow/experiments/create')
      .set('Content-Type', 'text/plain')
      .send('{"name":"x"}');
    expect(textPlain.body.message).toBe(
      "Bad Request. Content-Type must be one of ['application/json'].",
    );
    const broken = await t.http
      .post('/api/2.0/mlflow/experiments/create')
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/^Missing value for required parameter 'name'/);
    const doubleEncoded = await post(
      'experiments/create',
      JSON.stringify({ name: 'double-encoded' }),
    );
    expect(doubleEncoded.status).toBe(200);
    const wrongType = await post('experiments/create', { name: 123 });
    expect(wrongType.body.message).toBe(
      "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. See the API docs for more information about request parameters.",
    );
    const numericId = await post('experiments/set-experiment-tag', {
      experimentId: 0,
      key: 'k',
      value: 'v',
    });
    expect(numericId.status).toBe(200);
    const tooLong = await post('experiments/create', { name: 'n'.repeat(501) });
    expect(tooLong.status).toBe(400);
  });

  it('answers unknown routes with ENDPOINT_NOT_FOUND and serves /health, /version', async () => {
    const unknown = await t.http.get('/api/2.0/mlflow/no-such-endpoint');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_code).toBe('ENDPOINT_NOT_FOUND');
    const health = await t.http.get('/health');
    expect(health.text).toBe('OK');
    const version = await t.http.get('/version');
    expect(version.text).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('serves the legacy 1.x experiments/list', async () => {
    const res = await t.http.get('/api/2.0/mlflow/experiments/list?view_type=ALL');
    expect(res.status).toBe(200);
    expect(
      res.body.experiments.some((e: { experiment_id: string }) => e.experiment_id === '0'),
    ).toBe(true);
  });
});
