import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { LIMITS } from '@app/domain';
import { MlflowField } from '@app/http';

import { ModelVersionJsonDto, RegistryTagDto } from './model-version-json';

export class CreateModelVersionRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'Registered model name',
    example: 'fraud-detector',
  })
  name!: string;

  @MlflowField({
    type: 'string',
    required: true,
    description:
      'Where the model files are: `mlflow-artifacts:/…` under the run (or logged model), `runs:/<run_id>/<path>`, `models:/<model_id>`, or an object-store URI. Traversal and local paths are refused.',
    example: 'mlflow-artifacts:/1/0a1b2c3d4e5f60718293a4b5c6d7e8f9/artifacts/model',
  })
  source!: string;

  @MlflowField({
    type: 'string',
    description: 'Run that produced the model; the source must lie in its artifact directory',
    example: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  })
  run_id?: string;

  @MlflowField({
    type: 'object',
    repeated: true,
    item: RegistryTagDto,
    description: 'Version tags',
  })
  tags?: RegistryTagDto[];

  @MlflowField({ type: 'string', description: 'Link to the run in another MLflow server' })
  run_link?: string;

  @MlflowField({ type: 'string', example: 'trained on round 12' })
  description?: string;

  @MlflowField({
    type: 'string',
    description: 'MLflow 3.x logged model id the version comes from',
    example: 'm-0a1b2c3d4e5f60718293a4b5c6d7e8f9',
  })
  model_id?: string;
}

/** `name` + `version` of one model version (GetModelVersion, DeleteModelVersion, …). */
export class ModelVersionKeyDto {
  @MlflowField({ type: 'string', required: true, example: 'fraud-detector' })
  name!: string;

  @MlflowField({ type: 'string', required: true, description: 'Version number', example: '1' })
  version!: string;
}

export class GetModelVersionRequestDto extends ModelVersionKeyDto {}

export class DeleteModelVersionRequestDto extends ModelVersionKeyDto {}

export class GetModelVersionDownloadUriRequestDto extends ModelVersionKeyDto {}

export class UpdateModelVersionRequestDto extends ModelVersionKeyDto {
  @MlflowField({ type: 'string', description: 'New description (absent means empty)' })
  description?: string;
}

export class TransitionModelVersionStageRequestDto extends ModelVersionKeyDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'None, Staging, Production or Archived (any case)',
    example: 'Production',
  })
  stage!: string;

  @MlflowField({
    type: 'bool',
    description: 'Move every other version in the target stage (Staging/Production) to Archived',
    example: true,
  })
  archive_existing_versions?: boolean;
}

export class SearchModelVersionsRequestDto {
  @MlflowField({
    type: 'string',
    description:
      "Filter on name, run_id, source_path, version_number and tags, e.g. `name = 'fraud-detector'`",
    example: "name = 'fraud-detector'",
  })
  filter?: string;

  @MlflowField({
    type: 'int64',
    min: 1,
    max: LIMITS.searchModelVersionsMaxResults,
    description: `Page size, 1..${LIMITS.searchModelVersionsMaxResults} (default ${LIMITS.searchModelVersionsDefaultMaxResults})`,
    example: 10000,
  })
  max_results?: number;

  @MlflowField({
    type: 'string',
    repeated: true,
    description:
      'name, version_number, creation_timestamp or last_updated_timestamp, each with ASC/DESC',
    example: ['version_number DESC'],
  })
  order_by?: string[];

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;
}

export class SetModelVersionTagRequestDto extends ModelVersionKeyDto {
  @MlflowField({ type: 'string', required: true, example: 'validated' })
  key!: string;

  @MlflowField({ type: 'string', example: 'yes' })
  value?: string;
}

export class DeleteModelVersionTagRequestDto extends ModelVersionKeyDto {
  @MlflowField({ type: 'string', required: true, example: 'validated' })
  key!: string;
}

export class ModelVersionResponseDto {
  @ApiProperty({ type: ModelVersionJsonDto })
  model_version!: ModelVersionJsonDto;
}

export class SearchModelVersionsResponseDto {
  @ApiPropertyOptional({ type: [ModelVersionJsonDto] })
  model_versions?: ModelVersionJsonDto[];

  @ApiPropertyOptional({ example: 'eyJvZmZzZXQiOiAxMDAwMH0=' })
  next_page_token?: string;
}

export class GetModelVersionDownloadUriResponseDto {
  @ApiProperty({
    description: 'Resolved storage location of the version (the logged model or run location)',
    example: 'mlflow-artifacts:/1/0a1b2c3d4e5f60718293a4b5c6d7e8f9/artifacts/model',
  })
  artifact_uri!: string;
}
