import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { LOGGED_MODEL_STATUSES, LoggedModel, LoggedModelStatus, RunMetric } from '@app/domain';
import { MlflowField } from '@app/http';

import { TagJsonDto } from '../experiments/experiments.dto';
import { MetricJsonDto, toMetricJson } from '../runs/run-json';

/** Proto values 1..3 (LOGGED_MODEL_STATUS_UNSPECIFIED = 0 is no valid request value). */
const REQUEST_STATUSES = LOGGED_MODEL_STATUSES.slice(1);

export class LoggedModelTagDto {
  @MlflowField({ type: 'string', required: true, example: 'mlflow.source.type' })
  key!: string;

  @MlflowField({ type: 'string', example: 'LOCAL' })
  value?: string;
}

export class LoggedModelParameterDto {
  @MlflowField({ type: 'string', required: true, example: 'learning_rate' })
  key!: string;

  @MlflowField({ type: 'string', example: '0.01' })
  value?: string;
}

export class CreateLoggedModelRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;

  @MlflowField({
    type: 'string',
    description: "Generated when absent; must not contain '/', ':', '.', '%', '\"' or \"'\"",
    example: 'fl-global-model',
  })
  name?: string;

  @MlflowField({ type: 'string', example: 'Classifier' })
  model_type?: string;

  @MlflowField({
    type: 'string',
    description: 'The run (FLOps training round) that produced the model; must exist',
    example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1',
  })
  source_run_id?: string;

  @MlflowField({
    type: 'object',
    repeated: true,
    item: LoggedModelParameterDto,
    description: 'At most 100; clients send the rest through logged-models/{model_id}/params',
  })
  params?: LoggedModelParameterDto[];

  @MlflowField({ type: 'object', repeated: true, item: LoggedModelTagDto })
  tags?: LoggedModelTagDto[];
}

export class GetLoggedModelRequestDto {
  @MlflowField({ type: 'bool', description: 'Also return a deleted model', example: false })
  allow_deleted?: boolean;
}

export class FinalizeLoggedModelRequestDto {
  @MlflowField({
    type: 'string',
    description: 'Optional here (the path names the model); must match the path when given',
    example: 'm-0123456789abcdef0123456789abcdef',
  })
  model_id?: string;

  @MlflowField({
    type: 'enum',
    required: true,
    enum: REQUEST_STATUSES,
    description: 'LOGGED_MODEL_READY, or LOGGED_MODEL_UPLOAD_FAILED when logging failed',
    example: 'LOGGED_MODEL_READY',
  })
  status!: LoggedModelStatus;
}

export class SetLoggedModelTagsRequestDto {
  @MlflowField({
    type: 'string',
    description: 'Optional here (the path names the model); must match the path when given',
  })
  model_id?: string;

  @MlflowField({ type: 'object', repeated: true, item: LoggedModelTagDto })
  tags?: LoggedModelTagDto[];
}

export class LogLoggedModelParamsRequestDto {
  @MlflowField({
    type: 'string',
    description: 'Optional here (the path names the model); must match the path when given',
  })
  model_id?: string;

  @MlflowField({ type: 'object', repeated: true, item: LoggedModelParameterDto })
  params?: LoggedModelParameterDto[];
}

export class SearchLoggedModelsDatasetDto {
  @MlflowField({ type: 'string', required: true, example: 'mnist-test' })
  dataset_name!: string;

  @MlflowField({ type: 'string', example: 'd1g35t01' })
  dataset_digest?: string;
}

export class SearchLoggedModelsOrderByDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'An attribute (e.g. `creation_timestamp`) or `metrics.<key>`',
    example: 'metrics.accuracy',
  })
  field_name!: string;

  @MlflowField({ type: 'bool', description: 'Default true', example: false })
  ascending?: boolean;

  @MlflowField({ type: 'string', description: 'Metric fields: only points on this dataset' })
  dataset_name?: string;

  @MlflowField({ type: 'string', description: 'Metric fields: needs dataset_name' })
  dataset_digest?: string;
}

export class SearchLoggedModelsRequestDto {
  @MlflowField({
    type: 'string',
    repeated: true,
    required: true,
    numberAsString: true,
    example: ['1'],
  })
  experiment_ids!: string[];

  @MlflowField({
    type: 'string',
    description: "Run filter grammar, e.g. `name = 'fl-global-model' AND metrics.accuracy > 0.9`",
    example: "name = 'fl-global-model'",
  })
  filter?: string;

  @MlflowField({ type: 'object', repeated: true, item: SearchLoggedModelsDatasetDto })
  datasets?: SearchLoggedModelsDatasetDto[];

  @MlflowField({
    type: 'int32',
    min: 0,
    description: 'Page size (default 100; larger pages are cut to 1000, with a next_page_token)',
    example: 100,
  })
  max_results?: number;

  @MlflowField({ type: 'object', repeated: true, item: SearchLoggedModelsOrderByDto })
  order_by?: SearchLoggedModelsOrderByDto[];

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;
}

export class LoggedModelRegistrationJsonDto {
  @ApiProperty({ example: 'fl-global-model' })
  name!: string;

  @ApiProperty({ example: '1' })
  version!: string;
}

export class LoggedModelInfoJsonDto {
  @ApiProperty({ example: 'm-0123456789abcdef0123456789abcdef' })
  model_id!: string;

  @ApiProperty({ example: '1' })
  experiment_id!: string;

  @ApiProperty({ example: 'fl-global-model' })
  name!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  creation_timestamp_ms!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600005000 })
  last_updated_timestamp_ms!: number;

  @ApiProperty({
    example: 'mlflow-artifacts:/1/models/m-0123456789abcdef0123456789abcdef/artifacts',
  })
  artifact_uri!: string;

  @ApiProperty({ enum: LOGGED_MODEL_STATUSES, example: 'LOGGED_MODEL_READY' })
  status!: LoggedModelStatus;

  @ApiPropertyOptional({ description: 'Never set by this server (MLflow OSS does not either)' })
  creator_id?: number;

  @ApiPropertyOptional({ example: 'Classifier' })
  model_type?: string;

  @ApiPropertyOptional({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  source_run_id?: string;

  @ApiPropertyOptional()
  status_message?: string;

  @ApiPropertyOptional({ type: [TagJsonDto] })
  tags?: TagJsonDto[];

  @ApiPropertyOptional({ type: [LoggedModelRegistrationJsonDto] })
  registrations?: LoggedModelRegistrationJsonDto[];
}

export class LoggedModelMetricJsonDto extends MetricJsonDto {
  @ApiPropertyOptional({ example: 'mnist-test' })
  dataset_name?: string;

  @ApiPropertyOptional({ example: 'd1g35t01' })
  dataset_digest?: string;

  @ApiProperty({ example: 'm-0123456789abcdef0123456789abcdef' })
  model_id!: string;

  @ApiProperty({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
}

export class LoggedModelDataJsonDto {
  @ApiPropertyOptional({ type: [TagJsonDto] })
  params?: TagJsonDto[];

  @ApiPropertyOptional({ type: [LoggedModelMetricJsonDto] })
  metrics?: LoggedModelMetricJsonDto[];
}

export class LoggedModelJsonDto {
  @ApiProperty({ type: LoggedModelInfoJsonDto })
  info!: LoggedModelInfoJsonDto;

  @ApiProperty({ type: LoggedModelDataJsonDto })
  data!: LoggedModelDataJsonDto;
}

export class LoggedModelResponseDto {
  @ApiProperty({ type: LoggedModelJsonDto })
  model!: LoggedModelJsonDto;
}

export class SearchLoggedModelsResponseDto {
  @ApiPropertyOptional({ type: [LoggedModelJsonDto] })
  models?: LoggedModelJsonDto[];

  @ApiPropertyOptional()
  next_page_token?: string;
}

function toLoggedModelMetricJson(metric: RunMetric): LoggedModelMetricJsonDto {
  return {
    ...toMetricJson(metric),
    ...(metric.datasetName ? { dataset_name: metric.datasetName } : {}),
    ...(metric.datasetDigest ? { dataset_digest: metric.datasetDigest } : {}),
    model_id: metric.modelId ?? '',
    run_id: metric.runId,
  };
}

/**
 * MLflow's LoggedModel JSON in proto field order: unset fields and empty lists omitted, `data`
 * always present (`{}` when empty).
 */
export function toLoggedModelJson(model: LoggedModel): LoggedModelJsonDto {
  const info: LoggedModelInfoJsonDto = {
    model_id: model.modelId,
    experiment_id: model.experimentId,
    name: model.name,
    creation_timestamp_ms: model.creationTimestampMs,
    last_updated_timestamp_ms: model.lastUpdatedTimestampMs,
    artifact_uri: model.artifactLocation,
    status: model.status,
  };
  if (model.modelType !== null) info.model_type = model.modelType;
  if (model.sourceRunId !== null) info.source_run_id = model.sourceRunId;
  if (model.statusMessage !== null) info.status_message = model.statusMessage;
  if (model.tags.length > 0) info.tags = model.tags.map((t) => ({ key: t.key, value: t.value }));
  const data: LoggedModelDataJsonDto = {};
  if (model.params.length > 0) {
    data.params = model.params.map((p) => ({ key: p.key, value: p.value }));
  }
  if (model.metrics.length > 0) data.metrics = model.metrics.map(toLoggedModelMetricJson);
  return { info, data };
}
