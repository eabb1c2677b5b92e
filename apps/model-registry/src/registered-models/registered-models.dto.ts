import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { LIMITS, MODEL_STAGES, RegisteredModel } from '@app/domain';
import { MlflowField } from '@app/http';

import {
  ModelVersionJsonDto,
  RegistryTagDto,
  RegistryTagJsonDto,
  toModelVersionJson,
} from '../model-versions/model-version-json';

export class CreateRegisteredModelRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'Unique, case-sensitive name (≤256 characters)',
    example: 'fraud-detector',
  })
  name!: string;

  @MlflowField({ type: 'object', repeated: true, item: RegistryTagDto, description: 'Model tags' })
  tags?: RegistryTagDto[];

  @MlflowField({ type: 'string', example: 'Federated fraud model' })
  description?: string;
}

/** `name` of one registered model (GetRegisteredModel, DeleteRegisteredModel). */
export class RegisteredModelNameDto {
  @MlflowField({ type: 'string', required: true, example: 'fraud-detector' })
  name!: string;
}

export class GetRegisteredModelRequestDto extends RegisteredModelNameDto {}

export class DeleteRegisteredModelRequestDto extends RegisteredModelNameDto {}

export class RenameRegisteredModelRequestDto extends RegisteredModelNameDto {
  @MlflowField({ type: 'string', required: true, example: 'fraud-detector-v2' })
  new_name!: string;
}

export class UpdateRegisteredModelRequestDto extends RegisteredModelNameDto {
  @MlflowField({ type: 'string', description: 'New description (absent means empty)' })
  description?: string;
}

export class SearchRegisteredModelsRequestDto {
  @MlflowField({
    type: 'string',
    description: "Filter on name and tags, e.g. `name LIKE 'fraud%'`",
    example: "name LIKE 'fraud%'",
  })
  filter?: string;

  @MlflowField({
    type: 'int64',
    min: 1,
    max: LIMITS.searchRegisteredModelsMaxResults,
    description: `Page size, 1..${LIMITS.searchRegisteredModelsMaxResults} (default ${LIMITS.searchRegisteredModelsDefaultMaxResults})`,
    example: 100,
  })
  max_results?: number;

  @MlflowField({
    type: 'string',
    repeated: true,
    description: 'name, timestamp or last_updated_timestamp, each with ASC/DESC',
    example: ['name ASC'],
  })
  order_by?: string[];

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;
}

export class GetLatestVersionsRequestDto extends RegisteredModelNameDto {
  @MlflowField({
    type: 'string',
    repeated: true,
    description: `Stages (any case; default all of ${MODEL_STAGES.join(', ')})`,
    example: ['Production'],
  })
  stages?: string[];
}

export class SetRegisteredModelTagRequestDto extends RegisteredModelNameDto {
  @MlflowField({ type: 'string', required: true, example: 'team' })
  key!: string;

  @MlflowField({ type: 'string', example: 'fraud' })
  value?: string;
}

export class DeleteRegisteredModelTagRequestDto extends RegisteredModelNameDto {
  @MlflowField({ type: 'string', required: true, example: 'team' })
  key!: string;
}

export class SetRegisteredModelAliasRequestDto extends RegisteredModelNameDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: '`[\\w-]`, ≤255 characters; `latest` and `v<digits>` are reserved',
    example: 'champion',
  })
  alias!: string;

  @MlflowField({ type: 'string', required: true, example: '3' })
  version!: string;
}

export class DeleteRegisteredModelAliasRequestDto extends RegisteredModelNameDto {
  @MlflowField({ type: 'string', required: true, example: 'champion' })
  alias!: string;
}

export class GetModelVersionByAliasRequestDto extends RegisteredModelNameDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: '`latest` gives the highest live version',
    example: 'champion',
  })
  alias!: string;
}

export class RegisteredModelAliasJsonDto {
  @ApiProperty({ example: 'champion' })
  alias!: string;

  @ApiProperty({ example: '3' })
  version!: string;
}

export class RegisteredModelJsonDto {
  @ApiProperty({ example: 'fraud-detector' })
  name!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  creation_timestamp!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  last_updated_timestamp!: number;

  @ApiPropertyOptional({ example: 'Federated fraud model' })
  description?: string;

  @ApiPropertyOptional({
    type: [ModelVersionJsonDto],
    description: 'The highest live version in each stage',
  })
  latest_versions?: ModelVersionJsonDto[];

  @ApiPropertyOptional({ type: [RegistryTagJsonDto] })
  tags?: RegistryTagJsonDto[];

  @ApiPropertyOptional({ type: [RegisteredModelAliasJsonDto] })
  aliases?: RegisteredModelAliasJsonDto[];
}

export class RegisteredModelResponseDto {
  @ApiProperty({ type: RegisteredModelJsonDto })
  registered_model!: RegisteredModelJsonDto;
}

export class SearchRegisteredModelsResponseDto {
  @ApiPropertyOptional({ type: [RegisteredModelJsonDto] })
  registered_models?: RegisteredModelJsonDto[];

  @ApiPropertyOptional({ example: 'eyJvZmZzZXQiOiAxMDB9' })
  next_page_token?: string;
}

export class GetLatestVersionsResponseDto {
  @ApiPropertyOptional({ type: [ModelVersionJsonDto] })
  model_versions?: ModelVersionJsonDto[];
}

/** MLflow's RegisteredModel JSON: keys in proto order, empty description and lists left out. */
export function toRegisteredModelJson(model: RegisteredModel): RegisteredModelJsonDto {
  return {
    name: model.name,
    creation_timestamp: model.creationTimestamp,
    last_updated_timestamp: model.lastUpdatedTimestamp,
    ...(model.description ? { description: model.description } : {}),
    ...(model.latestVersions.length > 0
      ? { latest_versions: model.latestVersions.map(toModelVersionJson) }
      : {}),
    ...(model.tags.length > 0
      ? { tags: model.tags.map((t) => ({ key: t.key, value: t.value })) }
      : {}),
    ...(model.aliases.length > 0
      ? { aliases: model.aliases.map((a) => ({ alias: a.alias, version: a.version })) }
      : {}),
  };
}
