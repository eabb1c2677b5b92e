import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import {
  createLoggedModel,
  createRun,
  RegistryClient,
  registryClient,
  TestRun,
} from './registry-fixtures';

const RELATIVE_MESSAGE =
  'If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.';
const LOCAL_MESSAGE =
  'To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.';

/** Model version sources: contract §4.9 and the security catalogue §1.3 C. */
describe.each(BACKENDS)('model version source validation on %s', (backend) => {
  let t: TestApp;
  let api: RegistryClient;
  let run: TestRun;
  let other: TestRun;

  const create = (body: Record<string, unknown>) =>
    api.post('model-versions/create', { name: 'guarded', ...body });

  async function expectRefused(body: Record<string, unknown>, status = 400): Promise<string> {
    const res = await create(body);
    expect({ source: body.source, status: res.status }).toEqual({ source: body.source, status });
    expect(res.body.error_code).toBe(
      status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INVALID_PARAMETER_VALUE',
    );
    return res.body.message as string;
  }

  async function downloadUriOf(body: Record<string, unknown>): Promise<string> {
    const res = await create(body);
    expect(res.status).toBe(200);
    const uri = await api.get('model-versions/get-download-uri', {
      name: 'guarded',
      version: res.body.model_version.version,
    });
    return uri.body.artifact_uri as string;
  }

  beforeAll(async () => {
    t = await createTestApp(backend);
    api = registryClient(t.http);
    run = await createRun(t);
    other = await createRun(t);
    await api.post('registered-models/create', { name: 'guarded' });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('refused before anything is written', () => {
    let lastUpdated: number;

    beforeAll(async () => {
      lastUpdated = (await api.get('registered-models/get', { name: 'guarded' })).body
        .registered_model.last_updated_timestamp;
    });

    it("refuses a .. segment with MLflow's message (registry.json)", async () => {
      const source = `mlflow-artifacts:/${run.experimentId}/${run.runId}/artifacts/../../model`;
      expect(await expectRefused({ source, run_id: run.runId })).toBe(
        `Invalid model version source: '${source}'. ${RELATIVE_MESSAGE}`,
      );
    });

    it("refuses a local path with MLflow's message (registry.json)", async () => {
      expect(await expectRefused({ source: '/etc/passwd' })).toBe(
        `Invalid model version source: '/etc/passwd'. ${LOCAL_MESSAGE}`,
      );
    });

    it.each([
      ['file:///etc'],
      ['/etc'],
      ['//proc/self/root'],
      ['\\..\\..'],
      ['mlflow-artifacts://h/../../../'],
      ['mlflow-artifacts:/RUN/artifacts%00'],
      ['mlflow-artifacts:/RUN/artifacts/..%2f..%2f'],
      ['mlflow-artifacts:/RUN/artifacts/%252e%252e%252f'],
      ['mlflow-artifacts:/RUN/artifacts/%c0%ae%c0%ae/x'],
      ['mlflow-artifacts:/RUN/./artifacts/model'],
      ['mlflow-artifacts:/RUN/artifacts/model#x'],
      ['mlflow-artifacts:/RUN/artifacts/model?x=1'],
      ['mlflow-artifacts:/RUN/artifacts;/../x'],
      ['s3:/b/p/../../q'],
      ['http:///#/../../'],
      ['C:\\Windows'],
      ['file://otherhost/share/model'],
      ['javascript:alert(1)'],
    ])('refuses %j (security catalogue C)', async (template) => {
      const source = template.replace('RUN', `${run.experimentId}/${run.runId}`);
      await expectRefused({ source, run_id: run.runId });
      await expectRefused({ source });
    });

    it('refuses a local source even inside a run id (our run roots are never local)', async () => {
      const message = await expectRefused({
        source: 'file:///mlruns/1/x/artifacts/model',
        run_id: run.runId,
      });
      expect(message).toContain(LOCAL_MESSAGE);
    });

    it('refuses an mlflow-artifacts source naming a run or logged model not where it says', async () => {
      for (const source of [
        `mlflow-artifacts:/${run.experimentId}/0123456789abcdef0123456789abcdef/artifacts/model`,
        `mlflow-artifacts:/${other.experimentId === run.experimentId ? '999' : other.experimentId}/${run.runId}/artifacts/model`,
        `mlflow-artifacts:/${run.experimentId}/models/m-${'0'.repeat(32)}/artifacts`,
      ]) {
        const message = await expectRefused({ source, run_id: run.runId });
        expect(message).toBe(
          `Invalid model version source: '${source}'. It names no run or logged model of this server.`,
        );
      }
      const beside = `mlflow-artifacts:/${run.experimentId}/${run.runId}/artifacts2/model`;
      expect(await expectRefused({ source: beside })).toBe(
        `Invalid model version source: '${beside}'. It is not a path the artifact proxy serves.`,
      );
    });

    it('needs a referenced logged model to exist (404), and run_id to be well formed', async () => {
      await expectRefused({ source: `models:/m-${'0'.repeat(32)}` }, 404);
      await expectRefused(
        { source: `${run.artifactUri}/model`, model_id: `m-${'0'.repeat(32)}` },
        404,
      );
      await expectRefused({ source: 'models:/no-such-model/1' }, 404);
      const badRunId = await expectRefused({
        source: `${run.artifactUri}/model`,
        run_id: '../etc',
      });
      expect(badRunId).toBe('Invalid value "../etc" for parameter \'run_id\' supplied.');
    });

    it('validates sources tagged as prompts all the same (CVE-2026-2614)', async () => {
      const prompt = [{ key: 'mlflow.prompt.is_prompt', value: 'true' }];
      await expectRefused({ source: 'file:///etc/passwd', tags: prompt });
      await expectRefused({ source: `mlflow-artifacts:/${run.experimentId}/x/../y`, tags: prompt });
      // The prompt placeholder is only a placeholder: not for other versions, nor with a run.
      await expectRefused({ source: 'dummy-source' });
      await expectRefused({ source: 'dummy-source', tags: prompt, run_id: run.runId });
    });

    it('wrote nothing for any of them: no version, no timestamp bump', async () => {
      const model = (await api.get('registered-models/get', { name: 'guarded' })).body
        .registered_model;
      expect(model.last_updated_timestamp).toBe(lastUpdated);
      expect(model.latest_versions).toBeUndefined();
    });
  });

  describe('accepted and resolved', () => {
    it('accepts what MLflow accepts beside a run_id: other runs, free paths, object stores (stored as given)', async () => {
      for (const source of [
        `${other.artifactUri}/model`,
        `mlflow-artifacts:/${run.experimentId}/${run.runId}`,
        'mlflow-artifacts:/models',
        'mlflow-artifacts://host:9000/models/artifact/..../',
        's3://bucket/model',
      ]) {
        expect(await downloadUriOf({ source, run_id: run.runId })).toBe(source.replace(/\/+$/, ''));
      }
      expect(await downloadUriOf({ source: `runs:/${other.runId}/model`, run_id: run.runId })).toBe(
        `${other.artifactUri}/model`,
      );
      expect(await downloadUriOf({ source: 'mlflow-artifacts:' })).toBe('mlflow-artifacts:/');
    });

    it('records a run_id, and a runs:/ source, of runs this store does not have as given', async () => {
      const created = await create({ source: 'runs:/run_id/model', run_id: 'run_id_1' });
      expect(created.status).toBe(200);
      expect(created.body.model_version).toMatchObject({
        source: 'runs:/run_id/model',
        run_id: 'run_id_1',
      });
      expect(await downloadUriOf({ source: 'runs:/run_id/model', run_id: 'run_id_1' })).toBe(
        'runs:/run_id/model',
      );
      const files = await t.http.get('/model-versions/get-artifact').query({
        name: 'guarded',
        version: created.body.model_version.version,
        path: 'MLmodel',
      });
      expect([files.status, files.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(files.body.message).toBe(
        `The files of model version (name=guarded, version=${created.body.model_version.version}) are not stored on this server.`,
      );
    });

    it('keeps an artifact-store source under the run as the download location', async () => {
      const source = `${run.artifactUri}/model`;
      expect(await downloadUriOf({ source, run_id: run.runId })).toBe(source);
      expect(await downloadUriOf({ source })).toBe(source);
      expect(await downloadUriOf({ source: `${run.artifactUri}//model/` })).toBe(source);
      expect(await downloadUriOf({ source: run.artifactUri, run_id: run.runId })).toBe(
        run.artifactUri,
      );
    });

    it('resolves runs:/ sources through the run, keeping the source as sent', async () => {
      const res = await create({ source: `runs:/${run.runId}/model/sub`, run_id: run.runId });
      expect(res.body.model_version.source).toBe(`runs:/${run.runId}/model/sub`);
      expect(await downloadUriOf({ source: `runs:/${run.runId}/model/sub` })).toBe(
        `${run.artifactUri}/model/sub`,
      );
    });

    it("accepts a prompt version with MLflow's placeholder source, which names no files", async () => {
      await api.post('registered-models/create', {
        name: 'a-prompt',
        tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }],
      });
      const res = await api.post('model-versions/create', {
        name: 'a-prompt',
        source: 'dummy-source',
        description: 'first prompt',
        tags: [
          { key: 'mlflow.prompt.is_prompt', value: 'true' },
          { key: 'mlflow.prompt.text', value: 'Hello {{name}}' },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.model_version).toMatchObject({
        version: '1',
        source: 'dummy-source',
        run_id: '',
      });
      const uri = await api.get('model-versions/get-download-uri', {
        name: 'a-prompt',
        version: '1',
      });
      expect(uri.body).toEqual({ artifact_uri: 'dummy-source' });
    });

    it('accepts object-store sources that name no run', async () => {
      expect(await downloadUriOf({ source: 's3://bucket/models/fraud' })).toBe(
        's3://bucket/models/fraud',
      );
    });

    it('resolves models:/<model_id> to the logged model location and fills run_id and model_id', async () => {
      const model = await createLoggedModel(t, run);
      const res = await create({ source: `models:/${model.modelId}` });
      expect(res.status).toBe(200);
      expect(res.body.model_version.run_id).toBe(run.runId);
      expect(
        await downloadUriOf({ source: `models:/${model.modelId}`, model_id: model.modelId }),
      ).toBe(model.artifactLocation);
      expect(
        await downloadUriOf({
          source: `${model.artifactLocation}/MLmodel`,
          model_id: model.modelId,
        }),
      ).toBe(`${model.artifactLocation}/MLmodel`);
      expect(await downloadUriOf({ source: `${model.artifactLocation}/MLmodel` })).toBe(
        `${model.artifactLocation}/MLmodel`,
      );
      const otherModel = await createLoggedModel(t, other);
      await expectRefused({ source: `models:/${model.modelId}`, model_id: otherModel.modelId });
      // A source inside another readable logged model is accepted beside model_id, as MLflow does.
      expect(
        await downloadUriOf({
          source: `${model.artifactLocation}/MLmodel`,
          model_id: otherModel.modelId,
        }),
      ).toBe(`${model.artifactLocation}/MLmodel`);
    });

    it('resolves models:/<name>/<version|stage|latest> and models:/<name>@<alias> to that version', async () => {
      await api.post('registered-models/create', { name: 'upstream' });
      const upstream = await api.post('model-versions/create', {
        name: 'upstream',
        source: `runs:/${other.runId}/model`,
      });
      expect(upstream.status).toBe(200);
      await api.post('model-versions/transition-stage', {
        name: 'upstream',
        version: '1',
        stage: 'Staging',
      });
      await api.post('registered-models/alias', {
        name: 'upstream',
        alias: 'champion',
        version: '1',
      });
      for (const source of [
        'models:/upstream/1',
        'models:/upstream/staging',
        'models:/upstream/latest',
        'models:/upstream@champion',
      ]) {
        expect(await downloadUriOf({ source })).toBe(`${other.artifactUri}/model`);
      }
      await expectRefused({ source: 'models:/upstream/Production' }, 404);
      await expectRefused({ source: 'models:/upstream@nobody' });
      await expectRefused({ source: 'models:/a/b/c' });
    });
  });
});

describe.each(BACKENDS)('MODEL_VERSION_SOURCE_REGEX on %s', (backend) => {
  let t: TestApp;
  let api: RegistryClient;
  let run: TestRun;

  beforeAll(async () => {
    t = await createTestApp(backend, {
      env: { MODEL_VERSION_SOURCE_REGEX: '^mlflow-artifacts:/' },
    });
    api = registryClient(t.http);
    run = await createRun(t);
    await api.post('registered-models/create', { name: 'restricted' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('refuses sources that do not match, on top of the built-in checks', async () => {
    const refused = await api.post('model-versions/create', {
      name: 'restricted',
      source: 's3://bucket/model',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid model version source: 's3://bucket/model'.",
    });
    const runsUri = await api.post('model-versions/create', {
      name: 'restricted',
      source: `runs:/${run.runId}/m`,
    });
    expect(runsUri.status).toBe(400);
    const traversal = await api.post('model-versions/create', {
      name: 'restricted',
      source: `${run.artifactUri}/../../x`,
    });
    expect(traversal.status).toBe(400);
    const accepted = await api.post('model-versions/create', {
      name: 'restricted',
      source: `${run.artifactUri}/model`,
      run_id: run.runId,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.model_version.version).toBe('1');
  });
});
