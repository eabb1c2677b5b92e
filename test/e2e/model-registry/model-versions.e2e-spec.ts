import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import {
  createRun,
  keyOrder,
  MODEL_VERSION_KEYS,
  RegistryClient,
  registryClient,
  TestRun,
} from './registry-fixtures';

describe.each(BACKENDS)('model versions on %s', (backend) => {
  let t: TestApp;
  let api: RegistryClient;
  let run: TestRun;
  let source: string;

  const version = (v: string) =>
    api.get('model-versions/get', { name: 'golden-model', version: v });
  const stageOf = async (v: string) =>
    (await version(v)).body.model_version.current_stage as string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    api = registryClient(t.http);
    run = await createRun(t, 'golden-registry');
    source = `${run.artifactUri}/model`;
    await api.post('registered-models/create', { name: 'golden-model' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates version 1 READY in stage None, shaped like MLflow 2.17.2', async () => {
    const res = await api.post('model-versions/create', {
      name: 'golden-model',
      source,
      run_id: run.runId,
      tags: [{ key: 'validated', value: 'yes' }],
      description: 'first version',
    });
    expect(res.status).toBe(200);
    const mv = res.body.model_version;
    expect(Object.keys(mv)).toEqual([
      'name',
      'version',
      'creation_timestamp',
      'last_updated_timestamp',
      'current_stage',
      'description',
      'source',
      'run_id',
      'status',
      'tags',
      'run_link',
    ]);
    expect(mv).toMatchObject({
      name: 'golden-model',
      version: '1',
      current_stage: 'None',
      description: 'first version',
      source,
      run_id: run.runId,
      status: 'READY',
      tags: [{ key: 'validated', value: 'yes' }],
      run_link: '',
    });
    expect(mv.creation_timestamp).toBe(mv.last_updated_timestamp);
    const model = (await api.get('registered-models/get', { name: 'golden-model' })).body
      .registered_model;
    expect(model.last_updated_timestamp).toBe(mv.creation_timestamp);
  });

  it('numbers versions 2 and 3, with "" for an absent description, run_id and run_link', async () => {
    const v2 = await api.post('model-versions/create', {
      name: 'golden-model',
      source,
      run_id: run.runId,
    });
    expect(v2.body.model_version).toMatchObject({ version: '2', description: '', run_link: '' });
    expect(v2.body.model_version.tags).toBeUndefined();
    const v3 = await api.post('model-versions/create', {
      name: 'golden-model',
      source: 's3://bucket/models/m',
    });
    expect(v3.status).toBe(200);
    expect(v3.body.model_version).toMatchObject({
      version: '3',
      run_id: '',
      source: 's3://bucket/models/m',
    });
  });

  it('answers RESOURCE_DOES_NOT_EXIST for a version of an unknown model', async () => {
    const res = await api.post('model-versions/create', {
      name: 'golden-no-such-model',
      source,
      run_id: run.runId,
    });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Registered Model with name=golden-no-such-model not found',
    });
    // The model is checked before the source, as MLflow does: a source this server would refuse
    // does not hide that the model is missing.
    const refusedSource = await api.post('model-versions/create', {
      name: 'golden-no-such-model',
      source: 'file:///etc/passwd',
    });
    expect(refusedSource.status).toBe(404);
    expect(refusedSource.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    const noSource = await api.post('model-versions/create', { name: 'golden-model' });
    expect(noSource.status).toBe(400);
    expect(noSource.body.message).toContain("'source'");
  });

  it('gets a version; a non-integer version and a missing one are refused like MLflow', async () => {
    const res = await version('1');
    expect(res.status).toBe(200);
    expect(keyOrder(res.body.model_version, MODEL_VERSION_KEYS)).toEqual(
      MODEL_VERSION_KEYS.filter((k) => k !== 'aliases'),
    );
    const word = await version('one');
    expect(word.status).toBe(400);
    expect(word.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Model version must be an integer, got 'one'",
    });
    for (const missing of ['99', '0', '-1', '99999999999']) {
      const res404 = await version(missing);
      expect(res404.status).toBe(404);
      expect(res404.body).toEqual({
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: `Model Version (name=golden-model, version=${missing}) not found`,
      });
    }
    const ajax = await t.http.get(
      '/ajax-api/2.0/mlflow/model-versions/get?name=golden-model&version=2',
    );
    expect(ajax.status).toBe(200);
  });

  it('updates the description by PATCH, bumping only the version', async () => {
    const model = (await api.get('registered-models/get', { name: 'golden-model' })).body
      .registered_model;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await api.patch('model-versions/update', {
      name: 'golden-model',
      version: '1',
      description: 'first version, updated',
    });
    expect(res.status).toBe(200);
    expect(res.body.model_version.description).toBe('first version, updated');
    expect(res.body.model_version.last_updated_timestamp).toBeGreaterThan(
      res.body.model_version.creation_timestamp,
    );
    const after = (await api.get('registered-models/get', { name: 'golden-model' })).body
      .registered_model;
    expect(after.last_updated_timestamp).toBe(model.last_updated_timestamp);
    expect(
      (await api.patch('model-versions/update', { name: 'golden-model', version: '42' })).status,
    ).toBe(404);
  });

  describe('stages', () => {
    it('transitions with any case in and the canonical stage out', async () => {
      const staging = await api.post('model-versions/transition-stage', {
        name: 'golden-model',
        version: '1',
        stage: 'Staging',
        archive_existing_versions: false,
      });
      expect(staging.status).toBe(200);
      expect(staging.body.model_version.current_stage).toBe('Staging');
      const production = await api.post('model-versions/transition-stage', {
        name: 'golden-model',
        version: '2',
        stage: 'PRODUCTION',
      });
      expect(production.body.model_version.current_stage).toBe('Production');
    });

    it('archives the other versions of the target stage when asked, bumping every timestamp', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const res = await api.post('model-versions/transition-stage', {
        name: 'golden-model',
        version: '3',
        stage: 'production',
        archive_existing_versions: true,
      });
      expect(res.status).toBe(200);
      const v3 = res.body.model_version;
      expect(v3.current_stage).toBe('Production');
      const v2 = (await version('2')).body.model_version;
      expect(v2.current_stage).toBe('Archived');
      expect(v2.last_updated_timestamp).toBe(v3.last_updated_timestamp);
      expect(await stageOf('1')).toBe('Staging');
      const model = (await api.get('registered-models/get', { name: 'golden-model' })).body
        .registered_model;
      expect(model.last_updated_timestamp).toBe(v3.last_updated_timestamp);
    });

    it('refuses an unknown stage, and archiving into a non-active stage as a 400 (not a 500)', async () => {
      const unknown = await api.post('model-versions/transition-stage', {
        name: 'golden-model',
        version: '1',
        stage: 'Testing',
        archive_existing_versions: false,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({
        error_code: 'INVALID_PARAMETER_VALUE',
        message:
          'Invalid Model Version stage: Testing. Value must be one of None, Staging, Production, Archived.',
      });
      const archived = await api.post('model-versions/transition-stage', {
        name: 'golden-model',
        version: '1',
        stage: 'Archived',
        archive_existing_versions: true,
      });
      expect(archived.status).toBe(400);
      expect(archived.body).toEqual({
        error_code: 'INVALID_PARAMETER_VALUE',
        message:
          "Model version transition cannot archive existing model versions because 'Archived' is not an Active stage. Valid stages are ['Staging', 'Production']",
      });
      expect(await stageOf('1')).toBe('Staging');
      const badBool = await api.post('model-versions/transition-stage', {
        name: 'golden-no-such-model',
        version: '1',
        stage: 'Staging',
        archive_existing_versions: 'yes',
      });
      expect(badBool.status).toBe(400);
      expect(badBool.body.message).toBe(
        "Invalid value \"yes\" for parameter 'archive_existing_versions' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.",
      );
      const missing = await api.post('model-versions/transition-stage', {
        name: 'golden-no-such-model',
        version: '1',
        stage: 'Staging',
      });
      expect(missing.status).toBe(404);
      expect(missing.body.message).toBe(
        'Model Version (name=golden-no-such-model, version=1) not found',
      );
    });

    it('gives the latest version per stage by POST and GET, in MLflow order', async () => {
      const byPost = await api.post('registered-models/get-latest-versions', {
        name: 'golden-model',
        stages: ['Production', 'Staging'],
      });
      expect(byPost.status).toBe(200);
      expect(byPost.body.model_versions.map((v: { version: string }) => v.version)).toEqual([
        '1',
        '3',
      ]);
      const all = await api.post('registered-models/get-latest-versions', { name: 'golden-model' });
      expect(
        all.body.model_versions.map((v: { version: string; current_stage: string }) => [
          v.version,
          v.current_stage,
        ]),
      ).toEqual([
        ['1', 'Staging'],
        ['2', 'Archived'],
        ['3', 'Production'],
      ]);
      const byGet = await t.http.get(
        '/api/2.0/mlflow/registered-models/get-latest-versions?name=golden-model&stages=Archived&stages=None',
      );
      expect(byGet.status).toBe(200);
      expect(byGet.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['2']);
      const lower = await api.get('registered-models/get-latest-versions', {
        name: 'golden-model',
        stages: 'production',
      });
      expect(lower.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['3']);
      const none = await api.post('registered-models/get-latest-versions', {
        name: 'golden-model',
        stages: ['None'],
      });
      expect(none.body).toEqual({});
    });

    it('lists the latest versions on the registered model', async () => {
      const model = (await api.get('registered-models/get', { name: 'golden-model' })).body
        .registered_model;
      expect(Object.keys(model)).toEqual([
        'name',
        'creation_timestamp',
        'last_updated_timestamp',
        'latest_versions',
      ]);
      expect(model.latest_versions.map((v: { version: string }) => v.version)).toEqual([
        '1',
        '2',
        '3',
      ]);
    });

    it('refuses an invalid stage and a missing model in get-latest-versions', async () => {
      const invalid = await api.post('registered-models/get-latest-versions', {
        name: 'golden-model',
        stages: ['Testing'],
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.message).toBe(
        'Invalid Model Version stage: Testing. Value must be one of None, Staging, Production, Archived.',
      );
      const missing = await api.post('registered-models/get-latest-versions', {
        name: 'golden-no-such-model',
        stages: ['Production'],
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    });
  });

  it('answers the resolved storage location from get-download-uri', async () => {
    const res = await api.get('model-versions/get-download-uri', {
      name: 'golden-model',
      version: '1',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ artifact_uri: source });
    expect(
      (await api.get('model-versions/get-download-uri', { name: 'golden-model', version: '9' }))
        .status,
    ).toBe(404);
  });

  it('sets and deletes version tags; a missing version is 404, a missing key a no-op', async () => {
    const set = await api.post('model-versions/set-tag', {
      name: 'golden-model',
      version: '1',
      key: 'to_delete',
      value: 'x',
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({});
    expect((await version('1')).body.model_version.tags).toEqual([
      { key: 'to_delete', value: 'x' },
      { key: 'validated', value: 'yes' },
    ]);
    const del = await api.del('model-versions/delete-tag', {
      name: 'golden-model',
      version: '1',
      key: 'to_delete',
    });
    expect(del.status).toBe(200);
    expect((await version('1')).body.model_version.tags).toEqual([
      { key: 'validated', value: 'yes' },
    ]);
    expect(
      (
        await api.del('model-versions/delete-tag', {
          name: 'golden-model',
          version: '1',
          key: 'never',
        })
      ).status,
    ).toBe(200);
    const missing = await api.post('model-versions/set-tag', {
      name: 'golden-model',
      version: '99',
      key: 'k',
      value: 'v',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Model Version (name=golden-model, version=99) not found');
  });

  describe('search', () => {
    const versions = (body: { model_versions?: { version: string }[] }) =>
      (body.model_versions ?? []).map((v) => v.version);

    it('filters by name and run_id, ordered as asked', async () => {
      const byName = await t.http.get(
        '/api/2.0/mlflow/model-versions/search?filter=name%3D%27golden-model%27&max_results=10000&order_by=version_number+ASC',
      );
      expect(byName.status).toBe(200);
      expect(versions(byName.body)).toEqual(['1', '2', '3']);
      const byRun = await api.get('model-versions/search', {
        filter: `run_id = '${run.runId}'`,
        order_by: 'version_number DESC',
      });
      expect(versions(byRun.body)).toEqual(['2', '1']);
      const inList = await api.get('model-versions/search', {
        filter: `run_id IN ('${run.runId}', 'nope')`,
        order_by: 'version_number ASC',
      });
      expect(versions(inList.body)).toEqual(['1', '2']);
    });

    it('filters by version_number, source_path and tags', async () => {
      expect(
        versions(
          (
            await api.get('model-versions/search', {
              filter: 'version_number >= 2',
              order_by: 'version_number',
            })
          ).body,
        ),
      ).toEqual(['2', '3']);
      expect(
        versions(
          (await api.get('model-versions/search', { filter: "source_path LIKE 's3://%'" })).body,
        ),
      ).toEqual(['3']);
      expect(
        versions(
          (await api.get('model-versions/search', { filter: "tags.validated = 'yes'" })).body,
        ),
      ).toEqual(['1']);
    });

    it('orders by last_updated_timestamp DESC by default, and pages', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await api.patch('model-versions/update', {
        name: 'golden-model',
        version: '2',
        description: 'bump',
      });
      const page1 = await api.get('model-versions/search', { max_results: '2' });
      expect(versions(page1.body)[0]).toBe('2');
      expect(page1.body.next_page_token).toBe('eyJvZmZzZXQiOiAyfQ==');
      const page2 = await api.get('model-versions/search', {
        max_results: '2',
        page_token: page1.body.next_page_token,
      });
      expect(versions(page2.body)).toHaveLength(1);
      expect(page2.body.next_page_token).toBeUndefined();
      expect(new Set([...versions(page1.body), ...versions(page2.body)])).toEqual(
        new Set(['1', '2', '3']),
      );
    });

    it('leaves out the versions of prompts unless the filter asks for them', async () => {
      await api.post('registered-models/create', { name: 'a-prompt' });
      const prompt = await api.post('model-versions/create', {
        name: 'a-prompt',
        source: 's3://bucket/prompt',
        tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }],
      });
      expect(prompt.status).toBe(200);
      const all = await api.get('model-versions/search');
      expect(all.body.model_versions.map((v: { name: string }) => v.name)).not.toContain(
        'a-prompt',
      );
      const prompts = await api.get('model-versions/search', {
        filter: "tags.`mlflow.prompt.is_prompt` = 'true'",
      });
      expect(prompts.body.model_versions.map((v: { name: string }) => v.name)).toEqual([
        'a-prompt',
      ]);
      expect((await api.del('registered-models/delete', { name: 'a-prompt' })).status).toBe(200);
    });

    it("refuses unknown filter keys and order keys with MLflow's messages", async () => {
      const res = await t.http.get(
        '/api/2.0/mlflow/model-versions/search?filter=stage+%3D+%27Production%27&max_results=10000',
      );
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message).toMatch(
        /^Invalid attribute key 'stage' specified\. Valid keys are '\{.*\}'$/,
      );
      const order = await api.get('model-versions/search', { order_by: 'stage ASC' });
      expect(order.status).toBe(400);
      const tooMany = await api.get('model-versions/search', { max_results: '200001' });
      expect(tooMany.status).toBe(400);
    });
  });

  describe('delete', () => {
    it('soft-deletes a version: gone from get, latest, search and download; its number is never reused', async () => {
      await api.post('registered-models/alias', {
        name: 'golden-model',
        alias: 'champion',
        version: '3',
      });
      const res = await api.del('model-versions/delete', { name: 'golden-model', version: '3' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
      expect((await version('3')).status).toBe(404);
      expect(
        (await api.get('model-versions/get-download-uri', { name: 'golden-model', version: '3' }))
          .status,
      ).toBe(404);
      const latest = await api.post('registered-models/get-latest-versions', {
        name: 'golden-model',
        stages: ['Production'],
      });
      expect(latest.body).toEqual({});
      const search = await api.get('model-versions/search', { filter: "name = 'golden-model'" });
      expect(search.body.model_versions.map((v: { version: string }) => v.version).sort()).toEqual([
        '1',
        '2',
      ]);
      const model = (await api.get('registered-models/get', { name: 'golden-model' })).body
        .registered_model;
      expect(model.aliases).toBeUndefined();
      expect(
        (await api.get('registered-models/alias', { name: 'golden-model', alias: 'champion' }))
          .status,
      ).toBe(400);

      const again = await api.del('model-versions/delete', { name: 'golden-model', version: '3' });
      expect(again.status).toBe(404);
      const next = await api.post('model-versions/create', {
        name: 'golden-model',
        source,
        run_id: run.runId,
      });
      expect(next.body.model_version.version).toBe('4');
    });

    it('keeps deleted versions out of reach for tags, aliases and transitions', async () => {
      for (const res of [
        await api.post('model-versions/set-tag', {
          name: 'golden-model',
          version: '3',
          key: 'k',
          value: 'v',
        }),
        await api.post('registered-models/alias', {
          name: 'golden-model',
          alias: 'ghost',
          version: '3',
        }),
        await api.post('model-versions/transition-stage', {
          name: 'golden-model',
          version: '3',
          stage: 'Staging',
        }),
        await api.patch('model-versions/update', {
          name: 'golden-model',
          version: '3',
          description: 'x',
        }),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.message).toBe('Model Version (name=golden-model, version=3) not found');
      }
    });
  });
});
