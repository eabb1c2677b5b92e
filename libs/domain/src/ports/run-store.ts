import { ReadableBy } from '../access';
import {
  DatasetInput,
  Int64,
  KeyValue,
  Metric,
  ModelOutput,
  Run,
  RunInfo,
  RunMetric,
  RunStatus,
  ViewType,
} from '../entities';
import { MlflowError } from '../errors';
import { pythonRepr } from '../rules';
import { FilterClause, OrderByClause } from '../search/search-types';

export interface CreateRunInput {
  experimentId: string;
  userId: string;
  /** Final name: the service resolves run_name / mlflow.runName / a generated name first. */
  runName: string;
  startTime: Int64 | null;
  /** Includes the mlflow.runName tag. */
  tags: KeyValue[];
}

export interface UpdateRunInput {
  status?: RunStatus;
  endTime?: Int64;
  /** Also rewrites the mlflow.runName tag. */
  runName?: string;
}

/**
 * A validated log-batch (limits, key rules, truncation, unique param keys and last-wins tags
 * already applied by the service). Metric values may be NaN or ±Infinity; the store keeps ±Infinity
 * as ±Number.MAX_VALUE.
 */
export interface LogBatchInput {
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface ParamChange {
  key: string;
  oldValue: string;
  newValue: string;
}

/**
 * INVALID_PARAMETER_VALUE for a param logged again with a different value. The message is MLflow's
 * log-batch wording; `singleParamError()` gives its log-parameter wording.
 */
export class ParamValueChangedError extends MlflowError {
  constructor(
    readonly runId: string,
    readonly changes: ParamChange[],
  ) {
    const list = changes
      .map(
        (c) =>
          `{'key': ${pythonRepr(c.key)}, 'old_value': ${pythonRepr(c.oldValue)}, 'new_value': ${pythonRepr(c.newValue)}}`,
      )
      .join(', ');
    super(
      'INVALID_PARAMETER_VALUE',
      `Changing param values is not allowed. Params were already logged='[${list}]' for run ID='${runId}'.`,
    );
  }

  singleParamError(): MlflowError {
    const [change] = this.changes;
    return MlflowError.invalidParameterValue(
      `Changing param values is not allowed. Param with key='${change.key}' was already logged with value='${change.oldValue}' for run ID='${this.runId}'. Attempted logging new value '${change.newValue}'.`,
    );
  }
}

export interface SearchRunsQuery {
  experimentIds: string[];
  filter: FilterClause[];
  /** Already completed with MLflow's tiebreaks (start_time DESC, run_id ASC). */
  orderBy: OrderByClause[];
  viewType: ViewType;
  maxResults: number;
  offset: number;
  /** Only runs in experiments this caller may read; null: everything. */
  readableBy: ReadableBy | null;
}

export interface MetricHistoryQuery {
  runId: string;
  metricKey: string;
  /** Absent: every point. */
  maxResults?: number;
  start: MetricHistoryStart;
}

/**
 * Where a history page starts: a position in the (timestamp, step, value, is_nan) order (MLflow's
 * offset tokens), or a keyset cursor the range seek starts from, so later pages cost no more than
 * the first.
 */
export type MetricHistoryStart = { offset: number } | { after: MetricHistoryCursor };

/**
 * The page starts in the (timestamp, step) group of the previous page's last point, after the
 * `skip` points of that group already returned (they come first, in value order). Only integers:
 * a double read back through the driver may differ from the stored one in the last bit, so a
 * cursor on `value` could repeat or lose a point. bigint stands for int64s beyond 2^53.
 */
export interface MetricHistoryCursor {
  timestamp: number | bigint;
  step: number | bigint;
  skip: number;
}

/**
 * A page of one key's points as parallel columns (NaN in `values` for NaN points): a 100k-point
 * history then costs no object per point between the store and the response.
 */
export interface MetricHistoryPage {
  key: string;
  timestamps: Float64Array;
  steps: Float64Array;
  values: Float64Array;
  /**
   * The points whose timestamp or step lies beyond 2^53, by index, exactly (`timestamps` and
   * `steps` hold them rounded). Absent when there are none, as in every real history.
   */
  exactInt64?: Map<number, { timestamp: Int64; step: Int64 }>;
  /** Where the next page starts; absent on the last page. */
  next?: MetricHistoryStart;
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
 * active (update, log-batch, delete-tag, log-model, inputs, outputs) are INVALID_PARAMETER_VALUE
 * "The run <id> must be in the 'active' state. Current state is deleted.". Every write except
 * createRun is idempotent under client retries, and each is one transaction.
 */
export abstract class RunStore {
  /**
   * The experiment must exist and be active (INVALID_PARAMETER_VALUE "The experiment <id> must be
   * in the 'active' state. Current state is deleted."; RESOURCE_DOES_NOT_EXIST "No Experiment with
   * id=<id> exists" when missing). The store generates the run id (32 lowercase hex digits) and the
   * artifact URI `<experiment artifact location>/<id>/artifacts`. The returned run carries the
   * tags in the order given (MLflow's create response), not sorted.
   */
  abstract createRun(input: CreateRunInput): Promise<Run>;

  /** Active or deleted run with latest metrics, params and tags (each sorted by key), inputs and outputs. */
  abstract getRun(runId: string): Promise<Run>;

  /** Run info only (cheap); active or deleted. */
  abstract getRunInfo(runId: string): Promise<RunInfo>;

  /** Applies only the fields given (the run must be active) and returns the updated info. */
  abstract updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo>;

  /** Soft delete (`deleted_time` set once); deleting a deleted run is fine. */
  abstract deleteRun(runId: string): Promise<void>;

  /** Back to active; restoring an active run is fine. */
  abstract restoreRun(runId: string): Promise<void>;

  /**
   * One transaction, all or nothing: params (write-once: the same value again is a no-op, a
   * different one is a `ParamValueChangedError` and nothing is written), metrics (identical points
   * ignored; points with a `modelId` are also recorded for that logged model), the latest-metrics
   * upsert (greatest (step, timestamp, value) wins, NaN counting as the smallest value, whatever
   * the arrival order) and tags (upsert; mlflow.runName renames the run).
   */
  abstract logBatch(runId: string, batch: LogBatchInput): Promise<void>;

  /**
   * Exactly `logBatch(runId, { metrics: [metric], params: [], tags: [] })`, errors included; a
   * separate method so that a store can write the single point of runs/log-metric more cheaply.
   */
  abstract logMetric(runId: string, metric: Metric): Promise<void>;

  /** RESOURCE_DOES_NOT_EXIST "No tag with name: <k> in run with id <id>" when absent. */
  abstract deleteTag(runId: string, key: string): Promise<void>;

  /**
   * Appends a model dict to the mlflow.log-model.history tag, a JSON list written as Python's
   * `json.dumps` writes it (read-modify-write in one transaction).
   */
  abstract appendLoggedModelHistory(
    runId: string,
    modelJson: Record<string, unknown>,
  ): Promise<void>;

  /**
   * Datasets de-duplicated per experiment by (name, digest): the first logged copy is kept as is.
   * A dataset already linked to the run keeps the input tags it was first logged with. Model
   * inputs are de-duplicated by model id.
   */
  abstract logInputs(runId: string, datasets: DatasetInput[], modelIds: string[]): Promise<void>;

  /** Links logged models to the run; a model already linked keeps its first step. */
  abstract logOutputs(runId: string, models: ModelOutput[]): Promise<void>;

  /** One page of runs, each with its data, inputs and outputs (no N+1), plus whether more follow. */
  abstract searchRuns(query: SearchRunsQuery): Promise<{ items: Run[]; hasMore: boolean }>;

  /** Points ordered by (timestamp, step, value, is_nan), and where the next page starts. */
  abstract getMetricHistory(query: MetricHistoryQuery): Promise<MetricHistoryPage>;

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
