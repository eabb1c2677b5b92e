import {
  DatasetInput,
  KeyValue,
  Metric,
  ModelOutput,
  Run,
  RunInfo,
  RunMetric,
  RunStatus,
  ViewType,
} from '../entities';
import { FilterClause, OrderByClause } from '../search/search-types';

export interface CreateRunInput {
  experimentId: string;
  userId: string;
  /** Final name: the service resolves run_name / mlflow.runName / a generated name first. */
  runName: string;
  startTime: number | null;
  /** Includes the mlflow.runName tag. */
  tags: KeyValue[];
}

export interface UpdateRunInput {
  status?: RunStatus;
  endTime?: number;
  /** Also rewrites the mlflow.runName tag. */
  runName?: string;
}

/** A validated log-batch (limits, key rules and truncation already applied by the service). */
export interface LogBatchInput {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface SearchRunsQuery {
  experimentIds: string[];
  filter: FilterClause[];
  /** Already completed with MLflow's tiebreaks (start_time DESC, run_id ASC). */
  orderBy: OrderByClause[];
  viewType: ViewType;
  maxResults: number;
  offset: number;
}

export interface MetricHistoryQuery {
  runId: string;
  metricKey: string;
  /** Absent: every point. */
  maxResults?: number;
  offset: number;
}

export interface MetricHistoryBulkIntervalQuery {
  runIds: string[];
  metricKey: string;
  startStep?: number;
  endStep?: number;
  maxResults: number;
}

export interface DatasetSummary {
  experimentId: string;
  name: string;
  digest: string;
  context?: string;
}

/**
 * Persistence of runs (FLOps training rounds) and what is logged to them.
 * "Not found" is RESOURCE_DOES_NOT_EXIST "Run with id=<id> not found". Writes to a run that is not
 * active are INVALID_PARAMETER_VALUE "The run <id> must be in the 'active' state. Current state is
 * deleted.". Every write is idempotent under client retries.
 */
export abstract class RunStore {
  /**
   * The experiment must exist and be active (INVALID_PARAMETER_VALUE "The experiment <id> must be
   * in the 'active' state. Current state is deleted."; RESOURCE_DOES_NOT_EXIST when missing).
   * The store generates the run id and artifact URI `<experiment artifact location>/<id>/artifacts`.
   */
  abstract createRun(input: CreateRunInput): Promise<Run>;

  /** Active or deleted run with latest metrics, params, tags, inputs and outputs. */
  abstract getRun(runId: string): Promise<Run>;

  /** Run info only (cheap); active or deleted. */
  abstract getRunInfo(runId: string): Promise<RunInfo>;

  abstract updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo>;

  /** Soft delete; deleting a deleted run is fine. */
  abstract deleteRun(runId: string): Promise<void>;

  /** Back to active; restoring an active run is fine. */
  abstract restoreRun(runId: string): Promise<void>;

  /**
   * One transaction: params (write-once: a different value for a logged key is
   * INVALID_PARAMETER_VALUE with MLflow's message, nothing written), tags (upsert, last wins,
   * mlflow.runName renames the run), metrics (identical points ignored) and the latest-metrics
   * upsert (greatest (step, timestamp, value) wins, whatever the arrival order).
   */
  abstract logBatch(runId: string, batch: LogBatchInput): Promise<void>;

  /** RESOURCE_DOES_NOT_EXIST "No tag with name: <k> in run with id <id>" when absent. */
  abstract deleteTag(runId: string, key: string): Promise<void>;

  /** Appends a model dict to the mlflow.log-model.history tag (a JSON list). */
  abstract appendLoggedModelHistory(
    runId: string,
    modelJson: Record<string, unknown>,
  ): Promise<void>;

  /** Datasets de-duplicated per experiment by (name, digest); model inputs by model id. */
  abstract logInputs(runId: string, datasets: DatasetInput[], modelIds: string[]): Promise<void>;

  abstract logOutputs(runId: string, models: ModelOutput[]): Promise<void>;

  /** One page of runs, each with its data, inputs and outputs (no N+1), plus whether more follow. */
  abstract searchRuns(query: SearchRunsQuery): Promise<{ items: Run[]; hasMore: boolean }>;

  /** Points ordered by (timestamp, step, value), plus whether more follow. */
  abstract getMetricHistory(
    query: MetricHistoryQuery,
  ): Promise<{ items: Metric[]; hasMore: boolean }>;

  abstract getMetricHistoryBulkInterval(
    query: MetricHistoryBulkIntervalQuery,
  ): Promise<RunMetric[]>;

  /** Every point of `metricKey` for the given runs, up to maxResults, sorted by run id then (timestamp, step, value). */
  abstract getMetricHistoryBulk(
    runIds: string[],
    metricKey: string,
    maxResults: number,
  ): Promise<RunMetric[]>;

  abstract searchDatasets(experimentIds: string[]): Promise<DatasetSummary[]>;
}
