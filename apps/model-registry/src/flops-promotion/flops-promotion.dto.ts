import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { PromotionLineage } from '@app/domain';
import { MlflowField } from '@app/http';

import { ModelVersionJsonDto, toModelVersionJson } from '../model-versions/model-version-json';
import { ProjectLineage, Promotion } from './flops-promotion.service';

export class RegisterProjectModelRequestDto {
  @MlflowField({
    type: 'string',
    description:
      "Registered model to add the version to, created (owned by the caller) when missing. Default: 'flops-<project id>'.",
    example: 'flops-66f1e0c2a3b4c5d6e7f80912',
  })
  name?: string;

  @MlflowField({
    type: 'string',
    description: 'Alias to point at the version (`[\\w-]`; `latest` and `v<digits>` are reserved)',
    example: 'champion',
  })
  alias?: string;

  @MlflowField({
    type: 'string',
    description: 'Stage to move the version to: None, Staging, Production or Archived (any case)',
    example: 'Staging',
  })
  stage?: string;

  @MlflowField({
    type: 'bool',
    description: "With 'stage' Staging or Production: archive the other versions in that stage",
    example: false,
  })
  archive_existing_versions?: boolean;
}

export class FlopsMetricJsonDto {
  @ApiProperty({ example: 'accuracy' })
  key!: string;

  @ApiProperty({ type: 'number', example: 0.91 })
  value!: number;
}

/** Where a promoted version came from, as its `flops.*` tags say. */
export class FlopsLineageJsonDto {
  @ApiProperty({ example: '66f1e0c2a3b4c5d6e7f80912' })
  project_id!: string;

  @ApiProperty({ example: '3' })
  experiment_id!: string;

  @ApiProperty({
    type: 'integer',
    description: 'The round whose run carries the files',
    example: 3,
  })
  model_round!: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'The best round under the objective; absent when no round qualified',
    example: 2,
  })
  best_round?: number;

  @ApiProperty({ type: [FlopsMetricJsonDto], description: "The best round's metrics" })
  best_round_metrics!: FlopsMetricJsonDto[];

  @ApiProperty({ example: 'aggregator', description: 'How the best round was chosen' })
  objective!: string;
}

export class RegisterProjectModelResponseDto {
  @ApiProperty({ type: ModelVersionJsonDto })
  model_version!: ModelVersionJsonDto;

  @ApiProperty({
    description:
      'False when this model of the project had been promoted before: that version is returned',
    example: true,
  })
  created!: boolean;

  @ApiProperty({ type: FlopsLineageJsonDto })
  lineage!: FlopsLineageJsonDto;
}

export class FlopsPromotedVersionJsonDto {
  @ApiProperty({ type: ModelVersionJsonDto })
  model_version!: ModelVersionJsonDto;

  @ApiProperty({ type: FlopsLineageJsonDto })
  lineage!: FlopsLineageJsonDto;
}

export class ProjectLineageResponseDto {
  @ApiProperty({ example: '66f1e0c2a3b4c5d6e7f80912' })
  project_id!: string;

  @ApiProperty({ example: '3' })
  experiment_id!: string;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'The round that carries the trained model now; absent before it is uploaded',
    example: 3,
  })
  model_round?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'The best round now', example: 2 })
  best_round?: number;

  @ApiProperty({
    type: [FlopsPromotedVersionJsonDto],
    description: 'Versions promoted from the project that the caller may read, oldest first',
  })
  versions!: FlopsPromotedVersionJsonDto[];
}

export function toLineageJson(lineage: PromotionLineage): FlopsLineageJsonDto {
  return {
    project_id: lineage.projectId,
    experiment_id: lineage.experimentId,
    model_round: lineage.modelRound,
    ...(lineage.bestRound !== null ? { best_round: lineage.bestRound } : {}),
    best_round_metrics: lineage.bestRoundMetrics.map(({ key, value }) => ({ key, value })),
    objective: lineage.objective,
  };
}

export function toPromotionJson(promotion: Promotion): RegisterProjectModelResponseDto {
  return {
    model_version: toModelVersionJson(promotion.version),
    created: promotion.created,
    lineage: toLineageJson(promotion.lineage),
  };
}

export function toProjectLineageJson(lineage: ProjectLineage): ProjectLineageResponseDto {
  const { project } = lineage;
  return {
    project_id: project.projectId,
    experiment_id: project.experimentId,
    ...(project.model ? { model_round: project.model.round } : {}),
    ...(project.bestRound ? { best_round: project.bestRound.round } : {}),
    versions: lineage.versions.map((v) => ({
      model_version: toModelVersionJson(v.version),
      lineage: toLineageJson(v.lineage),
    })),
  };
}
