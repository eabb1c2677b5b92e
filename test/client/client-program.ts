import createClient from 'openapi-fetch';

// Generated from the live /docs-json by generated-client.e2e-spec.ts before this file is checked.
import type { components, paths } from './generated/mlflow-api';

type ErrorResponse = components['schemas']['ErrorResponse'];

export interface ClientProgramResult {
  experimentId: string;
  runId: string;
  foundRunIds: string[];
  history: { step: number; value: number | 'NaN' }[];
  downloaded: string;
  modelVersion: string;
  missingExperiment: ErrorResponse['error_code'];
}

/**
 * What a new user writes against a client generated from /docs-json, without a cast: a project
 * and a round, a batch of metrics, a search, a metric history, an artifact up and down, a
 * registered model and version, and a typed error.
 */
export async function runClientProgram(baseUrl: string): Promise<ClientProgramResult> {
  const client = createClient<paths>({ baseUrl });

  const experiment = await client.POST('/api/2.0/mlflow/experiments/create', {
    body: { name: 'FLOps Project generated-client' },
  });
  const experimentId = required(experiment.data?.experiment_id, 'experiment_id');

  const run = await client.POST('/api/2.0/mlflow/runs/create', {
    body: { experiment_id: experimentId, run_name: 'FLOps FL round 1', start_time: Date.now() },
  });
  const runId = required(run.data?.run?.info?.run_id, 'run_id');

  const batch = await client.POST('/api/2.0/mlflow/runs/log-batch', {
    body: {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.5, timestamp: 1_700_000_000_000, step: 0 },
        { key: 'loss', value: 'NaN', timestamp: '1700000000001', step: 1 },
      ],
      params: [{ key: 'strategy', value: 'FedAvg' }],
    },
  });
  if (batch.error) throw new Error(`log-batch: ${batch.error.message}`);

  const search = await client.POST('/api/2.0/mlflow/runs/search', {
    body: { experiment_ids: [experimentId], filter: "params.strategy = 'FedAvg'" },
  });
  const foundRunIds = (search.data?.runs ?? []).map((r) => required(r.info?.run_id, 'run_id'));

  const history = await client.GET('/api/2.0/mlflow/metrics/get-history', {
    params: { query: { run_id: runId, metric_key: 'loss' } },
  });
  const points = (history.data?.metrics ?? []).map((m) => ({ step: m.step, value: m.value }));

  const artifactPath = `${experimentId}/${runId}/artifacts/model/weights.txt`;
  const upload = await client.PUT('/api/2.0/mlflow-artifacts/artifacts/{path}', {
    params: { path: { path: artifactPath } },
    body: 'global model weights',
    bodySerializer: (body) => body,
    headers: { 'Content-Type': 'application/octet-stream' },
  });
  if (upload.error) throw new Error(`upload: ${upload.error.message}`);
  const download = await client.GET('/api/2.0/mlflow-artifacts/artifacts/{path}', {
    params: { path: { path: artifactPath } },
    parseAs: 'text',
  });

  await client.POST('/api/2.0/mlflow/registered-models/create', {
    body: { name: 'generated-client-model' },
  });
  const version = await client.POST('/api/2.0/mlflow/model-versions/create', {
    body: { name: 'generated-client-model', source: `runs:/${runId}/model`, run_id: runId },
  });

  const missing = await client.GET('/api/2.0/mlflow/experiments/get', {
    params: { query: { experiment_id: '987654321' } },
  });

  return {
    experimentId,
    runId,
    foundRunIds,
    history: points,
    downloaded: String(download.data ?? ''),
    modelVersion: required(version.data?.model_version?.version, 'version'),
    missingExperiment: required(missing.error?.error_code, 'error_code'),
  };
}

function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`The response has no ${what}.`);
  return value;
}
