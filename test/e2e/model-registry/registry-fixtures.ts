import { randomBytes } from 'node:crypto';

import { TestApp } from '../../support/test-app';

export const API = '/api/2.0/mlflow';

/** Minimal HTTP helpers speaking to one app: JSON bodies on POST/PATCH/DELETE, query on GET. */
export function registryClient(http: TestApp['http']) {
  const json = (method: 'post' | 'patch' | 'delete', path: string, body: unknown) =>
    http[method](`${API}/${path}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
  return {
    post: (path: string, body: unknown) => json('post', path, body),
    patch: (path: string, body: unknown) => json('patch', path, body),
    del: (path: string, body: unknown) => json('delete', path, body),
    get: (path: string, query: Record<string, string | string[]> = {}) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        for (const item of ([] as string[]).concat(value)) search.append(key, item);
      }
      const qs = search.toString();
      return http.get(`${API}/${path}${qs ? `?${qs}` : ''}`);
    },
  };
}

export type RegistryClient = ReturnType<typeof registryClient>;

export interface TestRun {
  experimentId: string;
  runId: string;
  artifactUri: string;
}

/** An experiment and a run in it, created through the tracking API as a client does. */
export async function createRun(t: TestApp, experimentName?: string): Promise<TestRun> {
  const api = registryClient(t.http);
  const name = experimentName ?? `registry-exp-${randomBytes(4).toString('hex')}`;
  const created = await api.post('experiments/create', { name });
  if (created.status !== 200) throw new Error(`experiments/create failed: ${created.text}`);
  const experimentId = created.body.experiment_id as string;
  const run = await api.post('runs/create', {
    experiment_id: experimentId,
    user_id: 'golden',
    run_name: 'registry-run',
    start_time: 1732600960000,
  });
  if (run.status !== 200) throw new Error(`runs/create failed: ${run.status} ${run.text}`);
  const info = run.body.run.info as { run_id: string; artifact_uri: string };
  return { experimentId, runId: info.run_id, artifactUri: info.artifact_uri };
}

/** An MLflow 3.x logged model of the run, created through the tracking API (POST logged-models). */
export async function createLoggedModel(
  t: TestApp,
  run: TestRun,
): Promise<{ modelId: string; artifactLocation: string }> {
  const res = await registryClient(t.http).post('logged-models', {
    experiment_id: run.experimentId,
    name: 'model',
    source_run_id: run.runId,
  });
  if (res.status !== 200) throw new Error(`logged-models failed: ${res.status} ${res.text}`);
  const info = res.body.model.info as { model_id: string; artifact_uri: string };
  return { modelId: info.model_id, artifactLocation: info.artifact_uri };
}

/** The key order MLflow 2.17.2 writes a ModelVersion in (registry.json). */
export const MODEL_VERSION_KEYS = [
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
  'aliases',
];

/** The keys of `json` in order, restricted to the known ones. */
export function keyOrder(json: Record<string, unknown>, known: string[]): string[] {
  return Object.keys(json).filter((k) => known.includes(k));
}
