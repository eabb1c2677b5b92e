import { DatasetSummary, MlflowError, Run, SearchRunsQuery } from '@app/domain';
import { SqlExecutor } from '../sql-executor';

export function searchRuns(
  _sql: SqlExecutor,
  _query: SearchRunsQuery,
): Promise<{ items: Run[]; hasMore: boolean }> {
  return Promise.reject(MlflowError.notImplemented('searchRuns'));
}

export function searchDatasets(
  _sql: SqlExecutor,
  _experimentIds: string[],
): Promise<DatasetSummary[]> {
  return Promise.reject(MlflowError.notImplemented('searchDatasets'));
}
