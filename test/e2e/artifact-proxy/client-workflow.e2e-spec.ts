import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { BACKENDS } from '../../support/backends';
import {
  ArtifactApp,
  createArtifactApp,
  createRun,
  DESTINATION_KINDS,
  rawHttp,
} from './artifact-support';

/** Relative paths of every file below `dir`, sorted. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/**
 * What MLflow's `HttpArtifactRepository` (behind `mlflow-artifacts:` URIs) sends, reference
 * §7 items 10–13: the run's artifact_uri from runs/get, one PUT per file, listings of
 * basenames that the client joins onto the directory it asked for, and a recursive download
 * that treats a path listing as empty as a file.
 */
class MlflowArtifactClient {
  constructor(
    private readonly baseUrl: string,
    private readonly artifactUri: string,
  ) {}

  private get repoPath(): string {
    const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(this.artifactUri);
    if (!match) throw new Error(`not a proxied artifact URI: ${this.artifactUri}`);
    return match[1];
  }

  private url(path: string): string {
    const full = [this.repoPath, path].filter(Boolean).join('/');
    return `/api/2.0/mlflow-artifacts/artifacts/${full.split('/').map(encodeURIComponent).join('/')}`;
  }

  async logArtifacts(localDir: string, artifactPath: string): Promise<void> {
    for (const file of filesBelow(localDir)) {
      const res = await rawHttp(this.baseUrl, 'PUT', this.url(`${artifactPath}/${file}`), {
        headers: {
          'Content-Type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        },
        body: readFileSync(join(localDir, file)),
      });
      if (res.status !== 200) throw new Error(`PUT ${file}: ${res.status} ${res.body.toString()}`);
    }
  }

  async listArtifacts(
    path: string,
  ): Promise<{ path: string; is_dir: boolean; file_size?: number }[]> {
    const full = [this.repoPath, path].filter(Boolean).join('/');
    const res = await rawHttp(
      this.baseUrl,
      'GET',
      `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(full)}`,
    );
    if (res.status !== 200) throw new Error(`list ${path}: ${res.status} ${res.body.toString()}`);
    const files = (res.json().files ?? []) as {
      path: string;
      is_dir: boolean;
      file_size?: number;
    }[];
    return files.map((f) => ({ ...f, path: path ? `${path}/${f.path}` : f.path }));
  }

  async downloadArtifacts(path: string, dest: string): Promise<void> {
    const children = await this.listArtifacts(path);
    if (children.length === 0) {
      const res = await rawHttp(this.baseUrl, 'GET', this.url(path));
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.toString()}`);
      mkdirSync(dirname(join(dest, path)), { recursive: true });
      writeFileSync(join(dest, path), res.body);
      return;
    }
    for (const child of children) await this.downloadArtifacts(child.path, dest);
  }
}

describe.each(DESTINATION_KINDS)('an MLflow client workflow over a %s destination', (kind) => {
  describe.each(BACKENDS)('with a %s backend store', (backend) => {
    let app: ArtifactApp;
    let workDir: string;

    beforeAll(async () => {
      app = await createArtifactApp(backend, kind);
      workDir = mkdtempSync(join(tmpdir(), 'flops-client-'));
    });

    afterAll(async () => {
      await app?.close();
      rmSync(workDir, { recursive: true, force: true });
    });

    it('logs a model directory, lists it by basenames and downloads it back identical', async () => {
      const run = await createRun(app.t);
      const local = join(workDir, 'model');
      const files: Record<string, Buffer> = {
        MLmodel: Buffer.from('artifact_path: model\nflavors:\n  python_function: {}\n'),
        'conda.yaml': Buffer.from('name: flops\n'),
        'model.pkl': randomBytes(150_000),
        'data/weights.bin': randomBytes(70_000),
        'data/empty.txt': Buffer.alloc(0),
        'data/nested/metadata.json': Buffer.from('{"round": 3}'),
        'données/ünïcode file.txt': Buffer.from('ok'),
      };
      for (const [path, body] of Object.entries(files)) {
        mkdirSync(dirname(join(local, path)), { recursive: true });
        writeFileSync(join(local, path), body);
      }

      // 10. runs/get for artifact_uri, then one PUT per file.
      const got = await rawHttp(app.baseUrl, 'GET', `/api/2.0/mlflow/runs/get?run_id=${run.runId}`);
      const artifactUri = got.json().run as { info: { artifact_uri: string } };
      expect(artifactUri.info.artifact_uri).toBe(
        `mlflow-artifacts:/${run.experimentId}/${run.runId}/artifacts`,
      );
      const client = new MlflowArtifactClient(app.baseUrl, artifactUri.info.artifact_uri);
      await client.logArtifacts(local, 'model');

      // 13. 2.x log_model: the files, then runs/log-model.
      const logModel = await rawHttp(app.baseUrl, 'POST', '/api/2.0/mlflow/runs/log-model', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          run_id: run.runId,
          model_json: JSON.stringify({
            run_id: run.runId,
            artifact_path: 'model',
            utc_time_created: '2024-11-26 05:46:40.000000',
            flavors: { python_function: { env: { conda: 'conda.yaml' } } },
          }),
        }),
      });
      expect(logModel.status).toBe(200);

      // 11. list_artifacts: basenames joined by the client onto the directory it asked for.
      expect(await client.listArtifacts('')).toEqual([{ path: 'model', is_dir: true }]);
      expect(await client.listArtifacts('model')).toEqual([
        { path: 'model/MLmodel', is_dir: false, file_size: files.MLmodel.length },
        { path: 'model/conda.yaml', is_dir: false, file_size: 12 },
        { path: 'model/data', is_dir: true },
        { path: 'model/données', is_dir: true },
        { path: 'model/model.pkl', is_dir: false, file_size: 150_000 },
      ]);
      expect(await client.listArtifacts('model/MLmodel')).toEqual([]);

      // 12. download_artifacts: recursive, a path that lists as empty is a file.
      const downloaded = join(workDir, 'downloaded');
      await client.downloadArtifacts('model', downloaded);
      const back = join(downloaded, 'model');
      expect(filesBelow(back)).toEqual(Object.keys(files).sort());
      for (const [path, body] of Object.entries(files)) {
        expect([path, readFileSync(join(back, path)).equals(body)]).toEqual([path, true]);
      }

      // The tracking-side listing the UI uses sees the same tree, run-relative.
      const ui = await rawHttp(
        app.baseUrl,
        'GET',
        `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=model%2Fdata`,
      );
      expect(ui.json()).toEqual({
        root_uri: artifactUri.info.artifact_uri,
        files: [
          { path: 'model/data/empty.txt', is_dir: false },
          { path: 'model/data/nested', is_dir: true },
          { path: 'model/data/weights.bin', is_dir: false, file_size: 70_000 },
        ],
      });
    });
  });
});
