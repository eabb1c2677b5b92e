import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { MODEL_STAGES, MODEL_VERSION_STATUSES, ModelVersion } from '@app/domain';
import { MlflowField } from '@app/http';

/** A `{key, value}` tag in a registry request. */
export class RegistryTagDto {
  @MlflowField({ type: 'string', required: true, description: 'Tag key', example: 'validated' })
  key!: string;

  @MlflowField({ type: 'string', description: 'Tag value (≤100,000 characters)', example: 'yes' })
  value?: string;
}

export class RegistryTagJsonDto {
  @ApiProperty({ example: 'validated' })
  key!: string;

  @ApiProperty({ example: 'yes' })
  value!: string;
}

export class RegistryEmptyResponseDto {}

/** MLflow's ModelVersion JSON (model_registry.proto), shared by every registry response. */
export class ModelVersionJsonDto {
  @ApiProperty({ example: 'fraud-detector' })
  name!: string;

  @ApiProperty({ example: '3', description: 'Version number, as a string' })
  version!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  creation_timestamp!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1732600000000 })
  last_updated_timestamp!: number;

  @ApiPropertyOptional({ example: 'alice' })
  user_id?: string;

  @ApiProperty({ enum: MODEL_STAGES, example: 'None' })
  current_stage!: string;

  @ApiPropertyOptional({ example: 'retrained on round 12' })
  description?: string;

  @ApiProperty({ example: 'mlflow-artifacts:/1/0a1b2c3d4e5f60718293a4b5c6d7e8f9/artifacts/model' })
  source!: string;

  @ApiPropertyOptional({ example: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' })
  run_id?: string;

  @ApiProperty({ enum: MODEL_VERSION_STATUSES, example: 'READY' })
  status!: string;

  @ApiPropertyOptional()
  status_message?: string;

  @ApiPropertyOptional({ type: [RegistryTagJsonDto] })
  tags?: RegistryTagJsonDto[];

  @ApiPropertyOptional({ example: '' })
  run_link?: string;

  @ApiPropertyOptional({ type: [String], example: ['champion'] })
  aliases?: string[];
}

/** Keys in MLflow's order (proto field order); unset fields and empty lists left out. */
export function toModelVersionJson(version: ModelVersion): ModelVersionJsonDto {
  return {
    name: version.name,
    version: version.version,
    creation_timestamp: version.creationTimestamp,
    last_updated_timestamp: version.lastUpdatedTimestamp,
    ...(version.userId !== null ? { user_id: version.userId } : {}),
    current_stage: version.currentStage,
    ...(version.description !== null ? { description: version.description } : {}),
    source: version.source,
    ...(version.runId !== null ? { run_id: version.runId } : {}),
    status: version.status,
    ...(version.statusMessage !== null ? { status_message: version.statusMessage } : {}),
    ...(version.tags.length > 0
      ? { tags: version.tags.map((t) => ({ key: t.key, value: t.value })) }
      : {}),
    ...(version.runLink !== null ? { run_link: version.runLink } : {}),
    ...(version.aliases.length > 0 ? { aliases: [...version.aliases] } : {}),
  };
}
