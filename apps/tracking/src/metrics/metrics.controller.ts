import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import {
  Access,
  MLFLOW_AJAX_ONLY_PREFIX,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
  run,
  runs,
} from '@app/http';

import { toRunMetricJson } from '../runs/run-json';
import {
  GetMetricHistoryBulkIntervalRequestDto,
  GetMetricHistoryBulkIntervalResponseDto,
  GetMetricHistoryBulkRequestDto,
  GetMetricHistoryBulkResponseDto,
  GetMetricHistoryRequestDto,
  GetMetricHistoryResponseDto,
  toBulkMetricJson,
  toMetricHistoryResponseJson,
} from './metrics.dto';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@Controller(MLFLOW_API_PREFIXES)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics/get-history')
  @Access.to([run('read')], { aggregator: true })
  @ApiOperation({
    summary: "A run's points of one metric, ordered by (timestamp, step, value)",
    description: 'Pages with max_results/page_token; without max_results the whole history.',
  })
  @ApiOkResponse({ type: GetMetricHistoryResponseDto })
  @Header('Content-Type', 'application/json; charset=utf-8')
  async getHistory(@MlflowRequest() dto: GetMetricHistoryRequestDto): Promise<Buffer> {
    const page = await this.metrics.getHistory({
      runId: dto.run_id,
      metricKey: dto.metric_key,
      maxResults: dto.max_results,
      pageToken: dto.page_token,
    });
    return toMetricHistoryResponseJson(page.points, page.nextPageToken);
  }

  @Get('metrics/get-history-bulk-interval')
  @Access.to([runs('read')], { aggregator: true })
  @ApiOperation({
    summary: "Sampled points of one metric across runs (the UI's charts)",
    description:
      "Up to max_results distinct steps across the runs, always keeping each run's first and last step.",
  })
  @ApiOkResponse({ type: GetMetricHistoryBulkIntervalResponseDto })
  async getHistoryBulkInterval(
    @MlflowRequest() dto: GetMetricHistoryBulkIntervalRequestDto,
  ): Promise<GetMetricHistoryBulkIntervalResponseDto> {
    const metrics = await this.metrics.getHistoryBulkInterval({
      runIds: dto.run_ids,
      metricKey: dto.metric_key,
      startStep: dto.start_step,
      endStep: dto.end_step,
      maxResults: dto.max_results,
    });
    return metrics.length > 0 ? { metrics: metrics.map(toRunMetricJson) } : {};
  }
}

/** Routes upstream serves only under /ajax-api (plain Flask handlers, not proto RPCs). */
@ApiTags('metrics')
@Controller(MLFLOW_AJAX_ONLY_PREFIX)
export class MetricsAjaxController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics/get-history-bulk')
  @Access.to([runs('read', 'run_id')], { aggregator: true })
  @ApiOperation({
    summary: 'Every point of one metric for up to 100 runs, sorted by run id (UI only)',
  })
  @ApiOkResponse({ type: GetMetricHistoryBulkResponseDto })
  async getHistoryBulk(
    @MlflowRequest() dto: GetMetricHistoryBulkRequestDto,
  ): Promise<GetMetricHistoryBulkResponseDto> {
    const metrics = await this.metrics.getHistoryBulk({
      runIds: dto.run_id,
      metricKey: dto.metric_key,
      maxResults: dto.max_results,
    });
    return { metrics: metrics.map(toBulkMetricJson) };
  }
}
