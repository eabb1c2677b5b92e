import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { Experiment, LIMITS, VIEW_TYPES, ViewType } from '@app/domain';
import { MlflowField } from '@app/http';

export class KeyValueDto {
  @MlflowField({ type: 'string', required: true, description: 'Tag key', example: 'team' })
  key!: string;

  @MlflowField({ type: 'string', description: 'Tag value', example: 'flops' })
  value?: string;
}

export class CreateExperimentRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'Unique name (also among deleted experiments)',
    example: 'FLOps Project 66f1c0ffee',
  })
  name!: string;

  @MlflowField({
    type: 'string',
    description: 'Ignored: artifact locations are server-owned (mlflow-artifacts:/<experiment_id>)',
    example: 'mlflow-artifacts:/ignored',
  })
  artifact_location?: string;

  @MlflowField({
    type: 'object',
    repeated: true,
    item: KeyValueDto,
    description: 'Experiment tags',
  })
  tags?: KeyValueDto[];
}

export class CreateExperimentResponseDto {
  @ApiProperty({ example: '1' })
  experiment_id!: string;
}

export class GetExperimentRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;
}

export class GetExperimentByNameRequestDto {
  @MlflowField({ type: 'string', required: true, example: 'FLOps Project 66f1c0ffee' })
  experiment_name!: string;
}

export class SearchExperimentsRequestDto {
  @MlflowField({
    type: 'int64',
    description: `Page size, 1..${LIMITS.searchExperimentsMaxResults} (default ${LIMITS.searchExperimentsDefaultMaxResults})`,
    example: 1000,
  })
  max_results?: number;

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;

  @MlflowField({
    type: 'string',
    description: "Filter, e.g. `name LIKE 'FLOps%' AND tags.team = 'ml'`",
    example: "name LIKE 'FLOps%'",
  })
  filter?: string;

  @MlflowField({
    type: 'string',
    repeated: true,
    description: 'e.g. `name ASC`, `creation_time DESC`',
    example: ['creation_time DESC'],
  })
  order_by?: string[];

  @MlflowField({
    type: 'enum',
    enum: VIEW_TYPES,
    description: 'Lifecycle stages to include',
    example: 'ACTIVE_ONLY',
  })
  view_type?: ViewType;
}

export class UpdateExperimentRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'renamed project' })
  new_name!: string;
}

export class ExperimentIdRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;
}

export class SetExperimentTagRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'team' })
  key!: string;

  @MlflowField({ type: 'string', example: 'flops' })
  value?: string;
}

export class DeleteExperimentTagRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;

  @MlflowField({ type: 'string', required: true, example: 'team' })
  key!: string;
}

export class TagJsonDto {
  @ApiProperty({ example: 'team' })
  key!: string;

  @ApiProperty({ example: 'flops' })
  value!: string;
}

export class ExperimentJsonDto {
  @ApiProperty({ example: '1' })
  experiment_id!: string;

  @ApiProperty({ example: 'FLOps Project 66f1c0ffee' })
  name!: string;

  @ApiProperty({ example: 'mlflow-artifacts:/1' })
  artifact_location!: string;

  @ApiProperty({ enum: ['active', 'deleted'], example: 'active' })
  lifecycle_stage!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  last_update_time!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  creation_time!: number;

  @ApiPropertyOptional({ type: [TagJsonDto] })
  tags?: TagJsonDto[];
}

export class GetExperimentResponseDto {
  @ApiProperty({ type: ExperimentJsonDto })
  experiment!: ExperimentJsonDto;
}

export class SearchExperimentsResponseDto {
  @ApiPropertyOptional({ type: [ExperimentJsonDto] })
  experiments?: ExperimentJsonDto[];

  @ApiPropertyOptional({ example: 'eyJvZmZzZXQiOiAxMDAwfQ==' })
  next_page_token?: string;
}

export class EmptyResponseDto {}

/** MLflow's Experiment JSON, keys in the order the real server writes them. */
export function toExperimentJson(experiment: Experiment): ExperimentJsonDto {
  const json: ExperimentJsonDto = {
    experiment_id: experiment.experimentId,
    name: experiment.name,
    artifact_location: experiment.artifactLocation,
    lifecycle_stage: experiment.lifecycleStage,
    last_update_time: experiment.lastUpdateTime,
    creation_time: experiment.creationTime,
  };
  if (experiment.tags.length > 0) {
    json.tags = experiment.tags.map((t) => ({ key: t.key, value: t.value }));
  }
  return json;
}
