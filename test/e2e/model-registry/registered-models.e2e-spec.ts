import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';
import { createRun, RegistryClient, registryClient } from './registry-fixtures';

const MISSING_NAME =
  "Missing value for required parameter 'name'. See the API docs for more information about request parameters.";

describe.each(BACKENDS)('registered models on %s', (backend) => {
  let t: TestApp;
  let api: RegistryClient;

  beforeAll(async () => {
    t = await createTestApp(backend);
    api = registryClient(t.http);
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates a model with sorted tags and a description, in MLflow key order', async () => {
    const res = await api.post('registered-models/create', {
      name: 'golden-model',
      tags: [
        { key: 'tier', value: 'gold' },
        { key: 'team', value: 'ml' },
      ],
      description: 'golden model',
    });
    expect(res.status).toBe(200);
    const model = res.body.registered_model;
    expect(Object.keys(model)).toEqual([
      'name',
      'creation_timestamp',
      'last_updated_timestamp',
      'description',
      'tags',
    ]);
    expect(model).toMatchObject({
      name: 'golden-model',
      description: 'golden model',
      tags: [
        { key: 'team', value: 'ml' },
        { key: 'tier', value: 'gold' },
      ],
    });
    expect(model.creation_timestamp).toBe(model.last_updated_timestamp);
    expect(typeof model.creation_timestamp).toBe('number');

    const got = await api.get('registered-models/get', { name: 'golden-model' });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('omits an empty description and keeps the last value of a repeated tag key', async () => {
    const res = await api.post('registered-models/create', {
      name: 'plain-model',
      tags: [
        { key: 'k', value: 'first' },
        { key: 'k', value: 'second' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.registered_model.description).toBeUndefined();
    expect(res.body.registered_model.tags).toEqual([{ key: 'k', value: 'second' }]);
  });

  it('answers RESOURCE_ALREADY_EXISTS with status 400 for a taken name', async () => {
    const res = await api.post('registered-models/create', { name: 'golden-model' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'Registered Model (name=golden-model) already exists.',
    });
  });

  it('refuses a missing name, a name over 256 characters and bad tags', async () => {
    const missing = await api.post('registered-models/create', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: MISSING_NAME });

    const long = await api.post('registered-models/create', { name: 'x'.repeat(257) });
    expect(long.status).toBe(400);
    expect(long.body.error_code).toBe('INVALID_PARAMETER_VALUE');

    const badKey = await api.post('registered-models/create', {
      name: 'bad-tag-model',
      tags: [{ key: '../x', value: 'v' }],
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const notCreated = await api.get('registered-models/get', { name: 'bad-tag-model' });
    expect(notCreated.status).toBe(404);
  });

  it('treats names as exact strings: case and percent-encoding make different models', async () => {
    expect((await api.post('registered-models/create', { name: 'Case-Model' })).status).toBe(200);
    expect((await api.post('registered-models/create', { name: 'case-model' })).status).toBe(200);
    expect((await api.post('registered-models/create', { name: 'my%2Dmodel' })).status).toBe(200);
    expect((await api.get('registered-models/get', { name: 'my-model' })).status).toBe(404);
    const encoded = await api.get('registered-models/get', { name: 'my%2Dmodel' });
    expect(encoded.body.registered_model.name).toBe('my%2Dmodel');
  });

  it('answers RESOURCE_DOES_NOT_EXIST (404) for an unknown model', async () => {
    const res = await api.get('registered-models/get', { name: 'golden-no-such-model' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: 'Registered Model with name=golden-no-such-model not found',
    });
  });

  it('renames a model together with its versions and refuses a taken name', async () => {
    const run = await createRun(t);
    await api.post('registered-models/create', { name: 'to-rename' });
    const created = await api.post('model-versions/create', {
      name: 'to-rename',
      source: `${run.artifactUri}/model`,
      run_id: run.runId,
    });
    expect(created.status).toBe(200);
    const before = created.body.model_version.last_updated_timestamp as number;

    const renamed = await api.post('registered-models/rename', {
      name: 'to-rename',
      new_name: 'renamed',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.registered_model.name).toBe('renamed');
    expect(renamed.body.registered_model.latest_versions).toEqual([
      expect.objectContaining({ name: 'renamed', version: '1' }),
    ]);
    expect((await api.get('registered-models/get', { name: 'to-rename' })).status).toBe(404);
    const version = await api.get('model-versions/get', { name: 'renamed', version: '1' });
    expect(version.status).toBe(200);
    expect(version.body.model_version.last_updated_timestamp).toBeGreaterThanOrEqual(before);
    expect(version.body.model_version.last_updated_timestamp).toBe(
      renamed.body.registered_model.last_updated_timestamp,
    );

    const clash = await api.post('registered-models/rename', {
      name: 'renamed',
      new_name: 'golden-model',
    });
    expect(clash.status).toBe(400);
    expect(clash.body).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'Registered Model (name=golden-model) already exists.',
    });
    expect((await api.get('registered-models/get', { name: 'renamed' })).status).toBe(200);

    const missing = await api.post('registered-models/rename', { name: 'nope', new_name: 'x' });
    expect(missing.status).toBe(404);
    const noNewName = await api.post('registered-models/rename', { name: 'renamed' });
    expect(noNewName.status).toBe(400);
    expect(noNewName.body.message).toContain("'new_name'");
  });

  it('updates the description by PATCH with a JSON body and bumps last_updated_timestamp', async () => {
    const before = (await api.get('registered-models/get', { name: 'golden-model' })).body
      .registered_model;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await api.patch('registered-models/update', {
      name: 'golden-model',
      description: 'golden model, updated',
    });
    expect(res.status).toBe(200);
    expect(res.body.registered_model.description).toBe('golden model, updated');
    expect(res.body.registered_model.creation_timestamp).toBe(before.creation_timestamp);
    expect(res.body.registered_model.last_updated_timestamp).toBeGreaterThan(
      before.last_updated_timestamp,
    );

    // PATCH needs no Content-Type (MLflow checks it on POST and PUT only).
    const noContentType = await t.http
      .patch('/api/2.0/mlflow/registered-models/update')
      .send(JSON.stringify({ name: 'golden-no-such-model', description: 'd' }));
    expect(noContentType.status).toBe(404);
    expect(noContentType.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');

    const cleared = await api.patch('registered-models/update', { name: 'plain-model' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.registered_model.description).toBeUndefined();
  });

  it('sets, overwrites and deletes tags; deleting a missing key is a no-op', async () => {
    expect(
      (
        await api.post('registered-models/set-tag', {
          name: 'golden-model',
          key: 'to_delete',
          value: 'x',
        })
      ).status,
    ).toBe(200);
    await api.post('registered-models/set-tag', {
      name: 'golden-model',
      key: 'to_delete',
      value: 'y',
    });
    let model = (await api.get('registered-models/get', { name: 'golden-model' })).body
      .registered_model;
    expect(model.tags).toContainEqual({ key: 'to_delete', value: 'y' });

    const deleted = await api.del('registered-models/delete-tag', {
      name: 'golden-model',
      key: 'to_delete',
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({});
    model = (await api.get('registered-models/get', { name: 'golden-model' })).body
      .registered_model;
    expect(model.tags.map((t: { key: string }) => t.key)).toEqual(['team', 'tier']);

    const again = await api.del('registered-models/delete-tag', {
      name: 'golden-model',
      key: 'never_set',
    });
    expect(again.status).toBe(200);

    const missingModel = await api.post('registered-models/set-tag', {
      name: 'golden-no-such-model',
      key: 'k',
      value: 'v',
    });
    expect(missingModel.status).toBe(404);
    expect(missingModel.body.message).toBe(
      'Registered Model with name=golden-no-such-model not found',
    );
    for (const value of ['x'.repeat(100_001), 'x'.repeat(70_000)]) {
      const tooLong = await api.post('registered-models/set-tag', {
        name: 'golden-model',
        key: 'big',
        value,
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    }
    const longest = await api.post('registered-models/set-tag', {
      name: 'golden-model',
      key: 'big',
      value: 'x'.repeat(65_535),
    });
    expect(longest.status).toBe(200);
    await api.del('registered-models/delete-tag', { name: 'golden-model', key: 'big' });
    const hugeDescription = await api.patch('registered-models/update', {
      name: 'golden-model',
      description: 'é'.repeat(40_000),
    });
    expect(hugeDescription.status).toBe(400);
  });

  describe('search', () => {
    beforeAll(async () => {
      await api.post('registered-models/create', { name: 'golden-other-model' });
      await api.post('registered-models/create', {
        name: 'golden-prompt',
        tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }],
      });
    });

    const names = (body: { registered_models?: { name: string }[] }) =>
      (body.registered_models ?? []).map((m) => m.name);

    it('filters by name LIKE, ordered by name, by GET as the client sends it', async () => {
      const res = await t.http.get(
        '/api/2.0/mlflow/registered-models/search?filter=name+LIKE+%27golden-%25%27&max_results=100&order_by=name+ASC',
      );
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['golden-model', 'golden-other-model']);
      expect(res.body.next_page_token).toBeUndefined();
    });

    it('filters by tag, = / != / ILIKE on the name, and LIKE is case-sensitive', async () => {
      expect(
        names((await api.get('registered-models/search', { filter: "tags.tier = 'gold'" })).body),
      ).toEqual(['golden-model']);
      expect(
        names((await api.get('registered-models/search', { filter: "name ILIKE 'CASE-%'" })).body),
      ).toEqual(['Case-Model', 'case-model']);
      expect(
        names((await api.get('registered-models/search', { filter: "name LIKE 'case-%'" })).body),
      ).toEqual(['case-model']);
      expect(
        names(
          (
            await api.get('registered-models/search', {
              filter: "name != 'golden-model' AND name LIKE 'golden%'",
            })
          ).body,
        ),
      ).toEqual(['golden-other-model']);
    });

    it('hides prompts unless the filter asks for the prompt tag', async () => {
      expect(names((await api.get('registered-models/search')).body)).not.toContain(
        'golden-prompt',
      );
      const prompts = await api.get('registered-models/search', {
        filter: "tags.`mlflow.prompt.is_prompt` = 'true'",
      });
      expect(names(prompts.body)).toEqual(['golden-prompt']);
      const notPrompts = await api.get('registered-models/search', {
        filter: "name LIKE 'golden-%' AND tags.`mlflow.prompt.is_prompt` = 'false'",
      });
      expect(names(notPrompts.body)).toEqual(['golden-model', 'golden-other-model']);
    });

    it('pages with opaque tokens, in MLflow format, until the last page', async () => {
      const first = await api.get('registered-models/search', {
        filter: "name LIKE 'golden-%'",
        max_results: '1',
        order_by: 'name DESC',
      });
      expect(names(first.body)).toEqual(['golden-other-model']);
      expect(first.body.next_page_token).toBe('eyJvZmZzZXQiOiAxfQ==');
      const second = await api.get('registered-models/search', {
        filter: "name LIKE 'golden-%'",
        max_results: '1',
        order_by: 'name DESC',
        page_token: first.body.next_page_token,
      });
      expect(names(second.body)).toEqual(['golden-model']);
      expect(second.body.next_page_token).toBeUndefined();
    });

    it('orders by last_updated_timestamp (alias timestamp) with name ASC as tiebreak', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await api.patch('registered-models/update', {
        name: 'golden-other-model',
        description: 'bump',
      });
      for (const key of ['timestamp', 'last_updated_timestamp']) {
        const res = await api.get('registered-models/search', { order_by: `${key} DESC` });
        expect(names(res.body)[0]).toBe('golden-other-model');
      }
    });

    it("refuses order_by creation_timestamp and max_results over 1000 with MLflow's messages", async () => {
      const order = await api.get('registered-models/search', {
        max_results: '100',
        order_by: 'creation_timestamp DESC',
      });
      expect(order.status).toBe(400);
      expect(order.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(order.body.message).toMatch(
        /^Invalid order by key 'creation_timestamp' specified\. Valid keys are '\{'(timestamp|name)', '(timestamp|name)'\}'$/,
      );
      const tooMany = await api.get('registered-models/search', { max_results: '1001' });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toBe(
        "Invalid value \"1001\" for parameter 'max_results' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.",
      );
      const badFilter = await api.get('registered-models/search', {
        filter: "name = 'a' OR name = 'b'",
      });
      expect(badFilter.status).toBe(400);
      const badToken = await api.get('registered-models/search', { page_token: 'not a token' });
      expect(badToken.status).toBe(400);
      expect(badToken.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    });

    it('is served under /ajax-api too, and answers {} when nothing matches', async () => {
      const res = await t.http.get(
        '/ajax-api/2.0/mlflow/registered-models/search?filter=name+%3D+%27nothing%27',
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({});
    });
  });

  it('deletes a model for good (DELETE with a JSON body); a second delete is 404', async () => {
    const res = await api.del('registered-models/delete', { name: 'renamed' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await api.get('registered-models/get', { name: 'renamed' })).status).toBe(404);
    expect((await api.get('model-versions/get', { name: 'renamed', version: '1' })).status).toBe(
      404,
    );
    const again = await api.del('registered-models/delete', { name: 'renamed' });
    expect(again.status).toBe(404);
    expect(again.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    // The name is free again, and numbering starts over for the new model.
    expect((await api.post('registered-models/create', { name: 'renamed' })).status).toBe(200);
  });

  it('reads DELETE arguments from the body only, never the query string', async () => {
    const res = await t.http.delete('/api/2.0/mlflow/registered-models/delete?name=golden-model');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: MISSING_NAME });
    expect((await api.get('registered-models/get', { name: 'golden-model' })).status).toBe(200);
  });

  it('answers ENDPOINT_NOT_FOUND for a wrong method on a registry route', async () => {
    const res = await api.del('registered-models/create', { name: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('ENDPOINT_NOT_FOUND');
  });
});
