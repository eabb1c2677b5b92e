import {
  Metric,
  MetricHistoryBulkIntervalQuery,
  MetricHistoryQuery,
  MlflowError,
  RunMetric,
} from '@app/domain';
import { SqlExecutor } from '../sql-executor';

export function getMetricHistory(
  _sql: SqlExecutor,
  _query: MetricHistoryQuery,
): Promise<{ items: Metric[]; hasMore: boolean }> {
  return Promise.reject(MlflowError.notImplemented('getMetricHistory'));
}

export function getMetricHistoryBulkInterval(
  _sql: SqlExecutor,
  _query: MetricHistoryBulkIntervalQuery,
): Promise<RunMetric[]> {
  return Promise.reject(MlflowError.notImplemented('getMetricHistoryBulkInterval'));
}

export function getMetricHistoryBulk(
  _sql: SqlExecutor,
  _runIds: string[],
  _metricKey: string,
  _maxResults: number,
): Promise<RunMetric[]> {
  return Promise.reject(MlflowError.notImplemented('getMetricHistoryBulk'));
}
