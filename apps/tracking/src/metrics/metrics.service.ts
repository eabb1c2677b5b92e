import { Injectable } from '@nestjs/common';

import {
  API_DOCS_HINT,
  LIMITS,
  MetricHistoryPage,
  MlflowError,
  RunMetric,
  RunStore,
} from '@app/domain';

import { decodeHistoryPageToken, encodeHistoryPageToken } from './history-page-token';

export interface MetricHistoryParams {
  runId: string;
  metricKey: string;
  maxResults?: number;
  pageToken?: string;
}

export interface MetricHistoryResult {
  points: MetricHistoryPage;
  nextPageToken?: string;
}

export interface MetricHistoryBulkIntervalParams {
  runIds: string[];
  metricKey: string;
  startStep?: number;
  endStep?: number;
  maxResults?: number;
}

export interface MetricHistoryBulkParams {
  runIds?: string[];
  metricKey?: string;
  maxResults?: number;
}

/** Metric history reads (what MLflow's handlers check, with their messages) over the RunStore port. */
@Injectable()
export class MetricsService {
  constructor(private readonly runs: RunStore) {}

  /**
   * Absent or 0 `maxResults` is the whole history (the npm client never pages). Otherwise one
   * page, with a token while more points follow; MLflow 2.17 ignored both and always answered
   * everything, 3.x pages.
   */
  async getHistory(params: MetricHistoryParams): Promise<MetricHistoryResult> {
    const start = decodeHistoryPageToken(params.pageToken);
    const maxResults = params.maxResults ? params.maxResults : undefined;
    const page = await this.runs.getMetricHistory({
      runId: params.runId,
      metricKey: params.metricKey,
      maxResults,
      start,
    });
    return {
      points: page,
      nextPageToken:
        page.next && maxResults !== undefined ? encodeHistoryPageToken(page.next) : undefined,
    };
  }

  getHistoryBulkInterval(params: MetricHistoryBulkIntervalParams): Promise<RunMetric[]> {
    const maxRunIds = LIMITS.metricHistoryBulkMaxRunIds;
    if (params.runIds.length > maxRunIds) {
      throw MlflowError.invalidParameterValue(
        `GetMetricHistoryBulkInterval request must specify at most ${maxRunIds} run_ids. Received ${params.runIds.length} run_ids. ${API_DOCS_HINT}`,
      );
    }
    const maxSteps = LIMITS.metricHistoryBulkIntervalMaxResults;
    const maxResults = params.maxResults ?? maxSteps;
    if (maxResults < 1 || maxResults > maxSteps) {
      throw MlflowError.invalidParameterValue(
        `max_results must be between 1 and ${maxSteps}. ${API_DOCS_HINT}`,
      );
    }
    const { startStep, endStep } = params;
    if ((startStep === undefined) !== (endStep === undefined)) {
      throw MlflowError.invalidParameterValue(
        'If either start step or end step are specified, both must be specified.',
      );
    }
    if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
      throw MlflowError.invalidParameterValue(
        `end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`,
      );
    }
    return this.runs.getMetricHistoryBulkInterval({
      runIds: params.runIds,
      metricKey: params.metricKey,
      startStep,
      endStep,
      maxResults,
    });
  }

  /**
   * MLflow's ajax `get_metric_history_bulk_handler` checks, in its order. Upstream silently clamps
   * max_results to 25,000; out-of-range values are refused here (security §1.3 E).
   */
  getHistoryBulk(params: MetricHistoryBulkParams): Promise<RunMetric[]> {
    const runIds = params.runIds ?? [];
    if (runIds.length === 0) {
      throw MlflowError.invalidParameterValue(
        'GetMetricHistoryBulk request must specify at least one run_id.',
      );
    }
    const maxRunIds = LIMITS.metricHistoryBulkMaxRunIds;
    if (runIds.length > maxRunIds) {
      throw MlflowError.invalidParameterValue(
        `GetMetricHistoryBulk request cannot specify more than ${maxRunIds} run_ids. Received ${runIds.length} run_ids.`,
      );
    }
    if (params.metricKey === undefined) {
      throw MlflowError.invalidParameterValue(
        'GetMetricHistoryBulk request must specify a metric_key.',
      );
    }
    const maxPoints = LIMITS.metricHistoryBulkMaxResults;
    const maxResults = params.maxResults ?? maxPoints;
    if (maxResults < 1 || maxResults > maxPoints) {
      throw MlflowError.invalidParameterValue(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ${maxPoints}.`,
      );
    }
    return this.runs.getMetricHistoryBulk(runIds, params.metricKey, maxResults);
  }
}
