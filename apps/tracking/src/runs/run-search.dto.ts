import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { DatasetSummary, LIMITS, VIEW_TYPES, ViewType } from '@app/domain';
import { MlflowField } from '@app/http';

import { RunJsonDto } from './run-json';

export class SearchRunsRequestDto {
  @MlflowField({
    type: 'string',
    repeated: true,
    numberAsString: true,
    description: 'Experiments (FLOps projects) to search; none gives no runs',
    example: ['1'],
  })
  experiment_ids?: string[];

  @MlflowField({
    type: 'string',
    description:
      "Comparisons joined by AND, e.g. `metrics.accuracy > 0.9 and params.optimizer = 'adam'`",
    example: "metrics.accuracy > 0.9 and tags.`mlflow.source.type` = 'LOCAL'",
  })
  filter?: string;

  @MlflowField({
    type: 'enum',
    enum: VIEW_TYPES,
    description: 'Lifecycle stages to include (default ACTIVE_ONLY)',
    example: 'ACTIVE_ONLY',
  })
  run_view_type?: ViewType;

  @MlflowField({
    type: 'int32',
    max: LIMITS.searchRunsMaxResults,
    description: `Page size, 1..${LIMITS.searchRunsMaxResults} (default ${LIMITS.searchRunsDefaultMaxResults})`,
    example: 1000,
  })
  max_results?: number;

  @MlflowField({
    type: 'string',
    repeated: true,
    description: 'e.g. `metrics.accuracy DESC`, ``tags.`a b` ASC``, `start_time`',
    example: ['metrics.accuracy DESC'],
  })
  order_by?: string[];

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;
}

export class SearchRunsResponseDto {
  @ApiPropertyOptional({ type: [RunJsonDto], description: 'Omitted when the page is empty' })
  runs?: RunJsonDto[];

  @ApiPropertyOptional({
    example: 'eyJvZmZzZXQiOiAxMDAwfQ==',
    description: 'Present whenever the page came back full (MLflow semantics)',
  })
  next_page_token?: string;
}

export class SearchDatasetsRequestDto {
  @MlflowField({
    type: 'string',
    repeated: true,
    numberAsString: true,
    description: `1..${LIMITS.searchDatasetsMaxExperimentIds} experiment ids`,
    example: ['1'],
  })
  experiment_ids?: string[];
}

export class DatasetSummaryJsonDto {
  @ApiProperty({ example: '1' })
  experiment_id!: string;

  @ApiProperty({ example: 'mnist-train' })
  name!: string;

  @ApiProperty({ example: 'abc12345' })
  digest!: string;

  @ApiPropertyOptional({ example: 'training', description: 'The mlflow.data.context input tag' })
  context?: string;
}

export class SearchDatasetsResponseDto {
  @ApiProperty({ type: [DatasetSummaryJsonDto] })
  dataset_summaries!: DatasetSummaryJsonDto[];
}

export function toDatasetSummaryJson(summary: DatasetSummary): DatasetSummaryJsonDto {
  const json: DatasetSummaryJsonDto = {
    experiment_id: summary.experimentId,
    name: summary.name,
    digest: summary.digest,
  };
  if (summary.context !== undefined) json.context = summary.context;
  return json;
}
