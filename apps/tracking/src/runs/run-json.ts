import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { DatasetInput, Int64, Metric, Run, RunInfo, RunMetric } from '@app/domain';

import { TagJsonDto } from '../experiments/experiments.dto';

/** A double as MLflow writes it: NaN is the string "NaN"; ±Infinity never leave the store. */
export type JsonDouble = number | 'NaN';

export function toJsonDouble(value: number): JsonDouble {
  return Number.isNaN(value) ? 'NaN' : value;
}

export class RunInfoJsonDto {
  @ApiProperty({
    example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1',
    description: 'Same as run_id (legacy name)',
  })
  run_uuid!: string;
  @ApiProperty({ example: '1' })
  experiment_id!: string;
  @ApiProperty({ example: 'FLOps FL round 1' })
  run_name!: string;
  @ApiProperty({ example: 'aggregator' })
  user_id!: string;
  @ApiProperty({
    enum: ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'],
    example: 'RUNNING',
  })
  status!: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1732600000000 })
  start_time?: Int64;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1732600060000 })
  end_time?: Int64;
  @ApiProperty({ example: 'mlflow-artifacts:/1/5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1/artifacts' })
  artifact_uri!: string;
  @ApiProperty({ enum: ['active', 'deleted'], example: 'active' })
  lifecycle_stage!: string;
  @ApiProperty({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
}

export class MetricJsonDto {
  @ApiProperty({ example: 'accuracy' })
  key!: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }], example: 0.93 })
  value!: JsonDouble;
  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  timestamp!: Int64;
  @ApiProperty({ type: 'integer', format: 'int64', example: 0 })
  step!: Int64;
}

export class RunMetricJsonDto extends MetricJsonDto {
  @ApiProperty({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
}

export class RunDataJsonDto {
  @ApiPropertyOptional({ type: [MetricJsonDto], description: 'Latest value per key' })
  metrics?: MetricJsonDto[];
  @ApiPropertyOptional({ type: [TagJsonDto] })
  params?: TagJsonDto[];
  @ApiPropertyOptional({ type: [TagJsonDto] })
  tags?: TagJsonDto[];
}

export class DatasetJsonDto {
  @ApiProperty({ example: 'mnist-train' })
  name!: string;
  @ApiProperty({ example: 'd1g35t01' })
  digest!: string;
  @ApiProperty({ example: 'http' })
  source_type!: string;
  @ApiProperty({ example: '{"url": "https://example.com/data.csv"}' })
  source!: string;
  @ApiPropertyOptional()
  schema?: string;
  @ApiPropertyOptional()
  profile?: string;
}

export class DatasetInputJsonDto {
  @ApiPropertyOptional({ type: [TagJsonDto] })
  tags?: TagJsonDto[];
  @ApiProperty({ type: DatasetJsonDto })
  dataset!: DatasetJsonDto;
}

export class ModelInputJsonDto {
  @ApiProperty({ example: 'm-0123456789abcdef0123456789abcdef' })
  model_id!: string;
}

export class ModelOutputJsonDto {
  @ApiProperty({ example: 'm-0123456789abcdef0123456789abcdef' })
  model_id!: string;
  @ApiProperty({ type: 'integer', format: 'int64', example: 0 })
  step!: Int64;
}

export class RunInputsJsonDto {
  @ApiPropertyOptional({ type: [DatasetInputJsonDto] })
  dataset_inputs?: DatasetInputJsonDto[];
  @ApiPropertyOptional({ type: [ModelInputJsonDto] })
  model_inputs?: ModelInputJsonDto[];
}

export class RunOutputsJsonDto {
  @ApiPropertyOptional({ type: [ModelOutputJsonDto] })
  model_outputs?: ModelOutputJsonDto[];
}

export class RunJsonDto {
  @ApiProperty({ type: RunInfoJsonDto })
  info!: RunInfoJsonDto;
  @ApiProperty({ type: RunDataJsonDto })
  data!: RunDataJsonDto;
  @ApiProperty({ type: RunInputsJsonDto })
  inputs!: RunInputsJsonDto;
  @ApiPropertyOptional({ type: RunOutputsJsonDto })
  outputs?: RunOutputsJsonDto;
}

/** RunInfo in MLflow's key order; unset times are omitted. */
export function toRunInfoJson(info: RunInfo): RunInfoJsonDto {
  return {
    run_uuid: info.runId,
    experiment_id: info.experimentId,
    run_name: info.runName,
    user_id: info.userId,
    status: info.status,
    ...(info.startTime !== null ? { start_time: info.startTime } : {}),
    ...(info.endTime !== null ? { end_time: info.endTime } : {}),
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
  };
}

export function toMetricJson(metric: Metric): MetricJsonDto {
  return {
    key: metric.key,
    value: toJsonDouble(metric.value),
    timestamp: metric.timestamp,
    step: metric.step,
  };
}

export function toRunMetricJson(metric: RunMetric): RunMetricJsonDto {
  return { ...toMetricJson(metric), run_id: metric.runId };
}

function toDatasetInputJson(input: DatasetInput): DatasetInputJsonDto {
  const dataset: DatasetJsonDto = {
    name: input.dataset.name,
    digest: input.dataset.digest,
    source_type: input.dataset.sourceType,
    source: input.dataset.source,
  };
  if (input.dataset.schema) dataset.schema = input.dataset.schema;
  if (input.dataset.profile) dataset.profile = input.dataset.profile;
  return input.tags.length > 0 ? { tags: input.tags, dataset } : { dataset };
}

/**
 * MLflow's Run JSON: empty lists omitted, `inputs` always present (`{}` when empty), `outputs` only
 * when the run has model outputs (MLflow 3.x writes it on runs/get).
 */
export function toRunJson(run: Run): RunJsonDto {
  const data: RunDataJsonDto = {};
  if (run.data.metrics.length > 0) data.metrics = run.data.metrics.map(toMetricJson);
  if (run.data.params.length > 0) {
    data.params = run.data.params.map((p) => ({ key: p.key, value: p.value }));
  }
  if (run.data.tags.length > 0) {
    data.tags = run.data.tags.map((t) => ({ key: t.key, value: t.value }));
  }
  const inputs: RunInputsJsonDto = {};
  if (run.inputs.datasetInputs.length > 0) {
    inputs.dataset_inputs = run.inputs.datasetInputs.map(toDatasetInputJson);
  }
  if (run.inputs.modelInputs.length > 0) {
    inputs.model_inputs = run.inputs.modelInputs.map((m) => ({ model_id: m.modelId }));
  }
  const json: RunJsonDto = { info: toRunInfoJson(run.info), data, inputs };
  if (run.outputs.modelOutputs.length > 0) {
    json.outputs = {
      model_outputs: run.outputs.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })),
    };
  }
  return json;
}
