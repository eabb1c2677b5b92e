import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import { createRun, RegistryClient, registryClient, TestRun } from './registry-fixtures';

/**
 * Two registry instances (two apps, two connection pools) over one database, as when several
 * registry replicas run: version numbers and archiving must be enforced by the database.
 */
describe.each(BACKENDS)('registry concurrency on %s', (backend) => {
  let first: TestApp;
  let second: TestApp;
  let apis: RegistryClient[];
  let run: TestRun;

  beforeAll(async () => {
    first = await createTestApp(backend);
    second = await createTestApp(backend, { env: { BACKEND_STORE_URI: first.backendStoreUri } });
    apis = [registryClient(first.http), registryClient(second.http)];
    run = await createRun(first);
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const createVersions = (name: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        apis[i % 2].post('model-versions/create', {
          name,
          source: `${run.artifactUri}/model-${i}`,
          run_id: run.runId,
        }),
      ),
    );

  it('gives 20 parallel creates on one model the versions 1..20 exactly', async () => {
    expect((await apis[0].post('registered-models/create', { name: 'contended' })).status).toBe(
      200,
    );
    const responses = await createVersions('contended', 20);
    expect(responses.map((r) => r.status)).toEqual(new Array(20).fill(200));
    const numbers = responses
      .map((r) => Number(r.body.model_version.version))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

    const listed = await apis[1].get('model-versions/search', {
      filter: "name = 'contended'",
      order_by: 'version_number ASC',
    });
    expect(listed.body.model_versions.map((v: { version: string }) => Number(v.version))).toEqual(
      numbers,
    );
    // Each version kept the source it was created with.
    for (const response of responses) {
      const mv = response.body.model_version;
      const stored = await apis[0].get('model-versions/get', {
        name: 'contended',
        version: mv.version,
      });
      expect(stored.body.model_version.source).toBe(mv.source);
    }
    // The next number continues after the burst, whichever instance asks.
    const next = await apis[1].post('model-versions/create', {
      name: 'contended',
      source: `${run.artifactUri}/model`,
    });
    expect(next.body.model_version.version).toBe('21');
  });

  it('keeps numbering per model while two models are created into concurrently', async () => {
    await apis[0].post('registered-models/create', { name: 'left' });
    await apis[1].post('registered-models/create', { name: 'right' });
    const [left, right] = await Promise.all([
      createVersions('left', 10),
      createVersions('right', 10),
    ]);
    for (const responses of [left, right]) {
      const numbers = responses
        .map((r) => Number(r.body.model_version.version))
        .sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    }
  });

  it('leaves exactly one version in Production after concurrent archiving transitions', async () => {
    await apis[0].post('registered-models/create', { name: 'promoted' });
    await createVersions('promoted', 10);
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        apis[i % 2].post('model-versions/transition-stage', {
          name: 'promoted',
          version: String(i + 1),
          stage: 'Production',
          archive_existing_versions: true,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(new Array(10).fill(200));
    const stages = await apis[0].get('model-versions/search', { filter: "name = 'promoted'" });
    const byStage = new Map<string, number>();
    for (const v of stages.body.model_versions as { current_stage: string }[]) {
      byStage.set(v.current_stage, (byStage.get(v.current_stage) ?? 0) + 1);
    }
    expect(Object.fromEntries(byStage)).toEqual({ Production: 1, Archived: 9 });
    const latest = await apis[1].post('registered-models/get-latest-versions', {
      name: 'promoted',
      stages: ['Production'],
    });
    expect(latest.body.model_versions).toHaveLength(1);
  });

  it('lets transitions without archiving share the stage', async () => {
    const responses = await Promise.all(
      ['1', '2', '3'].map((version, i) =>
        apis[i % 2].post('model-versions/transition-stage', {
          name: 'promoted',
          version,
          stage: 'Staging',
          archive_existing_versions: false,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const staged = await apis[0].get('model-versions/search', { filter: "name = 'promoted'" });
    expect(
      (staged.body.model_versions as { current_stage: string }[]).filter(
        (v) => v.current_stage === 'Staging',
      ),
    ).toHaveLength(3);
  });
});
