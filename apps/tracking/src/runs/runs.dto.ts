import { ApiProperty, IntersectionType } from '@nestjs/swagger';

import {
  DatasetInput,
  fieldPath,
  Int64,
  invalidParameterTypeError,
  KeyValue,
  LIMITS,
  Metric,
  missingParameterError,
  ModelOutput,
  readProtoDouble,
  readProtoInteger,
  Run,
  RUN_STATUSES,
  RunStatus,
} from '@app/domain';
import { MlflowField, MlflowValidationPipe } from '@app/http';

import { RunDataJsonDto, RunInfoJsonDto, RunJsonDto, toRunJson } from './run-json';

const RUN_ID_EXAMPLE = '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1';

export class RunTagDto {
  @MlflowField({ type: 'string', required: true, description: 'Tag key', example: 'site' })
  key!: string;

  @MlflowField({ type: 'string', description: 'Tag value (absent: "")', example: 'hospital-a' })
  value?: string;
}

export class ParamDto {
  @MlflowField({ type: 'string', required: true, description: 'Param key', example: 'lr' })
  key!: string;

  @MlflowField({ type: 'string', description: 'Param value (absent: "")', example: '0.01' })
  value?: string;
}

export class MetricDto {
  @MlflowField({ type: 'string', required: true, description: 'Metric key', example: 'loss' })
  key!: string;

  @MlflowField({
    type: 'double',
    required: true,
    description: 'A number, or "NaN", "Infinity", "-Infinity"',
    example: 0.25,
  })
  value!: number;

  @MlflowField({
    type: 'int64',
    exact: true,
    required: true,
    description: 'Milliseconds since the epoch',
    example: 1732600000000,
  })
  timestamp!: Int64;

  @MlflowField({
    type: 'int64',
    exact: true,
    description: 'Step, e.g. the FL round (default 0)',
    example: 1,
  })
  step?: Int64;

  @MlflowField({ type: 'string', description: 'MLflow 3.x: logged model the point belongs to' })
  model_id?: string;

  @MlflowField({ type: 'string', description: 'MLflow 3.x: dataset name' })
  dataset_name?: string;

  @MlflowField({ type: 'string', description: 'MLflow 3.x: dataset digest' })
  dataset_digest?: string;
}

export class CreateRunRequestDto {
  @MlflowField({
    type: 'string',
    numberAsString: true,
    description: 'Experiment (FLOps project) of the run; absent: the Default experiment "0"',
    example: '1',
  })
  experiment_id?: string;

  @MlflowField({
    type: 'string',
    description: 'Deprecated; still shown as the run user',
    example: 'aggregator',
  })
  user_id?: string;

  @MlflowField({
    type: 'string',
    description: 'Run name; else the mlflow.runName tag; else a generated name',
    example: 'FLOps FL round 1',
  })
  run_name?: string;

  @MlflowField({
    type: 'int64',
    exact: true,
    description: 'Milliseconds since the epoch (absent: now)',
    example: 1732600000000,
  })
  start_time?: Int64;

  @MlflowField({ type: 'object', repeated: true, item: RunTagDto, description: 'Run tags' })
  tags?: RunTagDto[];
}

export class GetRunRequestDto {
  @MlflowField({ type: 'string', required: true, aliases: ['run_uuid'], example: RUN_ID_EXAMPLE })
  run_id!: string;
}

export class UpdateRunRequestDto {
  @MlflowField({ type: 'string', required: true, aliases: ['run_uuid'], example: RUN_ID_EXAMPLE })
  run_id!: string;

  @MlflowField({ type: 'enum', enum: RUN_STATUSES, description: 'New status', example: 'FINISHED' })
  status?: RunStatus;

  @MlflowField({
    type: 'int64',
    exact: true,
    description: 'Milliseconds since the epoch',
    example: 1732600600000,
  })
  end_time?: Int64;

  @MlflowField({ type: 'string', description: 'New name (also rewrites the mlflow.runName tag)' })
  run_name?: string;
}

/** Requests that name the run as `run_id` only (MLflow ignores `run_uuid` on these). */
export class RunIdRequestDto {
  @MlflowField({ type: 'string', required: true, example: RUN_ID_EXAMPLE })
  run_id!: string;
}

/** The run a single-value write goes to, as `run_id` or its legacy name `run_uuid`. */
class RunIdOrUuidDto {
  @MlflowField({ type: 'string', required: true, aliases: ['run_uuid'], example: RUN_ID_EXAMPLE })
  run_id!: string;
}

/** A metric point and its run: run_id first, so its check comes first, as MLflow's does. */
export class LogMetricRequestDto extends IntersectionType(RunIdOrUuidDto, MetricDto) {}

export class LogParamRequestDto {
  @MlflowField({ type: 'string', required: true, aliases: ['run_uuid'], example: RUN_ID_EXAMPLE })
  run_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'lr' })
  key!: string;

  @MlflowField({
    type: 'string',
    description: `Truncated to ${LIMITS.maxParamValueLength} characters`,
    example: '0.01',
  })
  value?: string;
}

export class SetTagRequestDto {
  @MlflowField({ type: 'string', required: true, aliases: ['run_uuid'], example: RUN_ID_EXAMPLE })
  run_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'site' })
  key!: string;

  @MlflowField({
    type: 'string',
    description: `Truncated to ${LIMITS.maxRunTagValueLength} characters`,
    example: 'hospital-a',
  })
  value?: string;
}

export class DeleteTagRequestDto {
  @MlflowField({ type: 'string', required: true, example: RUN_ID_EXAMPLE })
  run_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'site' })
  key!: string;
}

export class LogBatchRequestDto {
  @MlflowField({ type: 'string', required: true, example: RUN_ID_EXAMPLE })
  run_id!: string;

  /** Documentation only: `readLogBatchRequest()` reads the metrics (see there). */
  @MlflowField({
    type: 'object',
    repeated: true,
    item: MetricDto,
    description: `At most ${LIMITS.maxMetricsPerBatch}`,
  })
  metrics?: MetricDto[];

  @MlflowField({
    type: 'object',
    repeated: true,
    item: ParamDto,
    description: `At most ${LIMITS.maxParamsTagsPerBatch}; params are write-once`,
  })
  params?: ParamDto[];

  @MlflowField({
    type: 'object',
    repeated: true,
    item: RunTagDto,
    description: `At most ${LIMITS.maxParamsTagsPerBatch}; the last value of a key wins`,
  })
  tags?: RunTagDto[];
}

export class LogModelRequestDto {
  @MlflowField({ type: 'string', required: true, example: RUN_ID_EXAMPLE })
  run_id!: string;

  @MlflowField({
    type: 'string',
    required: true,
    description:
      'The MLmodel dict as JSON: artifact_path, flavors, utc_time_created and run_id required',
    example:
      '{"run_id": "...", "artifact_path": "model", "utc_time_created": "2024-11-26 05:46:40.000000", "flavors": {}}',
  })
  model_json!: string;
}

export class DatasetDto {
  @MlflowField({ type: 'string', example: 'mnist-train' })
  name?: string;

  @MlflowField({ type: 'string', example: 'd1g35t01' })
  digest?: string;

  @MlflowField({ type: 'string', example: 'http' })
  source_type?: string;

  @MlflowField({ type: 'string', example: '{"url": "https://example.com/data.csv"}' })
  source?: string;

  @MlflowField({ type: 'string' })
  schema?: string;

  @MlflowField({ type: 'string' })
  profile?: string;
}

export class InputTagDto {
  @MlflowField({ type: 'string', example: 'mlflow.data.context' })
  key?: string;

  @MlflowField({ type: 'string', example: 'training' })
  value?: string;
}

export class DatasetInputDto {
  @MlflowField({ type: 'object', repeated: true, item: InputTagDto })
  tags?: InputTagDto[];

  @MlflowField({ type: 'object', item: DatasetDto })
  dataset?: DatasetDto;
}

export class ModelInputDto {
  @MlflowField({ type: 'string', required: true, example: 'm-0123456789abcdef0123456789abcdef' })
  model_id!: string;
}

export class ModelOutputDto {
  @MlflowField({ type: 'string', required: true, example: 'm-0123456789abcdef0123456789abcdef' })
  model_id!: string;

  @MlflowField({ type: 'int64', exact: true, required: true, example: 0 })
  step!: Int64;
}

export class LogInputsRequestDto {
  @MlflowField({ type: 'string', required: true, example: RUN_ID_EXAMPLE })
  run_id!: string;

  @MlflowField({
    type: 'object',
    repeated: true,
    item: DatasetInputDto,
    requiredUnless: 'models',
    description: 'Datasets used by the run (required unless `models` is sent)',
  })
  datasets?: DatasetInputDto[];

  @MlflowField({
    type: 'object',
    repeated: true,
    item: ModelInputDto,
    description: 'MLflow 3.x: logged models used',
  })
  models?: ModelInputDto[];
}

export class LogOutputsRequestDto {
  @MlflowField({ type: 'string', required: true, example: RUN_ID_EXAMPLE })
  run_id!: string;

  @MlflowField({
    type: 'object',
    repeated: true,
    required: true,
    item: ModelOutputDto,
    description: 'Logged models produced by the run',
  })
  models!: ModelOutputDto[];
}

/** The run as runs/create writes it: no `inputs`, tags in the order given. */
export class CreatedRunJsonDto {
  @ApiProperty({ type: RunInfoJsonDto })
  info!: RunInfoJsonDto;
  @ApiProperty({ type: RunDataJsonDto })
  data!: RunDataJsonDto;
}

export class CreateRunResponseDto {
  @ApiProperty({ type: CreatedRunJsonDto })
  run!: CreatedRunJsonDto;
}

export class GetRunResponseDto {
  @ApiProperty({ type: RunJsonDto })
  run!: RunJsonDto;
}

export class UpdateRunResponseDto {
  @ApiProperty({ type: RunInfoJsonDto })
  run_info!: RunInfoJsonDto;
}

export function fromKeyValueDto(dto: { key?: string; value?: string }): KeyValue {
  return { key: dto.key ?? '', value: dto.value ?? '' };
}

export function fromMetricDto(dto: MetricDto): Metric {
  const metric: Metric = {
    key: dto.key,
    value: dto.value,
    timestamp: dto.timestamp,
    step: dto.step ?? 0,
  };
  if (dto.model_id) metric.modelId = dto.model_id;
  if (dto.dataset_name) metric.datasetName = dto.dataset_name;
  if (dto.dataset_digest) metric.datasetDigest = dto.dataset_digest;
  return metric;
}

export interface LogBatchRequest {
  runId: string;
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

const requestPipe = new MlflowValidationPipe();

/**
 * A log-batch request. Everything but the metrics goes through the validation pipe as
 * LogBatchRequestDto. The metrics are read by `toMetrics()` with MlflowField's rules and messages
 * instead: class-transformer copies every nested object of a DTO's input before any rule runs
 * (~0.05 ms per metric, plus class-validator's cost), many times the database work, and log-batch
 * must sustain ≥50k metrics/s. So a metric error is reported after a run_id, param or tag error.
 */
export async function readLogBatchRequest(
  request: Record<string, unknown>,
): Promise<LogBatchRequest> {
  const { metrics, ...rest } = request;
  const dto = (await requestPipe.transform(rest, {
    type: 'custom',
    metatype: LogBatchRequestDto,
  })) as LogBatchRequestDto;
  return {
    runId: dto.run_id,
    metrics: toMetrics(metrics),
    params: (dto.params ?? []).map(fromKeyValueDto),
    tags: (dto.tags ?? []).map(fromKeyValueDto),
  };
}

/** Repeated `metrics` as MlflowField reads a repeated message field, without class-transformer. */
function toMetrics(raw: unknown): Metric[] {
  if (raw === undefined || raw === null) return [];
  const items: unknown[] = Array.isArray(raw) ? raw : [raw];
  return items.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw invalidParameterTypeError('metrics', item);
    }
    return toMetric(item as Record<string, unknown>, `metrics[${i}]`);
  });
}

/** The fields in MetricDto's order, so the first bad one is reported as the pipe would. */
function toMetric(item: Record<string, unknown>, path: string): Metric {
  return fromMetricDto({
    key: readString(item, 'key', path, true) ?? '',
    value: readDouble(item, 'value', path),
    timestamp: readInt64(item, 'timestamp', path, true) ?? 0,
    step: readInt64(item, 'step', path, false),
    model_id: readString(item, 'model_id', path, false),
    dataset_name: readString(item, 'dataset_name', path, false),
    dataset_digest: readString(item, 'dataset_digest', path, false),
  });
}

const UNSET = Symbol('unset');

/**
 * MlflowField's reading of one scalar: absent or null is unset; a list stands for its first value,
 * which is then checked like any value (`[]` is an invalid `undefined`, not a missing field).
 */
function readRaw(item: Record<string, unknown>, field: string): unknown {
  const raw = item[field];
  if (raw === undefined || raw === null) return UNSET;
  return Array.isArray(raw) ? (raw as unknown[])[0] : raw;
}

function readString(
  item: Record<string, unknown>,
  field: string,
  path: string,
  required: boolean,
): string | undefined {
  const raw = readRaw(item, field);
  if (raw === UNSET || (raw === '' && required)) {
    if (required) throw missingParameterError(fieldPath(path, field));
    return undefined;
  }
  if (typeof raw !== 'string') throw invalidParameterTypeError(fieldPath(path, field), raw);
  return raw;
}

function readDouble(item: Record<string, unknown>, field: string, path: string): number {
  const raw = readRaw(item, field);
  if (raw === UNSET) throw missingParameterError(fieldPath(path, field));
  const value = readProtoDouble(raw);
  if (value === undefined) throw invalidParameterTypeError(fieldPath(path, field), raw);
  return value;
}

function readInt64(
  item: Record<string, unknown>,
  field: string,
  path: string,
  required: boolean,
): Int64 | undefined {
  const raw = readRaw(item, field);
  if (raw === UNSET) {
    if (required) throw missingParameterError(fieldPath(path, field));
    return undefined;
  }
  const value = readProtoInteger(raw, 64);
  if (value === undefined) throw invalidParameterTypeError(fieldPath(path, field), raw);
  return value;
}

export interface LogMetricRequest {
  runId: string;
  metric: Metric;
}

/**
 * A log-metric request read as the validation pipe reads LogMetricRequestDto (same coercions,
 * same first-failing-field order, same messages) with log-batch's field readers, without
 * class-transformer/class-validator: on this one-row write they cost more CPU than the rest of the
 * request handling.
 */
export function readLogMetricRequest(request: Record<string, unknown>): LogMetricRequest {
  const runId =
    request.run_id === undefined || request.run_id === '' ? request.run_uuid : request.run_id;
  return {
    runId: readString({ run_id: runId }, 'run_id', '', true) ?? '',
    metric: toMetric(request, ''),
  };
}

export function fromDatasetInputDto(dto: DatasetInputDto): DatasetInput {
  const d = dto.dataset ?? {};
  return {
    tags: (dto.tags ?? []).map(fromKeyValueDto),
    dataset: {
      name: d.name ?? '',
      digest: d.digest ?? '',
      sourceType: d.source_type ?? '',
      source: d.source ?? '',
      schema: d.schema ?? null,
      profile: d.profile ?? null,
    },
  };
}

export function fromModelOutputDto(dto: ModelOutputDto): ModelOutput {
  return { modelId: dto.model_id, step: dto.step };
}

/** runs/create answers without `inputs` (recorded MLflow 2.17.2 behaviour, runs.json). */
export function toCreatedRunJson(run: Run): CreatedRunJsonDto {
  const { info, data } = toRunJson(run);
  return { info, data };
}
