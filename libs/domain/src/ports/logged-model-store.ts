import { ReadableBy } from '../access';
import { KeyValue, LoggedModel, LoggedModelStatus } from '../entities';
import { FilterClause, OrderByClause } from '../search/search-types';

export interface CreateLoggedModelInput {
  experimentId: string;
  /** Final name: the service generates one when the request has none. */
  name: string;
  modelType: string | null;
  sourceRunId: string | null;
  /** Validated, one value per key. */
  params: KeyValue[];
  /** Validated, one value per key. */
  tags: KeyValue[];
}

/** Metrics logged against this dataset (any digest when `datasetDigest` is absent). */
export interface LoggedModelDatasetFilter {
  datasetName: string;
  datasetDigest?: string;
}

/** An order_by clause; metric clauses may be restricted to the points of one dataset. */
export interface LoggedModelOrderByClause extends OrderByClause {
  dataset?: LoggedModelDatasetFilter;
}

export interface SearchLoggedModelsQuery {
  experimentIds: string[];
  filter: FilterClause[];
  /** When given, metric clauses only see points on these datasets, and models need one. */
  datasets: LoggedModelDatasetFilter[];
  /** Already completed with the tiebreaks (creation_timestamp DESC, model_id ASC). */
  orderBy: LoggedModelOrderByClause[];
  maxResults: number;
  offset: number;
  /** Only models in experiments this caller may read; null: everything. */
  readableBy: ReadableBy | null;
}

/**
 * Persistence of MLflow 3.x logged models: their info, tags, params and the metrics logged
 * against them (`logged_model_metrics`, written by the runs' log-batch, read-only here).
 *
 * "Not found" is RESOURCE_DOES_NOT_EXIST "Logged model with ID '<id>' not found."; a deleted
 * model is not found for every method except {@link deleteLoggedModel} (and
 * {@link getLoggedModel} with `allowDeleted`). A model's metrics are every logged point, and
 * wherever a metric is compared or sorted on, its latest point counts: the greatest
 * (step, timestamp, value), NaN smallest.
 */
export abstract class LoggedModelStore {
  /**
   * Creates a LOGGED_MODEL_PENDING model with id `m-<32 hex>` and artifact location
   * `<experiment artifact location>/models/<id>/artifacts`, with its params and tags, in one
   * transaction. The experiment must exist (RESOURCE_DOES_NOT_EXIST "No Experiment with id=<id>
   * exists") and be active (INVALID_PARAMETER_VALUE "The experiment <id> must be in the 'active'
   * state. Current state is deleted."); a source run must exist (RESOURCE_DOES_NOT_EXIST
   * "Run with id=<id> not found").
   */
  abstract createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel>;

  abstract getLoggedModel(modelId: string, allowDeleted?: boolean): Promise<LoggedModel>;

  /** Soft delete; deleting a deleted model is fine (client retries). */
  abstract deleteLoggedModel(modelId: string): Promise<void>;

  /** Sets the status and bumps last_updated_timestamp_ms; returns the updated model. */
  abstract finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel>;

  /** Upsert (the last value wins); bumps last_updated_timestamp_ms. */
  abstract setLoggedModelTags(modelId: string, tags: KeyValue[]): Promise<void>;

  /** RESOURCE_DOES_NOT_EXIST "No tag with key '<k>' found for model with ID '<id>'." when absent. */
  abstract deleteLoggedModelTag(modelId: string, key: string): Promise<void>;

  /**
   * Params are write-once: re-logging the same value is a no-op, a different value is
   * INVALID_PARAMETER_VALUE and nothing is written. Bumps last_updated_timestamp_ms.
   */
  abstract logLoggedModelParams(modelId: string, params: KeyValue[]): Promise<void>;

  /**
   * One page of the active models of the experiments matching every filter clause, each with
   * its tags, params and metrics (one query per child table), plus whether more follow.
   */
  abstract searchLoggedModels(
    query: SearchLoggedModelsQuery,
  ): Promise<{ items: LoggedModel[]; hasMore: boolean }>;
}
