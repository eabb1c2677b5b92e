import { BACKENDS } from '../../support/backends';
import { createTestApp, TestApp } from '../../support/test-app';

describe.each(BACKENDS)(
  "a logged model's artifacts through the tracking routes on %s",
  (backend) => {
    let t: TestApp;
    let modelId: string;
    let experimentId: string;

    beforeAll(async () => {
      t = await createTestApp(backend);
      const post = (path: string, body: unknown) =>
        t.http
          .post(`/api/2.0/mlflow/${path}`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
      experimentId = (await post('experiments/create', { name: 'lm-artifacts' })).body
        .experiment_id;
      const created = await post('logged-models', {
        experiment_id: experimentId,
        name: 'global-model',
      });
      modelId = created.body.model.info.model_id;
      const root = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/models/${modelId}/artifacts`;
      expect(
        (
          await t.http
            .put(`${root}/MLmodel`)
            .set('Content-Type', 'text/plain')
            .send('flavors: {}\n')
        ).status,
      ).toBe(200);
      expect(
        (
          await t.http
            .put(`${root}/data/model.pth`)
            .set('Content-Type', 'application/octet-stream')
            .send(Buffer.from([1, 2, 3]))
        ).status,
      ).toBe(200);
    });

    afterAll(async () => {
      await t.close();
    });

    it('lists directories with paths relative to the model root', async () => {
      const root = await t.http.get(
        `/api/2.0/mlflow/logged-models/${modelId}/artifacts/directories`,
      );
      expect(root.status).toBe(200);
      expect(root.body).toEqual({
        root_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
        files: [
          { path: 'MLmodel', is_dir: false, file_size: 12 },
          { path: 'data', is_dir: true },
        ],
      });
      const data = await t.http.get(
        `/ajax-api/2.0/mlflow/logged-models/${modelId}/artifacts/directories?artifact_directory_path=data`,
      );
      expect(data.body.files).toEqual([{ path: 'data/model.pth', is_dir: false, file_size: 3 }]);
    });

    it('downloads a file through the ajax-only files route, as an attachment', async () => {
      const res = await t.http.get(
        `/ajax-api/2.0/mlflow/logged-models/${modelId}/artifacts/files?artifact_file_path=MLmodel`,
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment/);
      expect(res.text).toBe('flavors: {}\n');
    });

    it('refuses traversal and answers 404 for unknown models and files', async () => {
      const traversal = await t.http.get(
        `/ajax-api/2.0/mlflow/logged-models/${modelId}/artifacts/files?artifact_file_path=..%2F..%2Fx`,
      );
      expect([traversal.status, traversal.body.error_code]).toEqual([
        400,
        'INVALID_PARAMETER_VALUE',
      ]);
      const unknown = await t.http.get(
        '/api/2.0/mlflow/logged-models/m-00000000000000000000000000000000/artifacts/directories',
      );
      expect([unknown.status, unknown.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
      const missing = await t.http.get(
        `/ajax-api/2.0/mlflow/logged-models/${modelId}/artifacts/files?artifact_file_path=nope`,
      );
      expect([missing.status, missing.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    });
  },
);
