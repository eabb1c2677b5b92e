import { get, post } from './client';

/** The MLflow REST API's shapes as the suite writes them (snake_case, as on the wire). */
const MLFLOW = '/api/2.0/mlflow';

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage: string;
  last_update_time?: number | string;
  creation_time?: number | string;
  tags?: KeyValue[];
}

export interface Metric {
  key: string;
  value: number | string;
  timestamp: number | string;
  step?: number | string;
}

export interface RunInfo {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  user_id?: string;
  status: string;
  start_time?: number | string;
  end_time?: number | string;
  artifact_uri?: string;
  lifecycle_stage: string;
}

export interface Run {
  info: RunInfo;
  data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs?: {
    dataset_inputs?: {
      tags?: KeyValue[];
      dataset: {
        name: string;
        digest: string;
        source_type?: string;
        source?: string;
        schema?: string;
        profile?: string;
      };
    }[];
    model_inputs?: { model_id: string }[];
  };
  outputs?: { model_outputs?: { model_id: string; step: number | string }[] };
}

export interface SearchRunsBody {
  experiment_ids: string[];
  filter?: string;
  run_view_type?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number | string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: KeyValue[];
  aliases?: string[];
  user_id?: string;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp?: number | string;
  last_updated_timestamp?: number | string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
}

export const mlflowApi = {
  /** POST, as MLflow's UI and client do: the filter travels in the body. */
  searchExperiments: (body: {
    max_results?: number;
    filter?: string;
    order_by?: string[];
    page_token?: string;
    view_type?: string;
  }) =>
    post<{ experiments?: Experiment[]; next_page_token?: string }>(
      `${MLFLOW}/experiments/search`,
      body,
    ),
  getExperiment: (experimentId: string, signal?: AbortSignal) =>
    get<{ experiment: Experiment }>(
      `${MLFLOW}/experiments/get`,
      { experiment_id: experimentId },
      signal,
    ),
  searchRuns: (body: SearchRunsBody) =>
    post<{ runs?: Run[]; next_page_token?: string }>(`${MLFLOW}/runs/search`, body),
  getRun: (runId: string, signal?: AbortSignal) =>
    get<{ run: Run }>(`${MLFLOW}/runs/get`, { run_id: runId }, signal),
  metricHistory: (runId: string, key: string, signal?: AbortSignal) =>
    get<{ metrics?: Metric[]; next_page_token?: string }>(
      `${MLFLOW}/metrics/get-history`,
      { run_id: runId, metric_key: key },
      signal,
    ),
  /** Server-side sampling: at most `maxResults` points per run over [startStep, endStep]. */
  historyBulkInterval: (
    query: {
      runIds: readonly string[];
      key: string;
      maxResults: number;
      startStep?: number;
      endStep?: number;
    },
    signal?: AbortSignal,
  ) =>
    get<{ metrics?: (Metric & { run_id: string })[] }>(
      `${MLFLOW}/metrics/get-history-bulk-interval`,
      {
        run_ids: query.runIds,
        metric_key: query.key,
        max_results: query.maxResults,
        start_step: query.startStep,
        end_step: query.endStep,
      },
      signal,
    ),
  listArtifacts: (runId: string, path: string | undefined, signal?: AbortSignal) =>
    get<{ root_uri?: string; files?: FileInfo[]; next_page_token?: string }>(
      `${MLFLOW}/artifacts/list`,
      { run_id: runId, path },
      signal,
    ),
  searchRegisteredModels: (
    query: { filter?: string; max_results?: number; order_by?: string[]; page_token?: string },
    signal?: AbortSignal,
  ) =>
    get<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(
      `${MLFLOW}/registered-models/search`,
      query,
      signal,
    ),
};
