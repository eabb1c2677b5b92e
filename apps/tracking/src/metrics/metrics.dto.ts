import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LIMITS, MetricHistoryPage, RunMetric } from '@app/domain';
import { MlflowField } from '@app/http';
import { JsonDouble, MetricJsonDto, RunMetricJsonDto, toJsonDouble } from '../runs/run-json';

export class GetMetricHistoryRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    aliases: ['run_uuid'],
    description: 'Run (training round) id; `run_uuid` is accepted too',
    example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1',
  })
  run_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'accuracy' })
  metric_key!: string;

  @MlflowField({
    type: 'int32',
    min: 0,
    description: 'Page size; absent or 0 returns the whole history (the Python client sends 25000)',
    example: 25000,
  })
  max_results?: number;

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;
}

export class GetMetricHistoryResponseDto {
  @ApiPropertyOptional({
    type: [MetricJsonDto],
    description: 'Ordered by (timestamp, step, value)',
  })
  metrics?: MetricJsonDto[];

  @ApiPropertyOptional({ example: 'eyJvZmZzZXQiOiAyNTAwMH0=' })
  next_page_token?: string;
}

export class GetMetricHistoryBulkIntervalRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    repeated: true,
    description: `Up to ${LIMITS.metricHistoryBulkMaxRunIds} run ids (repeat the parameter)`,
    example: ['5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1'],
  })
  run_ids!: string[];

  @MlflowField({ type: 'string', required: true, example: 'accuracy' })
  metric_key!: string;

  @MlflowField({ type: 'int32', description: 'First step of the window (with end_step)' })
  start_step?: number;

  @MlflowField({ type: 'int32', description: 'Last step of the window (with start_step)' })
  end_step?: number;

  @MlflowField({
    type: 'int32',
    description: `Steps to sample, 1..${LIMITS.metricHistoryBulkIntervalMaxResults} (default ${LIMITS.metricHistoryBulkIntervalMaxResults})`,
    example: 320,
  })
  max_results?: number;
}

export class GetMetricHistoryBulkIntervalResponseDto {
  @ApiPropertyOptional({ type: [RunMetricJsonDto], description: 'Omitted when empty' })
  metrics?: RunMetricJsonDto[];
}

export class GetMetricHistoryBulkRequestDto {
  @MlflowField({
    type: 'string',
    repeated: true,
    description: `1..${LIMITS.metricHistoryBulkMaxRunIds} run ids (repeat the parameter)`,
    example: ['5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1'],
  })
  run_id?: string[];

  @MlflowField({ type: 'string', example: 'accuracy' })
  metric_key?: string;

  @MlflowField({
    type: 'int32',
    description: `Most points in total, 1..${LIMITS.metricHistoryBulkMaxResults} (default ${LIMITS.metricHistoryBulkMaxResults})`,
    example: 25000,
  })
  max_results?: number;
}

/** The ajax bulk route answers a plain JSON dict, keys sorted as Flask's jsonify writes them. */
export class BulkMetricJsonDto {
  @ApiProperty({ example: 'accuracy' })
  key!: string;
  @ApiProperty({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
  @ApiProperty({ example: 0 })
  step!: number;
  @ApiProperty({ example: 1732600000000 })
  timestamp!: number;
  @ApiProperty({
    oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }],
    example: 0.93,
    description: 'NaN is the string "NaN" (upstream writes a bare NaN token, which is not JSON)',
  })
  value!: JsonDouble;
}

export class GetMetricHistoryBulkResponseDto {
  @ApiProperty({ type: [BulkMetricJsonDto] })
  metrics!: BulkMetricJsonDto[];
}

export function toBulkMetricJson(metric: RunMetric): BulkMetricJsonDto {
  return {
    key: metric.key,
    run_id: metric.runId,
    step: metric.step,
    timestamp: metric.timestamp,
    value: toJsonDouble(metric.value),
  };
}

/** Points per JSON.stringify call: their objects die young instead of all living until the end. */
const HISTORY_JSON_CHUNK = 1024;

/**
 * The get-history body as JSON.stringify writes GetMetricHistoryResponseDto (NaN as "NaN", int64s
 * as numbers), built in chunks: one short-lived object per point instead of a response tree the
 * size of the history (100k points).
 */
export function toMetricHistoryResponseJson(
  points: MetricHistoryPage,
  nextPageToken?: string,
): string {
  const { key, timestamps, steps, values } = points;
  const count = values.length;
  const fields: string[] = [];
  if (count > 0) {
    const chunks: string[] = [];
    for (let from = 0; from < count; from += HISTORY_JSON_CHUNK) {
      const to = Math.min(count, from + HISTORY_JSON_CHUNK);
      const chunk = new Array<MetricJsonDto>(to - from);
      for (let i = from; i < to; i++) {
        chunk[i - from] = {
          key,
          value: toJsonDouble(values[i]),
          timestamp: timestamps[i],
          step: steps[i],
        };
      }
      const json = JSON.stringify(chunk);
      chunks.push(json.slice(1, -1));
    }
    fields.push(`"metrics":[${chunks.join(',')}]`);
  }
  if (nextPageToken) fields.push(`"next_page_token":${JSON.stringify(nextPageToken)}`);
  return `{${fields.join(',')}}`;
}
