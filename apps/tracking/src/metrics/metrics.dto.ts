import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { Int64, LIMITS, MetricHistoryPage, RunMetric } from '@app/domain';
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

/** A growing byte buffer for ASCII JSON; byte loops beat native calls at these lengths. */
class JsonBytes {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Only for ASCII text (JSON punctuation, numbers, a base64 token). */
  ascii(text: string): void {
    this.reserve(text.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  bytes(bytes: Buffer): void {
    this.reserve(bytes.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < bytes.length; i++) buffer[at++] = bytes[i];
    this.length = at;
  }

  /** As JSON.stringify writes a number, and NaN as the string "NaN" (MLflow's JSON). */
  number(value: number): void {
    if (!Number.isSafeInteger(value)) {
      if (Number.isNaN(value)) this.ascii('"NaN"');
      else this.ascii(Number.isFinite(value) ? String(value) : 'null');
      return;
    }
    // Integers (timestamps, steps) digit by digit: no string per number, and int32 arithmetic
    // (a 13-digit timestamp as two int32 halves; % on doubles is a slow call).
    this.reserve(17);
    let rest = value;
    if (rest < 0) {
      this.buffer[this.length++] = 0x2d;
      rest = -rest;
    }
    if (rest < 2 ** 31) {
      this.int32(rest, 0);
      return;
    }
    let high = Math.floor(rest / 1e9);
    let low = rest - high * 1e9;
    if (low < 0) {
      high -= 1;
      low += 1e9;
    }
    this.int32(high, 0);
    this.int32(low, 9);
  }

  /** A non-negative int32's digits, left-padded with zeros to `width`. */
  private int32(value: number, width: number): void {
    let digits = 1;
    for (let power = 10; power <= value; power *= 10) digits++;
    if (digits < width) digits = width;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    for (let i = 0; i < digits; i++) {
      const quotient = (rest / 10) | 0;
      this.buffer[--at] = 0x30 + rest - quotient * 10;
      rest = quotient;
    }
  }

  done(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + more));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
