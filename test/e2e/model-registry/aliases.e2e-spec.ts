import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import { createRun, MODEL_VERSION_KEYS, RegistryClient, registryClient } from './registry-fixtures';

describe.each(BACKENDS)('registered model aliases on %s', (backend) => {
  let t: TestApp;
  let api: RegistryClient;

  const byAlias = (alias: string, name = 'aliased') =>
    api.get('registered-models/alias', { name, alias });
  const setAlias = (alias: string, version: string, name = 'aliased') =>
    api.post('registered-models/alias', { name, alias, version });

  beforeAll(async () => {
    t = await createTestApp(backend);
    api = registryClient(t.http);
    const run = await createRun(t);
    await api.post('registered-models/create', { name: 'aliased' });
    for (let i = 0; i < 3; i++) {
      await api.post('model-versions/create', {
        name: 'aliased',
        source: `${run.artifactUri}/model`,
        run_id: run.runId,
      });
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('sets an alias and resolves it, listing it on the version (last key)', async () => {
    const set = await setAlias('champion', '1');
    expect(set.status).toBe(200);
    expect(set.body).toEqual({});
    const res = await byAlias('champion');
    expect(res.status).toBe(200);
    expect(res.body.model_version).toMatchObject({ version: '1', aliases: ['champion'] });
    expect(Object.keys(res.body.model_version).at(-1)).toBe('aliases');
    expect(Object.keys(res.body.model_version).every((k) => MODEL_VERSION_KEYS.includes(k))).toBe(
      true,
    );
  });

  it('moves an existing alias to another version', async () => {
    expect((await setAlias('champion', '3')).status).toBe(200);
    expect((await byAlias('champion')).body.model_version.version).toBe('3');
    expect(
      (await api.get('model-versions/get', { name: 'aliased', version: '1' })).body.model_version
        .aliases,
    ).toBeUndefined();
  });

  it('lists aliases sorted on the model and on each version', async () => {
    await setAlias('challenger', '3');
    await setAlias('baseline', '2');
    const model = (await api.get('registered-models/get', { name: 'aliased' })).body
      .registered_model;
    expect(model.aliases).toEqual([
      { alias: 'baseline', version: '2' },
      { alias: 'challenger', version: '3' },
      { alias: 'champion', version: '3' },
    ]);
    const v3 = (await api.get('model-versions/get', { name: 'aliased', version: '3' })).body
      .model_version;
    expect(v3.aliases).toEqual(['challenger', 'champion']);
    // As in MLflow, the versions listed on the model carry no aliases; get-latest-versions does.
    expect(model.latest_versions).toEqual([
      expect.not.objectContaining({ aliases: expect.anything() }),
    ]);
    const latest = await api.post('registered-models/get-latest-versions', { name: 'aliased' });
    expect(latest.body.model_versions[0].aliases).toEqual(['challenger', 'champion']);
    const search = await api.get('model-versions/search', {
      filter: "name = 'aliased'",
      order_by: 'version_number DESC',
    });
    expect(search.body.model_versions[0].aliases).toEqual(['challenger', 'champion']);
  });

  it.each([
    ['latest', "'latest' alias name (case insensitive) is reserved."],
    ['LATEST', "'latest' alias name (case insensitive) is reserved."],
    ['v1', "Version alias name 'v1' is reserved."],
    ['V12', "Version alias name 'V12' is reserved."],
  ])('refuses the reserved alias %s', async (alias, message) => {
    const res = await setAlias(alias, '1');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message });
  });

  it('refuses aliases outside [\\w-] or over 255 characters', async () => {
    for (const alias of ['has space', 'dot.ted', '../x', 'a'.repeat(256)]) {
      const res = await setAlias(alias, '1');
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect((await setAlias('a'.repeat(255), '1')).status).toBe(200);
  });

  it('needs a live version: a missing one is RESOURCE_DOES_NOT_EXIST', async () => {
    const res = await setAlias('ghost', '99');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Model Version (name=aliased, version=99) not found',
    });
    expect((await setAlias('ghost', '1', 'no-such-model')).status).toBe(404);
    expect((await setAlias('ghost', 'one')).status).toBe(400);
  });

  it('answers INVALID_PARAMETER_VALUE (400, not 404) for an unknown alias', async () => {
    const res = await byAlias('nobody');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Registered model alias nobody not found.',
    });
    expect((await byAlias('champion', 'no-such-model')).status).toBe(400);
  });

  it('resolves latest to the highest live version', async () => {
    expect((await byAlias('latest')).body.model_version.version).toBe('3');
    expect((await byAlias('Latest')).body.model_version.version).toBe('3');
  });

  it('deletes an alias by DELETE with a JSON body; a missing alias is a no-op, a missing model 404', async () => {
    const res = await api.del('registered-models/alias', { name: 'aliased', alias: 'champion' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await byAlias('champion')).status).toBe(400);
    expect(
      (await api.del('registered-models/alias', { name: 'aliased', alias: 'champion' })).status,
    ).toBe(200);
    const missing = await api.del('registered-models/alias', { name: 'no-such-model', alias: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Registered Model with name=no-such-model not found');
  });

  it('drops the aliases of a deleted version and resolves latest past it', async () => {
    await setAlias('doomed', '3');
    expect((await api.del('model-versions/delete', { name: 'aliased', version: '3' })).status).toBe(
      200,
    );
    expect((await byAlias('doomed')).status).toBe(400);
    expect((await byAlias('challenger')).status).toBe(400);
    expect((await byAlias('latest')).body.model_version.version).toBe('2');
    const model = (await api.get('registered-models/get', { name: 'aliased' })).body
      .registered_model;
    expect(model.aliases.map((a: { alias: string }) => a.alias)).toEqual([
      'a'.repeat(255),
      'baseline',
    ]);
  });

  it('is served under /ajax-api too', async () => {
    const res = await t.http.get(
      '/ajax-api/2.0/mlflow/registered-models/alias?name=aliased&alias=baseline',
    );
    expect(res.status).toBe(200);
    expect(res.body.model_version.version).toBe('2');
  });
});
