import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import {
  API,
  createRun,
  RegistryClient,
  registryClient,
} from '../model-registry/registry-fixtures';

const AJAX = '/ajax-api/2.0/mlflow';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * What MLflow 2.17.2's own server tests (tests/tracking/test_model_registry.py,
 * test_mlflow_artifacts.py, test_rest_tracking.py) expect of an external SQL-backed server,
 * written as our own requests: registry flows whose run ids name no run here, proxy paths outside
 * any run, the UI-only routes and the validation edges.
 */
describe.each(BACKENDS)("MLflow's server-test expectations on %s", (backend) => {
  let t: TestApp;
  let api: RegistryClient;

  beforeAll(async () => {
    t = await createTestApp(backend);
    api = registryClient(t.http);
  });

  afterAll(async () => {
    await t.close();
  });

  const ok = async (res: Promise<{ status: number; body: Record<string, unknown> }>) => {
    const answer = await res;
    expect([answer.status, answer.body]).toEqual([200, expect.anything()]);
    return answer.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  describe('registry flows with sources that are metadata (test_model_registry.py)', () => {
    it('creates and queries versions whose run_id names no run here', async () => {
      const name = 'CreateMVTest';
      await ok(api.post('registered-models/create', { name }));
      const tags = [
        { key: 'key', value: 'value' },
        { key: 'numeric value', value: '12345' },
      ];
      const mv1 = await ok(
        api.post('model-versions/create', {
          name,
          source: 'runs:/run_id/model',
          run_id: 'run_id_1',
          tags,
        }),
      );
      expect(mv1.model_version).toMatchObject({ version: '1', run_id: 'run_id_1', tags });
      await ok(
        api.post('model-versions/create', {
          name,
          source: 'runs:/run_id/another_model',
          run_id: 'run_id_1',
        }),
      );
      await ok(
        api.post('model-versions/create', {
          name,
          source: 'runs:/run_id/another_model',
          run_id: 'run_id_2',
        }),
      );
      const bySource = await ok(
        api.get('model-versions/search', { filter: "source_path = 'runs:/run_id/model'" }),
      );
      expect(bySource.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);
      const byRun = await ok(api.get('model-versions/search', { filter: "run_id = 'run_id_1'" }));
      expect(byRun.model_versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
      const uri = await ok(api.get('model-versions/get-download-uri', { name, version: '1' }));
      expect(uri.artifact_uri).toBe('runs:/run_id/model');
    });

    it('copies a version by alias, keeping its run_id, description, tags and download URI', async () => {
      const name = 'CopyMVTest';
      await ok(api.post('registered-models/create', { name }));
      await ok(
        api.post('model-versions/create', {
          name,
          source: 'runs:/run_id/model',
          run_id: 'run_id_1',
          description: 'dummy',
          tags: [{ key: 'hello', value: 'world' }],
        }),
      );
      await ok(api.post('registered-models/alias', { name, alias: 'test_alias', version: '1' }));
      // The client's copy_model_version: a models:/ source naming the version.
      const copy = await ok(
        api.post('model-versions/create', {
          name,
          source: `models:/${name}/1`,
          run_id: 'run_id_1',
          description: 'dummy',
          tags: [{ key: 'hello', value: 'world' }],
        }),
      );
      expect(copy.model_version).toMatchObject({
        version: '2',
        source: `models:/${name}/1`,
        run_id: 'run_id_1',
        description: 'dummy',
      });
      const uri = await ok(api.get('model-versions/get-download-uri', { name, version: '2' }));
      expect(uri.artifact_uri).toBe('runs:/run_id/model');
    });

    it('answers the latest version per stage, and never reuses a deleted number', async () => {
      const name = 'LatestVersionTest';
      await ok(api.post('registered-models/create', { name }));
      const stages = ['Archived', 'Production', 'Archived', 'Production', 'Staging', 'Staging'];
      for (const [index, stage] of [...stages, 'None'].entries()) {
        await ok(
          api.post('model-versions/create', {
            name,
            source: 'runs:/run_id/model',
            run_id: 'run_id',
          }),
        );
        if (stage !== 'None') {
          await ok(
            api.post('model-versions/transition-stage', {
              name,
              version: String(index + 1),
              stage,
              archive_existing_versions: false,
            }),
          );
        }
      }
      const latest = await ok(api.post('registered-models/get-latest-versions', { name }));
      const byStage = Object.fromEntries(
        latest.model_versions.map((v: { current_stage: string; version: string }) => [
          v.current_stage,
          v.version,
        ]),
      );
      expect(byStage).toEqual({ Production: '4', Staging: '6', Archived: '3', None: '7' });
      await ok(api.del('model-versions/delete', { name, version: '7' }));
      const next = await ok(
        api.post('model-versions/create', {
          name,
          source: 'runs:/run_id_2/a/b/c',
          run_id: 'run_id_2',
        }),
      );
      expect(next.model_version.version).toBe('8');
    });

    it("pages model versions in MLflow's orders (last update, name, version number)", async () => {
      const names = Array.from(
        { length: 12 },
        (_, i) => `CreateRMsearchForMV${String(i).padStart(3, '0')}`,
      );
      for (const name of names) await ok(api.post('registered-models/create', { name }));
      for (const name of [...names, ...names.slice(0, 4)]) {
        await ok(
          api.post('model-versions/create', {
            name,
            source: 'runs:/run_id/model',
            run_id: 'run_id',
          }),
        );
      }
      type Version = { name: string; version: string; last_updated_timestamp: number };
      const pages = async (query: Record<string, string | string[]>) => {
        const all: Version[] = [];
        let token: string | undefined;
        do {
          const page = await ok(
            api.get('model-versions/search', {
              filter: "name LIKE 'CreateRMsearchForMV%'",
              max_results: '5',
              ...query,
              ...(token ? { page_token: token } : {}),
            }),
          );
          all.push(...page.model_versions);
          token = page.next_page_token;
        } while (token);
        return all.map((v) => `${v.name}/${v.version}`);
      };
      const everything = await ok(
        api.get('model-versions/search', {
          filter: "name LIKE 'CreateRMsearchForMV%'",
          max_results: '1000',
        }),
      );
      const versions = everything.model_versions as Version[];
      expect(versions).toHaveLength(16);
      const byDefault = [...versions].sort(
        (a, b) =>
          b.last_updated_timestamp - a.last_updated_timestamp ||
          a.name.localeCompare(b.name) ||
          Number(b.version) - Number(a.version),
      );
      expect(await pages({})).toEqual(byDefault.map((v) => `${v.name}/${v.version}`));
      const byNameDesc = [...versions].sort(
        (a, b) => b.name.localeCompare(a.name) || Number(b.version) - Number(a.version),
      );
      expect(await pages({ order_by: ['name DESC'] })).toEqual(
        byNameDesc.map((v) => `${v.name}/${v.version}`),
      );
      const byNumber = [...versions].sort(
        (a, b) => Number(b.version) - Number(a.version) || a.name.localeCompare(b.name),
      );
      expect(await pages({ order_by: ['version_number DESC'] })).toEqual(
        byNumber.map((v) => `${v.name}/${v.version}`),
      );
    });

    it("accepts MLflow's non-local sources beside an existing run, and refuses traversal", async () => {
      const name = 'NonLocalSourceTest';
      await ok(api.post('registered-models/create', { name }));
      const run = await createRun(t);
      for (const source of [
        'mlflow-artifacts:/models',
        'mlflow-artifacts:/models/',
        'mlflow-artifacts:/models///',
        'mlflow-artifacts:/models/foo///bar',
        'mlflow-artifacts://host:9000/models',
        'mlflow-artifacts://host:9000/models/artifact/..../',
        's3://bucket/path',
      ]) {
        const res = await api.post('model-versions/create', { name, source, run_id: run.runId });
        expect([source, res.status]).toEqual([source, 200]);
      }
      for (const source of [
        'mlflow-artifacts://host:9000/models/../../../',
        'http://host:9000/models/../../../',
        'https://host/api/2.0/mlflow-artifacts/artifacts/../../../',
        's3a://my_bucket/api/2.0/mlflow-artifacts/artifacts/../../../',
        'ftp://host:8888/api/2.0/mlflow-artifacts/artifacts/../../../',
        'mlflow-artifacts://host:9000/models/..%2f..%2fartifacts',
        'mlflow-artifacts://host:9000/models/artifact%00',
      ]) {
        const res = await api.post('model-versions/create', { name, source, run_id: run.runId });
        expect([source, res.status, res.body.message]).toEqual([
          source,
          400,
          expect.stringContaining('If supplying a source as an http, https,'),
        ]);
      }
    });
  });

  describe('proxy paths outside a run (test_mlflow_artifacts.py)', () => {
    const put = (path: string, body: string) =>
      t.http.put(`${PROXY}/${path}`).set('Content-Type', 'application/octet-stream').send(body);

    it('uploads, downloads and lists a.txt and dir/b.txt at the destination root', async () => {
      expect((await put('a.txt', '0')).status).toBe(200);
      expect((await put('dir/b.txt', '1')).status).toBe(200);
      expect((await t.http.get(`${PROXY}/a.txt`)).text).toBe('0');
      const file = await t.http.get(`${PROXY}/dir/b.txt`);
      expect([file.text, file.headers['x-content-type-options']]).toEqual(['1', 'nosniff']);
      expect(file.headers['content-disposition']).toBe('attachment; filename=b.txt');
      const root = await t.http.get(PROXY);
      expect(root.body.files).toEqual(
        expect.arrayContaining([
          { path: 'a.txt', is_dir: false, file_size: 1 },
          { path: 'dir', is_dir: true },
        ]),
      );
      expect((await t.http.get(PROXY).query({ path: 'dir' })).body).toEqual({
        files: [{ path: 'b.txt', is_dir: false, file_size: 1 }],
      });
    });

    it.each([
      ['a.txt', 'text/plain'],
      ['b.pkl', 'application/octet-stream'],
      ['c.png', 'image/png'],
      ['d.pdf', 'application/pdf'],
      ['MLmodel', 'text/plain'],
      ['mlproject', 'text/plain'],
    ])('serves %s as %s', async (fileName, type) => {
      expect((await put(`dir/${fileName}`, '')).status).toBe(200);
      const res = await t.http.get(`${PROXY}/dir/${fileName}`).set('Accept', 'text/html');
      expect([res.headers['content-type'], res.headers['content-disposition']]).toEqual([
        type,
        `attachment; filename=${fileName}`,
      ]);
    });

    it('serves model-version files from a proxied root outside any run (source mlflow-artifacts:)', async () => {
      expect((await put('a.txt', 'abcdefg')).status).toBe(200);
      const name = 'GetModelVersionTest';
      await ok(api.post('registered-models/create', { name }));
      await ok(
        api.post('model-versions/create', { name, source: 'mlflow-artifacts:', run_id: '1' }),
      );
      const res = await t.http
        .get('/model-versions/get-artifact')
        .query({ name, version: '1', path: 'a.txt' });
      expect([res.status, res.text]).toEqual([200, 'abcdefg']);
    });
  });

  describe('UI-only routes (test_rest_tracking.py)', () => {
    const promptlab = (body: unknown) =>
      t.http
        .post(`${AJAX}/runs/create-promptlab-run`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));

    it('refuses a prompt-lab run naming the first missing field, before creating anything', async () => {
      const full: Record<string, unknown> = {
        experiment_id: '123',
        prompt_template: 'my_prompt_template',
        prompt_parameters: [{ key: 'my_key', value: 'my_value' }],
        model_route: 'my_route',
        model_input: 'my_input',
        mlflow_version: '1.0.0',
      };
      const order = Object.keys(full);
      for (const [index, field] of order.entries()) {
        const body = Object.fromEntries(order.slice(0, index).map((k) => [k, full[k]]));
        const res = await promptlab(body);
        expect([field, res.status, res.body]).toEqual([
          field,
          400,
          {
            error_code: 'INVALID_PARAMETER_VALUE',
            message: `CreatePromptlabRun request must specify ${field}.`,
          },
        ]);
      }
      // All present but an experiment that does not exist: its own 404, no run.
      expect((await promptlab(full)).status).toBe(404);
    });

    it('creates a finished prompt-lab run with its params, tags and evaluation table', async () => {
      const experiment = await ok(api.post('experiments/create', { name: 'log inputs test' }));
      const res = await promptlab({
        experiment_id: experiment.experiment_id,
        run_name: 'my_run_name',
        prompt_template: 'my_prompt_template',
        prompt_parameters: [{ key: 'my_key', value: 'my_value' }],
        model_route: 'my_route',
        model_parameters: [{ key: 'temperature', value: '0.1' }],
        model_input: 'my_input',
        model_output: 'my_output',
        model_output_parameters: [{ key: 'latency', value: '100' }],
        mlflow_version: '1.0.0',
        user_id: 'username',
        start_time: 456,
      });
      expect(res.status).toBe(200);
      const { info, data } = res.body.run;
      expect(info).toMatchObject({
        run_name: 'my_run_name',
        experiment_id: experiment.experiment_id,
        user_id: 'username',
        status: 'FINISHED',
        start_time: 456,
      });
      expect(data.params).toEqual(
        expect.arrayContaining([
          { key: 'model_route', value: 'my_route' },
          { key: 'prompt_template', value: 'my_prompt_template' },
          { key: 'temperature', value: '0.1' },
        ]),
      );
      expect(data.tags).toEqual(
        expect.arrayContaining([
          {
            key: 'mlflow.loggedArtifacts',
            value: '[{"path": "eval_results_table.json", "type": "table"}]',
          },
          { key: 'mlflow.runSourceType', value: 'PROMPT_ENGINEERING' },
        ]),
      );
      const table = await t.http
        .get('/get-artifact')
        .query({ run_id: info.run_id, path: 'eval_results_table.json' });
      expect(JSON.parse(table.text)).toEqual({
        columns: ['my_key', 'output'],
        data: [['my_value', 'my_output']],
      });
    });

    it('validates a gateway-proxy request, then answers that no deployments target has endpoints', async () => {
      const empty = await t.http
        .post(`${AJAX}/gateway-proxy`)
        .set('Content-Type', 'application/json')
        .send('{}');
      expect([empty.status, empty.body]).toEqual([
        400,
        {
          error_code: 'INVALID_PARAMETER_VALUE',
          message: 'Deployments proxy request must specify a gateway_path.',
        },
      ]);
      const listed = await t.http
        .get(`${AJAX}/gateway-proxy`)
        .query({ gateway_path: 'api/2.0/endpoints/' });
      expect([listed.status, listed.body]).toEqual([200, { endpoints: [] }]);
    });
  });

  describe('validation edges', () => {
    it('log-inputs needs datasets (2.x), unless a 3.x client sends models', async () => {
      const run = await createRun(t);
      const missing = await api.post('runs/log-inputs', { run_id: run.runId });
      expect([missing.status, missing.body.message]).toEqual([
        400,
        "Missing value for required parameter 'datasets'. See the API docs for more information about request parameters.",
      ]);
      const noRun = await api.post('runs/log-inputs', {
        datasets: [{ dataset: { name: 'n', digest: 'd', source_type: 's', source: 'x' } }],
      });
      expect(noRun.body.message).toContain("Missing value for required parameter 'run_id'");
      const model = await ok(
        t.http
          .post(`${API}/logged-models`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ experiment_id: run.experimentId, source_run_id: run.runId })),
      );
      await ok(
        api.post('runs/log-inputs', {
          run_id: run.runId,
          models: [{ model_id: model.model.info.model_id }],
        }),
      );
    });

    it('names a number as the client wrote it (9.0 is a float to Python)', async () => {
      const create = (raw: string) =>
        t.http.post(`${API}/experiments/create`).set('Content-Type', 'application/json').send(raw);
      const cases: [string, string][] = [
        [
          '{"name": 123}',
          "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'.",
        ],
        [
          '{"name": 9.0}',
          "Invalid value 9.0 for parameter 'name' supplied:  Hint: Value was of type 'float'.",
        ],
        [
          '{"name": "experiment name", "artifact_location": 9.0, "tags": [{"key": "key", "value": "value"}]}',
          "Invalid value 9.0 for parameter 'artifact_location' supplied:  Hint: Value was of type 'float'.",
        ],
        ['{}', "Missing value for required parameter 'name'."],
      ];
      for (const [body, message] of cases) {
        const res = await create(body);
        expect([body, res.status, res.body.message]).toEqual([
          body,
          400,
          expect.stringContaining(message),
        ]);
      }
      const tags = await create(
        '{"name": "experiment name", "artifact_location": "my_location", "tags": "5"}',
      );
      expect([tags.status, tags.body.message]).toEqual([
        400,
        expect.stringContaining("for parameter 'tags'"),
      ]);
    });

    it('merges repeated slashes before routing, so the route answers (and checks the path)', async () => {
      const experiment = await t.http
        .get('//api/2.0//mlflow/experiments/get')
        .query({ experiment_id: '0' });
      expect([experiment.status, experiment.body.experiment.name]).toEqual([200, 'Default']);
      const traversal = await t.http
        .get('//model-versions/get-artifact')
        .query({ name: 'model', version: '1', path: '../path' });
      expect([traversal.status, traversal.body]).toEqual([
        400,
        { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid path' },
      ]);
    });
  });
});

/** The same rules with users: free paths are each caller's own, and scoped tokens never reach them. */
describe.each(BACKENDS)('proxy paths outside a run with users, on %s', (backend) => {
  let t: TestApp;
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const ADMIN = basic('admin', 'contract-root-Passw0rd');
  const ALICE = basic('alice', 'wonderland-Passw0rd-1');
  const BOB = basic('bob', 'builder-Passw0rd-22');

  beforeAll(async () => {
    t = await createTestApp(backend, {
      env: {
        AUTH_MODE: 'basic',
        AUTH_ADMIN_USERNAME: 'admin',
        AUTH_ADMIN_PASSWORD: 'contract-root-Passw0rd',
      },
    });
    for (const [username, password] of [
      ['alice', 'wonderland-Passw0rd-1'],
      ['bob', 'builder-Passw0rd-22'],
    ]) {
      const res = await t.http
        .post(`${API}/users/create`)
        .set('Authorization', ADMIN)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ username, password }));
      expect(res.status).toBe(200);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  const put = (path: string, body: string, authorization: string) =>
    t.http
      .put(`${PROXY}/${path}`)
      .set('Authorization', authorization)
      .set('Content-Type', 'application/octet-stream')
      .send(body);

  it("keeps one user's a.txt apart from another's", async () => {
    expect((await put('a.txt', 'alice', ALICE)).status).toBe(200);
    expect((await put('a.txt', 'bob!', BOB)).status).toBe(200);
    expect((await t.http.get(`${PROXY}/a.txt`).set('Authorization', ALICE)).text).toBe('alice');
    expect((await t.http.get(`${PROXY}/a.txt`).set('Authorization', BOB)).text).toBe('bob!');
    expect((await put('only-alice.txt', 'x', ALICE)).status).toBe(200);
    const bobReads = await t.http.get(`${PROXY}/only-alice.txt`).set('Authorization', BOB);
    expect([bobReads.status, bobReads.body.message]).toEqual([
      404,
      'File not found: only-alice.txt',
    ]);
    const bobLists = await t.http.get(PROXY).set('Authorization', BOB);
    expect(bobLists.body.files).toEqual([{ path: 'a.txt', is_dir: false, file_size: 4 }]);
    expect((await t.http.delete(`${PROXY}/only-alice.txt`).set('Authorization', BOB)).status).toBe(
      200,
    );
    expect((await t.http.get(`${PROXY}/only-alice.txt`).set('Authorization', ALICE)).text).toBe(
      'x',
    );
  });

  it("reads a free model-version source in the downloading caller's namespace", async () => {
    const post = (path: string, body: unknown, authorization: string) =>
      t.http
        .post(`${API}/${path}`)
        .set('Authorization', authorization)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
    expect((await post('registered-models/create', { name: 'free-source' }, ALICE)).status).toBe(
      200,
    );
    const created = await post(
      'model-versions/create',
      { name: 'free-source', source: 'mlflow-artifacts:/', run_id: 'elsewhere' },
      ALICE,
    );
    expect(created.status).toBe(200);
    const download = (authorization: string) =>
      t.http
        .get('/model-versions/get-artifact')
        .set('Authorization', authorization)
        .query({ name: 'free-source', version: '1', path: 'only-alice.txt' });
    const alice = await download(ALICE);
    expect([alice.status, alice.text]).toEqual([200, 'x']);
    const grant = await post(
      'registered-models/permissions/create',
      { name: 'free-source', username: 'bob', permission: 'READ' },
      ALICE,
    );
    expect(grant.status).toBe(200);
    expect((await download(BOB)).status).toBe(404);
  });

  it('refuses a scoped token any free path', async () => {
    const experiment = await t.http
      .post(`${API}/experiments/create`)
      .set('Authorization', ALICE)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'scoped-free' }));
    const token = await t.http
      .post(`${API}/tokens/create`)
      .set('Authorization', ALICE)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'aggregator', experiment_id: experiment.body.experiment_id }));
    expect(token.status).toBe(200);
    const bearer = `Bearer ${token.body.secret}`;
    const res = await put('a.txt', 'token', bearer);
    expect([res.status, res.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    expect((await t.http.get(`${PROXY}/a.txt`).set('Authorization', ALICE)).text).toBe('alice');
  });
});
