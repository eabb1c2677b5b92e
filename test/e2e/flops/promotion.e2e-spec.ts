import { randomBytes } from 'node:crypto';

import TestAgent from 'supertest/lib/agent';

import { MODEL_REGISTRY_SERVICE } from '../../../apps/model-registry/src/model-registry-app.module';
import { BACKENDS } from '../../support/backends';
import {
  AggregatorReplayOptions,
  MODEL_FILES,
  replayAggregator,
} from '../../support/flops-aggregator';
import {
  Account,
  ADMIN_AUTHORIZATION,
  AUTH_ENV,
  createAccount,
  createScopedToken,
} from '../../support/tenants';
import { createTestApp, TestApp } from '../../support/test-app';

const API = '/api/2.0/mlflow';
const FLOPS = '/api/2.0/flops/projects';
const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

type RoundScore = AggregatorReplayOptions['rounds'][number];

/** Round 2 is best by the aggregator's rule (higher accuracy and lower loss); 3 carries the model. */
const ROUNDS: RoundScore[] = [
  { loss: 0.9, accuracy: 0.6 },
  { loss: 0.5, accuracy: 0.85 },
  { loss: 0.6, accuracy: 0.8 },
];

const newProjectId = () => randomBytes(12).toString('hex');

interface Reply {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

interface Version {
  name: string;
  version: string;
  source: string;
  run_id: string;
  current_stage: string;
  tags?: { key: string; value: string }[];
  aliases?: string[];
}

function client(http: TestAgent, authorization: string) {
  const finish = async (req: ReturnType<TestAgent['get']>): Promise<Reply> => {
    const res = await req.set('Authorization', authorization);
    return {
      status: res.status,
      body: (res.body ?? {}) as Record<string, unknown>,
      text: res.text,
    };
  };
  return {
    post: (url: string, body: unknown = {}) =>
      finish(http.post(url).set('Content-Type', 'application/json').send(JSON.stringify(body))),
    get: (url: string, query: Record<string, string> = {}) => finish(http.get(url).query(query)),
    /** A file's bytes as text, whatever its content type. */
    download: async (url: string, query: Record<string, string> = {}) => {
      const res = await http
        .get(url)
        .query(query)
        .set('Authorization', authorization)
        .buffer(true)
        .responseType('blob');
      return { status: res.status, text: Buffer.from(res.body as Buffer).toString('utf8') };
    },
    register: (experimentId: string, body: unknown = {}) =>
      finish(
        http
          .post(`${FLOPS}/${experimentId}/register-model`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body)),
      ),
    lineage: (experimentId: string) => finish(http.get(`${FLOPS}/${experimentId}/lineage`)),
  };
}

type Client = ReturnType<typeof client>;

const tagsOf = (version: Version) =>
  Object.fromEntries((version.tags ?? []).map((t) => [t.key, t.value]));
const versionOf = (reply: Reply) => reply.body.model_version as Version;

/**
 * Promotion of a FLOps project's trained model into the registry (issue 12), against the suite
 * and against the registry deployed on its own beside it. `registry` serves the promotion and
 * registry routes, `tracking` the MLflow tracking routes and the artifact proxy the aggregator
 * uses.
 */
function describePromotion(
  start: () => Promise<{ tracking: TestApp; registry: TestApp; close(): Promise<void> }>,
) {
  let deployment: { tracking: TestApp; registry: TestApp; close(): Promise<void> };
  let alice: Account;
  let bob: Account;
  let carol: Account;
  let aliceRegistry: Client;
  let aliceTracking: Client;
  let projectId: string;
  let experimentId: string;
  let modelRunId: string;
  let bestRunId: string;

  beforeAll(async () => {
    deployment = await start();
    alice = await createAccount(deployment.tracking.app, `alice-${randomBytes(3).toString('hex')}`);
    bob = await createAccount(deployment.tracking.app, `bob-${randomBytes(3).toString('hex')}`);
    carol = await createAccount(deployment.tracking.app, `carol-${randomBytes(3).toString('hex')}`);
    aliceRegistry = client(deployment.registry.http, alice.authorization);
    aliceTracking = client(deployment.tracking.http, alice.authorization);
    projectId = newProjectId();
    const replay = await replayAggregator(deployment.tracking.http, {
      projectId,
      rounds: ROUNDS,
      authorization: alice.authorization,
    });
    experimentId = replay.experimentId;
    modelRunId = replay.modelRunId as string;
    bestRunId = replay.runIds[1];
  });

  afterAll(async () => {
    await deployment?.close();
  });

  const defaultName = () => `flops-${projectId}`;

  it("registers the model of the round that carries it, tagged with the best round's number and metrics, with an alias and a stage", async () => {
    const reply = await aliceRegistry.register(experimentId, {
      alias: 'champion',
      stage: 'staging',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.created).toBe(true);
    const version = versionOf(reply);
    expect(version).toMatchObject({
      name: defaultName(),
      version: '1',
      source: `mlflow-artifacts:/${experimentId}/${modelRunId}/artifacts/logged_model_artifact`,
      run_id: modelRunId,
      current_stage: 'Staging',
      aliases: ['champion'],
    });
    expect(modelRunId).not.toBe(bestRunId);
    expect(tagsOf(version)).toEqual({
      'flops.project_id': projectId,
      'flops.experiment_id': experimentId,
      'flops.model_round': '3',
      'flops.best_round': '2',
      'flops.best_round.metric.accuracy': '0.85',
      'flops.best_round.metric.loss': '0.5',
      'flops.objective': 'aggregator',
    });
    expect(reply.body.lineage).toEqual({
      project_id: projectId,
      experiment_id: experimentId,
      model_round: 3,
      best_round: 2,
      best_round_metrics: [
        { key: 'accuracy', value: 0.85 },
        { key: 'loss', value: 0.5 },
      ],
      objective: 'aggregator',
    });

    // The lineage is on the version for every MLflow client, and the model is the caller's.
    const got = await aliceRegistry.get(`${API}/model-versions/get`, {
      name: defaultName(),
      version: '1',
    });
    expect(got.status).toBe(200);
    expect(tagsOf(versionOf(got))).toEqual(tagsOf(version));
    const model = await aliceRegistry.get(`${API}/registered-models/get`, { name: defaultName() });
    expect(model.status).toBe(200);
    expect((model.body.registered_model as { tags: unknown }).tags).toEqual([
      { key: 'flops.project_id', value: projectId },
    ]);
  });

  it('returns the existing version when the same model is promoted again', async () => {
    const again = await aliceRegistry.register(experimentId, { alias: '', stage: '' });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect(versionOf(again)).toMatchObject({
      name: defaultName(),
      version: '1',
      aliases: ['champion'],
    });
    const listed = await aliceRegistry.get(`${API}/model-versions/search`, {
      filter: `name = '${defaultName()}'`,
    });
    expect((listed.body.model_versions as Version[]).map((v) => v.version)).toEqual(['1']);
  });

  it('creates one version for concurrent identical promotions (through both apps when split)', async () => {
    const name = `flops-concurrent-${randomBytes(3).toString('hex')}`;
    // The suite mounts the registry too: split, the requests reach two apps with two pools.
    const apps = [aliceRegistry, client(deployment.tracking.http, alice.authorization)];
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) => apps[i % 2].register(experimentId, { name })),
    );
    expect(replies.map((r) => r.status)).toEqual(new Array(6).fill(200));
    expect(replies.map((r) => versionOf(r).version)).toEqual(new Array(6).fill('1'));
    expect(replies.filter((r) => r.body.created === true)).toHaveLength(1);
    const listed = await aliceRegistry.get(`${API}/model-versions/search`, {
      filter: `name = '${name}'`,
    });
    expect((listed.body.model_versions as Version[]).map((v) => v.version)).toEqual(['1']);
  });

  it('moves the version to a stage archiving the others there, and adds it to an existing model as the next version', async () => {
    const name = `flops-staged-${randomBytes(3).toString('hex')}`;
    const created = await aliceRegistry.post(`${API}/registered-models/create`, { name });
    expect(created.status).toBe(200);
    const other = await aliceRegistry.post(`${API}/model-versions/create`, {
      name,
      source: `mlflow-artifacts:/${experimentId}/${bestRunId}/artifacts/other`,
      run_id: bestRunId,
    });
    expect(other.status).toBe(200);
    const moved = await aliceRegistry.post(`${API}/model-versions/transition-stage`, {
      name,
      version: '1',
      stage: 'Production',
    });
    expect(moved.status).toBe(200);

    const reply = await aliceRegistry.register(experimentId, {
      name,
      stage: 'Production',
      archive_existing_versions: true,
    });
    expect(reply.status).toBe(200);
    expect(versionOf(reply)).toMatchObject({ name, version: '2', current_stage: 'Production' });
    const first = await aliceRegistry.get(`${API}/model-versions/get`, { name, version: '1' });
    expect(versionOf(first).current_stage).toBe('Archived');
  });

  it("lists the project's promoted versions with their rounds", async () => {
    const reply = await aliceRegistry.lineage(experimentId);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      project_id: projectId,
      experiment_id: experimentId,
      model_round: 3,
      best_round: 2,
    });
    const versions = reply.body.versions as {
      model_version: Version;
      lineage: { model_round: number; best_round: number };
    }[];
    expect(versions.map((v) => v.model_version.name)).toEqual([
      defaultName(),
      expect.stringMatching(/^flops-concurrent-/),
      expect.stringMatching(/^flops-staged-/),
    ]);
    for (const v of versions) {
      expect(v.lineage).toMatchObject({ project_id: projectId, model_round: 3, best_round: 2 });
      expect(v.model_version.run_id).toBe(modelRunId);
    }
  });

  it("names the newest registered version of the trained model in tracking's project summary", async () => {
    const lineage = await aliceRegistry.lineage(experimentId);
    const versions = (lineage.body.versions as { model_version: Version }[]).map(
      (v) => v.model_version,
    );
    const newest = versions[versions.length - 1];
    const expected = {
      name: newest.name,
      version: newest.version,
      current_stage: newest.current_stage,
      aliases: newest.aliases ?? [],
    };
    const one = await aliceTracking.get(`${FLOPS}/${experimentId}`);
    expect(one.status).toBe(200);
    expect((one.body.project as { registered_version?: unknown }).registered_version).toEqual(
      expected,
    );
    const list = await aliceTracking.get(FLOPS, { name: projectId });
    expect(list.status).toBe(200);
    const listed = (
      list.body.projects as { experiment_id: string; registered_version?: unknown }[]
    ).find((p) => p.experiment_id === experimentId);
    expect(listed?.registered_version).toEqual(expected);
  });

  it("serves the promoted version's files through get-artifact and its download URI", async () => {
    const key = { name: defaultName(), version: '1' };
    const uri = await aliceRegistry.get(`${API}/model-versions/get-download-uri`, key);
    expect(uri.status).toBe(200);
    const location = uri.body.artifact_uri as string;
    expect(location).toBe(
      `mlflow-artifacts:/${experimentId}/${modelRunId}/artifacts/logged_model_artifact`,
    );
    const path = location.replace(/^mlflow-artifacts:\//, '');
    for (const [file, content] of Object.entries(MODEL_FILES)) {
      const viaRegistry = await aliceRegistry.download('/model-versions/get-artifact', {
        ...key,
        path: file,
      });
      expect([file, viaRegistry.status, viaRegistry.text]).toEqual([file, 200, content]);
      const viaProxy = await aliceTracking.download(`${PROXY}/${path}/${file}`);
      expect([file, viaProxy.status, viaProxy.text]).toEqual([file, 200, content]);
    }
  });

  it('registers an MLflow 3 logged model of a round from its artifact location', async () => {
    const replay = await replayAggregator(deployment.tracking.http, {
      projectId: newProjectId(),
      rounds: ROUNDS,
      authorization: alice.authorization,
      skipModel: true,
    });
    const lastRunId = replay.runIds[2];
    const logged = await aliceTracking.post(`${API}/logged-models`, {
      experiment_id: replay.experimentId,
      name: 'logged_model_artifact',
      source_run_id: lastRunId,
    });
    expect(logged.status).toBe(200);
    const info = (logged.body.model as { info: { model_id: string; artifact_uri: string } }).info;
    const modelPath = info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
    for (const [file, content] of Object.entries(MODEL_FILES)) {
      const put = await deployment.tracking.http
        .put(`${PROXY}/${modelPath}/${file}`)
        .set('Authorization', alice.authorization)
        .set('Content-Type', 'application/octet-stream')
        .send(Buffer.from(content));
      expect(put.status).toBe(200);
    }
    const reply = await aliceRegistry.register(replay.experimentId);
    expect(reply.status).toBe(200);
    expect(versionOf(reply)).toMatchObject({ source: info.artifact_uri, run_id: lastRunId });
    expect(tagsOf(versionOf(reply))).toMatchObject({
      'flops.model_round': '3',
      'flops.best_round': '2',
    });
    const file = await aliceRegistry.download('/model-versions/get-artifact', {
      name: versionOf(reply).name,
      version: versionOf(reply).version,
      path: 'MLmodel',
    });
    expect([file.status, file.text]).toEqual([200, MODEL_FILES.MLmodel]);
  });

  it('answers a project without a trained model with INVALID_STATE, also when the logged files are missing', async () => {
    const trainingProject = newProjectId();
    const training = await replayAggregator(deployment.tracking.http, {
      projectId: trainingProject,
      rounds: ROUNDS.slice(0, 2),
      authorization: alice.authorization,
      skipModel: true,
    });
    const noModel = await aliceRegistry.register(training.experimentId);
    expect([noModel.status, noModel.body.error_code]).toEqual([400, 'INVALID_STATE']);
    expect(noModel.body.message).toContain('has no trained model yet');

    // A log-model entry whose upload never happened.
    const logModel = await aliceTracking.post(`${API}/runs/log-model`, {
      run_id: training.runIds[1],
      model_json: JSON.stringify({
        run_id: training.runIds[1],
        artifact_path: 'logged_model_artifact',
        utc_time_created: '2024-12-03 14:00:00.000000',
        flavors: {},
      }),
    });
    expect(logModel.status).toBe(200);
    const noFiles = await aliceRegistry.register(training.experimentId);
    expect([noFiles.status, noFiles.body.error_code]).toEqual([400, 'INVALID_STATE']);
    const models = await aliceRegistry.get(`${API}/registered-models/search`, {
      filter: `name = 'flops-${trainingProject}'`,
    });
    expect(models.body.registered_models).toBeUndefined();
  });

  it('answers an experiment that is not a FLOps project, and a malformed id, with its own errors', async () => {
    const plain = await aliceTracking.post(`${API}/experiments/create`, {
      name: `not-a-project-${randomBytes(3).toString('hex')}`,
    });
    const notProject = await aliceRegistry.register(plain.body.experiment_id as string);
    expect([notProject.status, notProject.body.error_code]).toEqual([
      404,
      'RESOURCE_DOES_NOT_EXIST',
    ]);
    expect(notProject.body.message).toContain('No FLOps project');
    const lineage = await aliceRegistry.lineage(plain.body.experiment_id as string);
    expect(lineage.status).toBe(404);
    const malformed = await aliceRegistry.register('abc');
    expect([malformed.status, malformed.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('refuses a bad name, alias or stage with 400 before anything is written', async () => {
    const name = `flops-bad-${randomBytes(3).toString('hex')}`;
    const cases: unknown[] = [
      { name: '' },
      { name: 'x'.repeat(300) },
      { name, alias: 'not an alias' },
      { name, alias: 'latest' },
      { name, alias: 'v3' },
      { name, stage: 'Prod' },
      { name, stage: 'Archived', archive_existing_versions: true },
      { name, archive_existing_versions: true },
      { name, alias: 7 },
    ];
    for (const body of cases) {
      const reply = await aliceRegistry.register(experimentId, body);
      expect([body, reply.status, reply.body.error_code]).toEqual([
        body,
        400,
        'INVALID_PARAMETER_VALUE',
      ]);
    }
    const created = await aliceRegistry.get(`${API}/registered-models/get`, { name });
    expect(created.status).toBe(404);
  });

  it("refuses other users, read-only users and scoped tokens, and never adds to someone else's model", async () => {
    const bobRegistry = client(deployment.registry.http, bob.authorization);
    for (const reply of [
      await bobRegistry.register(experimentId),
      await bobRegistry.lineage(experimentId),
    ]) {
      expect([reply.status, reply.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    }

    // Carol may read the project, but the model of its default name is Alice's.
    const carolRegistry = client(deployment.registry.http, carol.authorization);
    const grant = await aliceTracking.post(`${API}/experiments/permissions/create`, {
      experiment_id: experimentId,
      username: carol.username,
      permission: 'READ',
    });
    expect(grant.status).toBe(200);
    const taken = await carolRegistry.register(experimentId);
    expect([taken.status, taken.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    const modelGrant = await aliceTracking.post(`${API}/registered-models/permissions/create`, {
      name: defaultName(),
      username: carol.username,
      permission: 'READ',
    });
    expect(modelGrant.status).toBe(200);
    const readOnly = await carolRegistry.register(experimentId);
    expect([readOnly.status, readOnly.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    // Her lineage lists only what she may read: the default model, not Alice's others.
    const lineage = await carolRegistry.lineage(experimentId);
    expect(lineage.status).toBe(200);
    expect(
      (lineage.body.versions as { model_version: Version }[]).map((v) => v.model_version.name),
    ).toEqual([defaultName()]);
    // Under a name of her own she registers the project's model (she can read its files).
    const own = await carolRegistry.register(experimentId, {
      name: `flops-carol-${randomBytes(3).toString('hex')}`,
    });
    expect([own.status, own.body.created]).toEqual([200, true]);

    const token = await createScopedToken(deployment.tracking.app, alice, experimentId);
    const tokenRegistry = client(deployment.registry.http, token);
    for (const reply of [
      await tokenRegistry.register(experimentId),
      await tokenRegistry.lineage(experimentId),
    ]) {
      expect([reply.status, reply.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    }
    const anonymous = await deployment.registry.http
      .post(`${FLOPS}/${experimentId}/register-model`)
      .send({});
    expect(anonymous.status).toBe(401);

    const admin = client(deployment.registry.http, ADMIN_AUTHORIZATION);
    const byAdmin = await admin.register(experimentId);
    expect([byAdmin.status, byAdmin.body.created, versionOf(byAdmin).version]).toEqual([
      200,
      false,
      '1',
    ]);
  });
}

describe.each(BACKENDS)('FLOps promotion in the suite on %s', (backend) => {
  describePromotion(async () => {
    const suite = await createTestApp(backend, { env: AUTH_ENV });
    return { tracking: suite, registry: suite, close: () => suite.close() };
  });
});

describe.each(BACKENDS)(
  'FLOps promotion through the model registry deployed on its own, on %s',
  (backend) => {
    describePromotion(async () => {
      const suite = await createTestApp(backend, { env: AUTH_ENV });
      const registry = await createTestApp(backend, {
        service: MODEL_REGISTRY_SERVICE,
        backendStoreUri: suite.backendStoreUri,
        env: { ...AUTH_ENV, ARTIFACTS_DESTINATION: `file:${suite.workDir}/artifacts` },
      });
      return {
        tracking: suite,
        registry,
        close: async () => {
          await registry.close();
          await suite.close();
        },
      };
    });
  },
);

describe("FLOps promotion with the deployment's own name patterns", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp('sqlite', {
      env: { FLOPS_PROJECT_NAME_PATTERN: 'Fed <id> study', FLOPS_ROUND_NAME_PATTERN: 'cycle <n>' },
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('recognises the project and its rounds by the configured patterns', async () => {
    const projectId = newProjectId();
    const replay = await replayAggregator(t.http, {
      projectId,
      rounds: ROUNDS,
      experimentName: `Fed ${projectId} study`,
      roundName: (n) => `cycle ${n}`,
    });
    const reply = await t.http
      .post(`${FLOPS}/${replay.experimentId}/register-model`)
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(reply.status).toBe(200);
    expect(reply.body.model_version.name).toBe(`flops-${projectId}`);
    expect(reply.body.lineage).toMatchObject({ model_round: 3, best_round: 2 });
  });
});
