import {
  CreateRunInput,
  DatasetInput,
  DatasetSummary,
  LogBatchInput,
  Metric,
  MetricHistoryBulkIntervalQuery,
  MetricHistoryQuery,
  MlflowError,
  ModelOutput,
  Run,
  RunInfo,
  RunMetric,
  RunStore,
  SearchRunsQuery,
  UpdateRunInput,
} from '@app/domain';
import { SqlExecutor } from '../sql-executor';
import {
  getMetricHistory,
  getMetricHistoryBulk,
  getMetricHistoryBulkInterval,
} from './metric-history';
import { searchDatasets, searchRuns } from './run-search';

export class SqlRunStore extends RunStore {
  constructor(private readonly sql: SqlExecutor) {
    super();
  }

  createRun(_input: CreateRunInput): Promise<Run> {
    return Promise.reject(MlflowError.notImplemented('createRun'));
  }
  getRun(_runId: string): Promise<Run> {
    return Promise.reject(MlflowError.notImplemented('getRun'));
  }
  getRunInfo(_runId: string): Promise<RunInfo> {
    return Promise.reject(MlflowError.notImplemented('getRunInfo'));
  }
  updateRun(_runId: string, _update: UpdateRunInput): Promise<RunInfo> {
    return Promise.reject(MlflowError.notImplemented('updateRun'));
  }
  deleteRun(_runId: string): Promise<void> {
    return Promise.reject(MlflowError.notImplemented('deleteRun'));
  }
  restoreRun(_runId: string): Promise<void> {
    return Promise.reject(MlflowError.notImplemented('restoreRun'));
  }
  logBatch(_runId: string, _batch: LogBatchInput): Promise<void> {
    return Promise.reject(MlflowError.notImplemented('logBatch'));
  }
  deleteTag(_runId: string, _key: string): Promise<void> {
    return Promise.reject(MlflowError.notImplemented('deleteTag'));
  }
  appendLoggedModelHistory(_runId: string, _modelJson: Record<string, unknown>): Promise<void> {
    return Promise.reject(MlflowError.notImplemented('appendLoggedModelHistory'));
  }
  logInputs(_runId: string, _datasets: DatasetInput[], _modelIds: string[]): Promise<void> {
    return Promise.reject(MlflowError.notImplemented('logInputs'));
  }
  logOutputs(_runId: string, _models: ModelOutput[]): Promise<void> {
    return Promise.reject(MlflowError.notImplemented('logOutputs'));
  }
  // Read-side queries live in their own files (run-search.ts, metric-history.ts).
  searchRuns(query: SearchRunsQuery): Promise<{ items: Run[]; hasMore: boolean }> {
    return searchRuns(this.sql, query);
  }
  getMetricHistory(query: MetricHistoryQuery): Promise<{ items: Metric[]; hasMore: boolean }> {
    return getMetricHistory(this.sql, query);
  }
  getMetricHistoryBulkInterval(query: MetricHistoryBulkIntervalQuery): Promise<RunMetric[]> {
    return getMetricHistoryBulkInterval(this.sql, query);
  }
  getMetricHistoryBulk(
    runIds: string[],
    metricKey: string,
    maxResults: number,
  ): Promise<RunMetric[]> {
    return getMetricHistoryBulk(this.sql, runIds, metricKey, maxResults);
  }
  searchDatasets(experimentIds: string[]): Promise<DatasetSummary[]> {
    return searchDatasets(this.sql, experimentIds);
  }
}
