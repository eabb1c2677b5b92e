import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

import {
  FlopsProject,
  FlopsRound,
  formatObjective,
  MetricValue,
  PROJECT_ORDER_FIELDS,
  PROJECT_STATES,
  RoundAggregation,
  RUN_STATUSES,
} from '@app/domain';
import { MlflowField } from '@app/http';

import { TagJsonDto } from '../experiments/experiments.dto';
import { JsonDouble, toJsonDouble } from '../runs/run-json';
import { MetricSeries, ProjectSeries, SystemSeries } from './flops.service';

/** Longest list a comma-separated query field accepts before the service's own limits. */
const MAX_LIST_ITEMS = 100;
const MAX_LIST_ITEM_LENGTH = 250;

/**
 * A list given as `a,b` or as the repeated parameter `x=a&x=b` (or both), split here so that the
 * access guard checks every item it names.
 */
function CommaListField(options: { description: string; example: string }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, ...options }),
    Expose(),
    Transform(({ value }: { value: unknown }) => {
      if (value === undefined || value === null) return undefined;
      const parts = (Array.isArray(value) ? value : [value]).map((v) =>
        typeof v === 'string' ? v : Symbol.for('invalid'),
      );
      if (parts.some((p) => typeof p !== 'string')) return parts;
      return (parts as string[])
        .flatMap((p) => p.split(','))
        .map((p) => p.trim())
        .filter((p) => p !== '');
    }),
    ValidateBy({
      name: 'commaList',
      validator: {
        validate: (value: unknown) =>
          value === undefined ||
          (Array.isArray(value) &&
            value.length <= MAX_LIST_ITEMS &&
            value.every((v) => typeof v === 'string' && v.length <= MAX_LIST_ITEM_LENGTH)),
        defaultMessage: () =>
          `Invalid value for parameter '%s' supplied: expected a comma-separated list of at most ${MAX_LIST_ITEMS} names of at most ${MAX_LIST_ITEM_LENGTH} characters.`,
      },
    }),
  );
}

const EXPERIMENT_ID_PARAM_EXAMPLE = '1';

// ---------- requests ----------

export class ListProjectsRequestDto {
  @MlflowField({
    type: 'enum',
    enum: PROJECT_STATES,
    description:
      'active: a round running or none yet; failed: a round FAILED or KILLED and none running; finished: every round FINISHED',
    example: 'finished',
  })
  state?: string;

  @MlflowField({
    type: 'string',
    description: 'Substring (case-sensitive) of the experiment name or of the project id',
    example: '66f1',
  })
  name?: string;

  @MlflowField({
    type: 'string',
    description: `'<field> [ASC|DESC]', field among ${PROJECT_ORDER_FIELDS.join(', ')}; default creation_time DESC`,
    example: 'rounds DESC',
  })
  order_by?: string;

  @MlflowField({ type: 'int32', min: 1, max: 1000, description: '1 to 1000; default 100' })
  max_results?: number;

  @MlflowField({ type: 'string', description: 'next_page_token of the previous page' })
  page_token?: string;
}

export class CreateProjectRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description:
      "The FLOps project id (Oakestra application id); the experiment is named by the project pattern ('FLOps Project <id>') and tagged flops.project_id",
    example: '66f1a2b3c4d5e6f7a8b9c0d1',
  })
  project_id!: string;

  @MlflowField({
    type: 'string',
    description:
      "How the best round is chosen: 'aggregator' (default: higher accuracy and lower loss than the best so far) or '<metric>:max|min[,…]'",
    example: 'accuracy:max',
  })
  objective?: string;

  @MlflowField({ type: 'object', repeated: true, item: TagJsonDto })
  tags?: TagJsonDto[];
}

export class PageRequestDto {
  @MlflowField({ type: 'int32', min: 1, max: 1000, description: '1 to 1000; default 100' })
  max_results?: number;

  @MlflowField({ type: 'string', description: 'next_page_token of the previous page' })
  page_token?: string;
}

export class GetRoundRequestDto {
  @MlflowField({
    type: 'int32',
    min: 1,
    description: 'Hierarchical mode: read cluster-level round {round} of this cycle',
  })
  cycle?: number;
}

export class RoundAggregationDto {
  @MlflowField({ type: 'int64', min: 0, example: 3 })
  participants_selected?: number;
  @MlflowField({ type: 'int64', min: 0, example: 3 })
  participants_succeeded?: number;
  @MlflowField({ type: 'int64', min: 0, example: 0 })
  participants_failed?: number;
  @MlflowField({
    type: 'int64',
    min: 0,
    description: 'Training examples aggregated',
    example: 6000,
  })
  examples?: number;
  @MlflowField({ type: 'int64', min: 0, description: 'Evaluation examples', example: 1000 })
  evaluation_examples?: number;
}

export class RoundParamDto {
  @MlflowField({ type: 'string', required: true, example: 'min_fit_clients' })
  key!: string;
  @MlflowField({ type: 'string', required: true, example: '2' })
  value!: string;
}

export class StartRoundRequestDto {
  @MlflowField({ type: 'int32', required: true, min: 1, example: 1 })
  round!: number;

  @MlflowField({
    type: 'int32',
    min: 1,
    description:
      'Hierarchical mode: the cycle (top-level round) this cluster-level round belongs to',
  })
  cycle?: number;

  @MlflowField({
    type: 'int64',
    min: 0,
    description: 'ms since the epoch; default now',
    example: 1733200000000,
  })
  start_time?: number;

  @MlflowField({ type: 'object', repeated: true, item: RoundParamDto, description: 'At most 100' })
  params?: RoundParamDto[];

  @MlflowField({ type: 'object', item: RoundAggregationDto })
  aggregation?: RoundAggregationDto;
}

export class RoundMetricDto {
  @MlflowField({ type: 'string', required: true, example: 'accuracy' })
  key!: string;
  @MlflowField({ type: 'double', required: true, example: 0.91 })
  value!: number;
  @MlflowField({ type: 'int64', min: 0, description: 'Default: the end time' })
  timestamp?: number;
  @MlflowField({ type: 'int64', description: 'Default 0, as the FLOps aggregator logs' })
  step?: number;
}

export class FinishRoundRequestDto {
  @MlflowField({ type: 'int32', min: 1, description: 'Hierarchical mode: the cycle of the round' })
  cycle?: number;

  @MlflowField({
    type: 'enum',
    enum: RUN_STATUSES.filter((s) => s !== 'RUNNING' && s !== 'SCHEDULED'),
    description: 'Default FINISHED',
    example: 'FINISHED',
  })
  status?: string;

  @MlflowField({ type: 'int64', min: 0, description: 'ms since the epoch; default now' })
  end_time?: number;

  @MlflowField({
    type: 'object',
    repeated: true,
    item: RoundMetricDto,
    description: 'At most 1000',
  })
  metrics?: RoundMetricDto[];

  @MlflowField({ type: 'object', item: RoundAggregationDto })
  aggregation?: RoundAggregationDto;
}

export class ProjectSeriesRequestDto {
  @CommaListField({
    description: 'Metric keys, comma-separated or repeated (at most 20)',
    example: 'loss,accuracy',
  })
  metrics?: string[];

  @MlflowField({
    type: 'bool',
    description: 'Also the mean and max of every system/* metric per round',
  })
  system?: boolean;
}

export class CompareSeriesRequestDto extends ProjectSeriesRequestDto {
  @CommaListField({
    description: 'Experiment ids of the projects, comma-separated or repeated (at most 10)',
    example: '1,2',
  })
  projects?: string[];
}

export class ExportRequestDto {
  @MlflowField({ type: 'enum', enum: ['csv', 'json'], description: 'Default csv', example: 'csv' })
  format?: string;
}

export function fromAggregationDto(dto: RoundAggregationDto | undefined): RoundAggregation {
  const aggregation: RoundAggregation = {};
  if (!dto) return aggregation;
  if (dto.participants_selected !== undefined) {
    aggregation.participantsSelected = dto.participants_selected;
  }
  if (dto.participants_succeeded !== undefined) {
    aggregation.participantsSucceeded = dto.participants_succeeded;
  }
  if (dto.participants_failed !== undefined) {
    aggregation.participantsFailed = dto.participants_failed;
  }
  if (dto.examples !== undefined) aggregation.examples = dto.examples;
  if (dto.evaluation_examples !== undefined) {
    aggregation.evaluationExamples = dto.evaluation_examples;
  }
  return aggregation;
}

// ---------- responses ----------

export class FlopsMetricJsonDto {
  @ApiProperty({ example: 'accuracy' })
  key!: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }], example: 0.91 })
  value!: JsonDouble;
  @ApiProperty({ type: 'integer', format: 'int64', example: 1733200015000 })
  timestamp!: number;
  @ApiProperty({ type: 'integer', format: 'int64', example: 0 })
  step!: number;
}

export class SystemMetricSummaryJsonDto {
  @ApiProperty({ example: 'system/cpu_utilization_percentage' })
  key!: string;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }], example: 12.5 })
  mean!: JsonDouble;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }], example: 30.1 })
  max!: JsonDouble;
  @ApiProperty({ example: 3 })
  samples!: number;
  @ApiProperty({ type: 'integer', format: 'int64', example: 1733200019000 })
  last_timestamp!: number;
}

export class RoundAggregationJsonDto {
  @ApiPropertyOptional({ example: 3 })
  participants_selected?: number;
  @ApiPropertyOptional({ example: 3 })
  participants_succeeded?: number;
  @ApiPropertyOptional({ example: 0 })
  participants_failed?: number;
  @ApiPropertyOptional({ example: 6000 })
  examples?: number;
  @ApiPropertyOptional({ example: 1000 })
  evaluation_examples?: number;
}

export class RoundJsonDto {
  @ApiProperty({ example: 1 })
  round!: number;
  @ApiProperty({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
  @ApiProperty({ example: 'FLOps FL round 1' })
  run_name!: string;
  @ApiProperty({ enum: RUN_STATUSES, example: 'FINISHED' })
  status!: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1733200000000 })
  start_time?: number;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1733200019000 })
  end_time?: number;
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 19000 })
  duration_ms?: number;
  @ApiPropertyOptional({ description: 'On a cluster-level round: its cycle', example: 1 })
  cycle?: number;
  @ApiProperty({
    type: [FlopsMetricJsonDto],
    description: 'Latest value per key, system/* excluded',
  })
  metrics!: FlopsMetricJsonDto[];
  @ApiProperty({ type: [TagJsonDto] })
  params!: TagJsonDto[];
  @ApiProperty({ type: RoundAggregationJsonDto, description: 'Only the fields that were sent' })
  aggregation!: RoundAggregationJsonDto;
  @ApiProperty({ type: [SystemMetricSummaryJsonDto] })
  system_metrics!: SystemMetricSummaryJsonDto[];
  @ApiProperty({
    type: () => [RoundJsonDto],
    description: 'Hierarchical mode: cluster-level rounds',
  })
  cluster_rounds!: RoundJsonDto[];
  @ApiProperty({ description: 'Whether this run carries the trained model files' })
  carries_model!: boolean;
}

export class BestRoundJsonDto {
  @ApiProperty({ example: 2 })
  round!: number;
  @ApiProperty({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
  @ApiProperty({ type: [FlopsMetricJsonDto] })
  metrics!: FlopsMetricJsonDto[];
}

export class TrainedModelJsonDto {
  @ApiProperty({ example: 3 })
  round!: number;
  @ApiProperty({ example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
  @ApiProperty({ example: 'logged_model_artifact' })
  artifact_path!: string;
  @ApiProperty({ example: 'mlflow-artifacts:/1/5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1/artifacts' })
  artifact_uri!: string;
  @ApiPropertyOptional({ description: 'MLflow 3 logged model id' })
  logged_model_id?: string;
}

export class ProjectJsonDto {
  @ApiProperty({ example: '66f1a2b3c4d5e6f7a8b9c0d1' })
  project_id!: string;
  @ApiProperty({ example: EXPERIMENT_ID_PARAM_EXAMPLE })
  experiment_id!: string;
  @ApiProperty({ example: 'FLOps Project 66f1a2b3c4d5e6f7a8b9c0d1' })
  name!: string;
  @ApiProperty({ type: 'integer', format: 'int64' })
  creation_time!: number;
  @ApiProperty({ type: 'integer', format: 'int64', description: 'Latest round start or end' })
  last_activity_time!: number;
  @ApiProperty({ example: 'aggregator' })
  objective!: string;
  @ApiProperty({ enum: ['classic', 'hierarchical'] })
  mode!: string;
  @ApiProperty({ enum: PROJECT_STATES })
  state!: string;
  @ApiProperty({ example: 3 })
  rounds!: number;
  @ApiPropertyOptional({ example: 1 })
  first_round?: number;
  @ApiPropertyOptional({ example: 3 })
  last_round?: number;
  @ApiPropertyOptional({ type: BestRoundJsonDto })
  best_round?: BestRoundJsonDto;
  @ApiProperty({ description: 'Whether the trained model was uploaded' })
  model_uploaded!: boolean;
  @ApiPropertyOptional({ type: TrainedModelJsonDto })
  model?: TrainedModelJsonDto;
}

export class ListProjectsResponseDto {
  @ApiProperty({ type: [ProjectJsonDto] })
  projects!: ProjectJsonDto[];
  @ApiPropertyOptional()
  next_page_token?: string;
}

export class ProjectResponseDto {
  @ApiProperty({ type: ProjectJsonDto })
  project!: ProjectJsonDto;
}

export class ListRoundsResponseDto {
  @ApiProperty({ type: [RoundJsonDto] })
  rounds!: RoundJsonDto[];
  @ApiPropertyOptional()
  next_page_token?: string;
}

export class RoundResponseDto {
  @ApiProperty({ type: RoundJsonDto })
  round!: RoundJsonDto;
}

export class BestRoundResponseDto {
  @ApiProperty({ example: 'aggregator' })
  objective!: string;
  @ApiPropertyOptional({ type: BestRoundJsonDto, description: 'Absent while no round qualifies' })
  best_round?: BestRoundJsonDto;
}

export class SeriesPointJsonDto {
  @ApiProperty({ example: 1 })
  round!: number;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }] })
  value!: JsonDouble;
  @ApiProperty({ type: 'integer', format: 'int64' })
  timestamp!: number;
  @ApiProperty({ type: 'integer', format: 'int64' })
  step!: number;
}

export class MetricSeriesJsonDto {
  @ApiProperty({ example: 'loss' })
  key!: string;
  @ApiProperty({ type: [SeriesPointJsonDto] })
  points!: SeriesPointJsonDto[];
}

export class SystemSeriesPointJsonDto {
  @ApiProperty({ example: 1 })
  round!: number;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }] })
  mean!: JsonDouble;
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN'] }] })
  max!: JsonDouble;
  @ApiProperty({ type: 'integer', format: 'int64', description: 'Last sample of the round' })
  timestamp!: number;
}

export class SystemSeriesJsonDto {
  @ApiProperty({ example: 'system/cpu_utilization_percentage' })
  key!: string;
  @ApiProperty({ type: [SystemSeriesPointJsonDto] })
  points!: SystemSeriesPointJsonDto[];
}

export class ProjectSeriesJsonDto {
  @ApiProperty()
  project_id!: string;
  @ApiProperty()
  experiment_id!: string;
  @ApiProperty({ type: [MetricSeriesJsonDto] })
  metrics!: MetricSeriesJsonDto[];
  @ApiPropertyOptional({ type: [SystemSeriesJsonDto], description: 'With system=true' })
  system?: SystemSeriesJsonDto[];
}

export class CompareSeriesResponseDto {
  @ApiProperty({ type: [ProjectSeriesJsonDto] })
  projects!: ProjectSeriesJsonDto[];
}

// ---------- mappers ----------

function toMetricJson(m: MetricValue): FlopsMetricJsonDto {
  return { key: m.key, value: toJsonDouble(m.value), timestamp: m.timestamp, step: m.step };
}

export function toAggregationJson(a: RoundAggregation): RoundAggregationJsonDto {
  const json: RoundAggregationJsonDto = {};
  if (a.participantsSelected !== undefined) json.participants_selected = a.participantsSelected;
  if (a.participantsSucceeded !== undefined) json.participants_succeeded = a.participantsSucceeded;
  if (a.participantsFailed !== undefined) json.participants_failed = a.participantsFailed;
  if (a.examples !== undefined) json.examples = a.examples;
  if (a.evaluationExamples !== undefined) json.evaluation_examples = a.evaluationExamples;
  return json;
}

export function toRoundJson(round: FlopsRound): RoundJsonDto {
  const json: RoundJsonDto = {
    round: round.round,
    run_id: round.runId,
    run_name: round.runName,
    status: round.status,
    metrics: round.metrics.map(toMetricJson),
    params: round.params.map(({ key, value }) => ({ key, value })),
    aggregation: toAggregationJson(round.aggregation),
    system_metrics: round.systemMetrics.map((s) => ({
      key: s.key,
      mean: toJsonDouble(s.mean),
      max: toJsonDouble(s.max),
      samples: s.samples,
      last_timestamp: s.lastTimestamp,
    })),
    cluster_rounds: round.clusterRounds.map(toRoundJson),
    carries_model: round.carriesModel,
  };
  if (round.startTime !== null) json.start_time = round.startTime;
  if (round.endTime !== null) json.end_time = round.endTime;
  if (round.durationMs !== null) json.duration_ms = round.durationMs;
  if (round.cycle !== null) json.cycle = round.cycle;
  return json;
}

export function toBestRoundJson(project: FlopsProject): BestRoundJsonDto | undefined {
  const best = project.bestRound;
  return best
    ? { round: best.round, run_id: best.runId, metrics: best.metrics.map(toMetricJson) }
    : undefined;
}

export function toProjectJson(project: FlopsProject): ProjectJsonDto {
  const json: ProjectJsonDto = {
    project_id: project.projectId,
    experiment_id: project.experimentId,
    name: project.name,
    creation_time: project.creationTime,
    last_activity_time: project.lastActivityTime,
    objective: formatObjective(project.objective),
    mode: project.mode,
    state: project.state,
    rounds: project.rounds.length,
    model_uploaded: project.model !== null,
  };
  if (project.rounds.length > 0) {
    json.first_round = project.rounds[0].round;
    json.last_round = project.rounds[project.rounds.length - 1].round;
  }
  const best = toBestRoundJson(project);
  if (best) json.best_round = best;
  if (project.model) {
    json.model = {
      round: project.model.round,
      run_id: project.model.runId,
      artifact_path: project.model.artifactPath,
      artifact_uri: project.model.artifactUri,
      ...(project.model.loggedModelId ? { logged_model_id: project.model.loggedModelId } : {}),
    };
  }
  return json;
}

function toMetricSeriesJson(s: MetricSeries): MetricSeriesJsonDto {
  return {
    key: s.key,
    points: s.points.map((p) => ({ ...p, value: toJsonDouble(p.value) })),
  };
}

function toSystemSeriesJson(s: SystemSeries): SystemSeriesJsonDto {
  return {
    key: s.key,
    points: s.points.map((p) => ({
      round: p.round,
      mean: toJsonDouble(p.mean),
      max: toJsonDouble(p.max),
      timestamp: p.timestamp,
    })),
  };
}

export function toProjectSeriesJson(series: ProjectSeries, system: boolean): ProjectSeriesJsonDto {
  const json: ProjectSeriesJsonDto = {
    project_id: series.project.projectId,
    experiment_id: series.project.experimentId,
    metrics: series.metrics.map(toMetricSeriesJson),
  };
  if (system) json.system = series.system.map(toSystemSeriesJson);
  return json;
}
