import { get, post, Query } from './client';

const FLOPS = '/api/2.0/flops';

export interface FlopsMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface RegisteredVersionRef {
  name: string;
  version: string;
  current_stage: string;
  aliases: string[];
}

export interface FlopsProject {
  project_id: string;
  experiment_id: string;
  name: string;
  creation_time: number;
  last_activity_time: number;
  objective: string;
  mode: string;
  state: string;
  rounds: number;
  first_round?: number;
  last_round?: number;
  best_round?: { round: number; run_id: string; metrics: FlopsMetric[] };
  model_uploaded: boolean;
  model?: {
    round: number;
    run_id: string;
    artifact_path: string;
    artifact_uri: string;
    logged_model_id?: string;
  };
  registered_version?: RegisteredVersionRef;
}

export interface RoundAggregation {
  participants_selected?: number;
  participants_succeeded?: number;
  participants_failed?: number;
  examples?: number;
  evaluation_examples?: number;
}

export interface FlopsRound {
  round: number;
  run_id: string;
  run_name: string;
  status: string;
  start_time?: number;
  end_time?: number;
  duration_ms?: number;
  cycle?: number;
  metrics: FlopsMetric[];
  params: { key: string; value: string }[];
  aggregation: RoundAggregation;
  system_metrics: {
    key: string;
    mean: number | string;
    max: number | string;
    samples: number;
    last_timestamp: number;
  }[];
  cluster_rounds: FlopsRound[];
  carries_model: boolean;
}

export interface SeriesPoint {
  round: number;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface SystemSeriesPoint {
  round: number;
  mean: number | string;
  max: number | string;
  timestamp: number;
}

export interface ProjectSeries {
  project_id: string;
  experiment_id: string;
  metrics: { key: string; points: SeriesPoint[] }[];
  system?: { key: string; points: SystemSeriesPoint[] }[];
}

export interface ProjectListQuery extends Query {
  state?: string;
  name?: string;
  order_by?: string;
  max_results?: number;
  page_token?: string;
}

export const flopsApi = {
  listProjects: (query: ProjectListQuery, signal?: AbortSignal) =>
    get<{ projects?: FlopsProject[]; next_page_token?: string }>(
      `${FLOPS}/projects`,
      query,
      signal,
    ),
  getProject: (experimentId: string, signal?: AbortSignal) =>
    get<{ project: FlopsProject }>(
      `${FLOPS}/projects/${encodeURIComponent(experimentId)}`,
      undefined,
      signal,
    ),
  listRounds: (
    experimentId: string,
    query: { max_results?: number; page_token?: string },
    signal?: AbortSignal,
  ) =>
    get<{ rounds?: FlopsRound[]; next_page_token?: string }>(
      `${FLOPS}/projects/${encodeURIComponent(experimentId)}/rounds`,
      query,
      signal,
    ),
  getRound: (experimentId: string, round: number, signal?: AbortSignal) =>
    get<{ round: FlopsRound }>(
      `${FLOPS}/projects/${encodeURIComponent(experimentId)}/rounds/${round}`,
      undefined,
      signal,
    ),
  series: (
    experimentId: string,
    metrics: readonly string[],
    system: boolean,
    signal?: AbortSignal,
  ) =>
    get<ProjectSeries>(
      `${FLOPS}/projects/${encodeURIComponent(experimentId)}/series`,
      { metrics: metrics.join(','), system },
      signal,
    ),
  compareSeries: (
    experimentIds: readonly string[],
    metrics: readonly string[],
    signal?: AbortSignal,
  ) =>
    get<{ projects?: ProjectSeries[] }>(
      `${FLOPS}/series`,
      { projects: experimentIds.join(','), metrics: metrics.join(',') },
      signal,
    ),
  bestRound: (experimentId: string, signal?: AbortSignal) =>
    get<{ objective: string; best_round?: FlopsProject['best_round'] }>(
      `${FLOPS}/projects/${encodeURIComponent(experimentId)}/best-round`,
      undefined,
      signal,
    ),
  exportUrl: (experimentId: string, format: 'csv' | 'json') =>
    `${FLOPS}/projects/${encodeURIComponent(experimentId)}/export?format=${format}`,
  registerModel: (
    experimentId: string,
    body: { name?: string; alias?: string; description?: string },
  ) =>
    post<{ model_version: { name: string; version: string } }>(
      `${FLOPS}/projects/${encodeURIComponent(experimentId)}/register-model`,
      body,
    ),
  lineage: (experimentId: string, signal?: AbortSignal) =>
    get<{
      project_id: string;
      experiment_id: string;
      model_round?: number;
      best_round?: number;
      versions: {
        model_version: { name: string; version: string; current_stage: string };
        lineage: unknown;
      }[];
    }>(`${FLOPS}/projects/${encodeURIComponent(experimentId)}/lineage`, undefined, signal),
};
