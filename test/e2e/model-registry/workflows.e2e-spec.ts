import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import {
  createLoggedModel,
  createRun,
  RegistryClient,
  registryClient,
  TestRun,
} from './registry-fixtures';

/** The request sequences of the Python client (contract §7 items 15–19), replayed as it sends them. */
describe.each(BACKENDS)('MLflow client registry workflows on %s', (backend) => {
  let t: TestApp;
  let api: RegistryClient;
  let run: TestRun;

  /** `mlflow.register_model(uri, name)`: create (tolerating RESOURCE_ALREADY_EXISTS), then a version. */
  async function registerModel(name: string, source: string, extra: Record<string, unknown> = {}) {
    const created = await api.post('registered-models/create', { name });
    if (created.status !== 200) {
      expect(created.status).toBe(400);
      expect(created.body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    }
    const version = await api.post('model-versions/create', { name, source, ...extra });
    expect(version.status).toBe(200);
    // The client polls while PENDING_REGISTRATION and fails on anything but READY.
    expect(version.body.model_version.status).toBe('READY');
    const polled = await api.get('model-versions/get', {
      name,
      version: version.body.model_version.version,
    });
    expect(polled.body.model_version.status).toBe('READY');
    return version.body.model_version as { version: string; source: string };
  }

  async function downloadUri(name: string, version: string): Promise<string> {
    const res = await api.get('model-versions/get-download-uri', { name, version });
    expect(res.status).toBe(200);
    return res.body.artifact_uri as string;
  }

  beforeAll(async () => {
    t = await createTestApp(backend);
    api = registryClient(t.http);
    run = await createRun(t);
  });

  afterAll(async () => {
    await t.close();
  });

  it('register_model twice under one name gives versions 1 and 2', async () => {
    const source = `${run.artifactUri}/model`;
    const v1 = await registerModel('wf-model', source, { run_id: run.runId });
    const v2 = await registerModel('wf-model', source, { run_id: run.runId });
    expect([v1.version, v2.version]).toEqual(['1', '2']);
  });

  it('transition_model_version_stage with archive_existing_versions keeps one version in Production', async () => {
    for (const version of ['1', '2']) {
      const res = await api.post('model-versions/transition-stage', {
        name: 'wf-model',
        version,
        stage: 'Production',
        archive_existing_versions: true,
      });
      expect(res.status).toBe(200);
    }
    const all = await api.post('registered-models/get-latest-versions', { name: 'wf-model' });
    expect(
      all.body.model_versions.map((v: { version: string; current_stage: string }) => [
        v.version,
        v.current_stage,
      ]),
    ).toEqual([
      ['1', 'Archived'],
      ['2', 'Production'],
    ]);
  });

  it('loads models:/wf-model/Production through get-latest-versions (POST, then GET fallback form)', async () => {
    const byPost = await api.post('registered-models/get-latest-versions', {
      name: 'wf-model',
      stages: ['Production'],
    });
    const byGet = await api.get('registered-models/get-latest-versions', {
      name: 'wf-model',
      stages: 'Production',
    });
    expect(byGet.body).toEqual(byPost.body);
    const [latest] = byPost.body.model_versions as { version: string }[];
    expect(latest.version).toBe('2');
    expect(await downloadUri('wf-model', latest.version)).toBe(`${run.artifactUri}/model`);
  });

  it('loads models:/wf-model@champion through the alias, then get-download-uri', async () => {
    expect(
      (
        await api.post('registered-models/alias', {
          name: 'wf-model',
          alias: 'champion',
          version: '1',
        })
      ).status,
    ).toBe(200);
    const res = await api.get('registered-models/alias', { name: 'wf-model', alias: 'champion' });
    expect(res.body.model_version.version).toBe('1');
    expect(await downloadUri('wf-model', res.body.model_version.version)).toBe(
      `${run.artifactUri}/model`,
    );
  });

  it('loads models:/wf-model/1 through get-download-uri', async () => {
    expect(await downloadUri('wf-model', '1')).toBe(`${run.artifactUri}/model`);
  });

  it('registers a runs:/ URI, stored as sent and downloaded from the run artifact root', async () => {
    const version = await registerModel('wf-runs', `runs:/${run.runId}/model`, {
      run_id: run.runId,
    });
    expect(version.source).toBe(`runs:/${run.runId}/model`);
    expect(await downloadUri('wf-runs', version.version)).toBe(`${run.artifactUri}/model`);
  });

  it('3.x log_model(registered_model_name=…): models:/m-… resolves to the logged model location', async () => {
    const model = await createLoggedModel(t, run);
    const version = await registerModel('wf-logged', `models:/${model.modelId}`, {
      model_id: model.modelId,
      run_id: run.runId,
    });
    expect(version.source).toBe(`models:/${model.modelId}`);
    expect(await downloadUri('wf-logged', version.version)).toBe(model.artifactLocation);
  });

  it('search_registered_models and search_model_versions as the client sends them', async () => {
    const models = await t.http.get('/api/2.0/mlflow/registered-models/search?max_results=100');
    expect(models.status).toBe(200);
    expect(models.body.registered_models.map((m: { name: string }) => m.name)).toEqual([
      'wf-logged',
      'wf-model',
      'wf-runs',
    ]);
    const wf = models.body.registered_models[1];
    expect(wf.latest_versions.map((v: { version: string }) => v.version)).toEqual(['1', '2']);
    expect(wf.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    const versions = await t.http.get(
      '/api/2.0/mlflow/model-versions/search?filter=name%3D%27wf-model%27&max_results=10000',
    );
    expect(versions.body.model_versions).toHaveLength(2);
  });
});
