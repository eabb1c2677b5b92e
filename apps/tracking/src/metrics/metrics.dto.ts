import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { Int64, LIMITS, MetricHistoryPage, RunMetric } from '@app/domain';
import { MlflowField } from '@app/http';

import { JsonDouble, MetricJsonDto, RunMetricJsonDto, toJsonDouble } from '../runs/run-json';
import { JsonBytes } from './json-bytes';

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
  @ApiProperty({ type: 'integer', format: 'int64', example: 0 })
  step!: Int64;
  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  timestamp!: Int64;
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

/**
 * The get-history body, byte for byte what JSON.stringify writes for GetMetricHistoryResponseDto
 * (NaN as "NaN", ±Infinity as null, int64s as numbers), written straight into one buffer: a
 * 25,000-point page then allocates no object per point, and costs half of mapping to DTOs and
 * stringifying them (bench/FINDINGS.md (d)).
 */
export function toMetricHistoryResponseJson(
  points: MetricHistoryPage,
  nextPageToken?: string,
): Buffer {
  const { timestamps, steps, values } = points;
  const count = values.length;
  const prefix = Buffer.from(`{"key":${JSON.stringify(points.key)},"value":`, 'utf8');
  // A point past the key is ~70 bytes with a 13-digit timestamp and a 17-digit value: sized so
  // that a typical page never grows (each growth copies the whole buffer).
  const out = new JsonBytes(count * (prefix.length + 80) + 128);
  out.ascii('{');
  if (count > 0) {
    out.ascii('"metrics":[');
    for (let i = 0; i < count; i++) {
      if (i > 0) out.ascii(',');
      out.bytes(prefix);
      out.number(values[i]);
      const exact = points.exactInt64?.get(i);
      out.bytes(TIMESTAMP_FIELD);
      if (exact) out.ascii(String(exact.timestamp));
      else out.number(timestamps[i]);
      out.bytes(STEP_FIELD);
      if (exact) out.ascii(String(exact.step));
      else out.number(steps[i]);
      out.ascii('}');
    }
    out.ascii(']');
  }
  if (nextPageToken) {
    out.ascii(`${count > 0 ? ',' : ''}"next_page_token":${JSON.stringify(nextPageToken)}`);
  }
  out.ascii('}');
  return out.done();
}

const TIMESTAMP_FIELD = Buffer.from(',"timestamp":');
const STEP_FIELD = Buffer.from(',"step":');
