import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import {
  formatProtoDuration,
  formatProtoTimestamp,
  KeyValue,
  TRACE_INPUTS_METADATA,
  TRACE_OUTPUTS_METADATA,
  TRACE_STATUSES,
  TraceInfo,
  TraceStatus,
} from '@app/domain';
import { MlflowField } from '@app/http';

import { TagJsonDto } from '../experiments/experiments.dto';

/** Proto values 1..3 (the unspecified 0 is no valid request value). */
const REQUEST_STATUSES = TRACE_STATUSES.slice(1);
const TRACE_LOCATION_TYPES = ['MLFLOW_EXPERIMENT', 'INFERENCE_TABLE'] as const;
const MAP_EXAMPLE = { 'mlflow.traceName': 'predict' };

export class TraceKeyValueDto {
  @MlflowField({ type: 'string', required: true, example: 'mlflow.traceName' })
  key!: string;

  @MlflowField({ type: 'string', example: 'predict' })
  value?: string;
}

// --- MLflow 2.x (TraceInfo) ---

export class StartTraceRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;

  @MlflowField({ type: 'int64', required: true, min: 0, example: 1733100000000 })
  timestamp_ms!: number;

  @MlflowField({ type: 'object', repeated: true, item: TraceKeyValueDto })
  request_metadata?: TraceKeyValueDto[];

  @MlflowField({
    type: 'object',
    repeated: true,
    item: TraceKeyValueDto,
    description: '`mlflow.artifactLocation` is set by the server and may not be sent',
  })
  tags?: TraceKeyValueDto[];
}

export class EndTraceRequestDto {
  @MlflowField({ type: 'string', description: 'Optional here (the path names the trace)' })
  request_id?: string;

  @MlflowField({ type: 'int64', required: true, min: 0, example: 1733100000500 })
  timestamp_ms!: number;

  @MlflowField({ type: 'enum', required: true, enum: REQUEST_STATUSES, example: 'OK' })
  status!: TraceStatus;

  @MlflowField({ type: 'object', repeated: true, item: TraceKeyValueDto })
  request_metadata?: TraceKeyValueDto[];

  @MlflowField({ type: 'object', repeated: true, item: TraceKeyValueDto })
  tags?: TraceKeyValueDto[];
}

export class SearchTracesRequestDto {
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
    description:
      "Trace filter grammar: `timestamp_ms`, `execution_time_ms`, `status`, `request_id`, `name`, `run_id`, `tags.<key>`, `request_metadata.<key>` (e.g. `status = 'OK' AND tags.env = 'prod'`)",
    example: "status = 'OK'",
  })
  filter?: string;

  @MlflowField({
    type: 'int32',
    min: 1,
    max: 500,
    description: 'Page size, 1..500 (default 100)',
    example: 100,
  })
  max_results?: number;

  @MlflowField({
    type: 'string',
    repeated: true,
    description: 'Default `timestamp_ms DESC`, then `request_id`',
    example: ['timestamp_ms DESC'],
  })
  order_by?: string[];

  @MlflowField({ type: 'string', description: 'Opaque token of the next page' })
  page_token?: string;
}

export class DeleteTracesRequestDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;

  @MlflowField({
    type: 'int64',
    min: 0,
    description: 'Delete the traces started at or before this time (with max_traces: the oldest)',
    example: 1733100000000,
  })
  max_timestamp_millis?: number;

  @MlflowField({ type: 'int32', min: 1, description: 'With max_timestamp_millis', example: 100 })
  max_traces?: number;

  @MlflowField({
    type: 'string',
    repeated: true,
    description: 'Delete these traces of the experiment (instead of max_timestamp_millis)',
    example: ['0123456789abcdef0123456789abcdef'],
  })
  request_ids?: string[];
}

export class SetTraceTagRequestDto {
  @MlflowField({ type: 'string', required: true, example: 'reviewed' })
  key!: string;

  @MlflowField({ type: 'string', example: 'yes' })
  value?: string;
}

export class DeleteTraceTagRequestDto {
  @MlflowField({ type: 'string', required: true, example: 'reviewed' })
  key!: string;
}

export class LinkTracesToRunRequestDto {
  @MlflowField({
    type: 'string',
    repeated: true,
    required: true,
    description: 'At most 100 traces',
    example: ['tr-0123456789abcdef0123456789abcdef'],
  })
  trace_ids!: string[];

  @MlflowField({ type: 'string', required: true, example: '5f0c3b1e0d9a4c1fb3c1c5d7a4e2b1e1' })
  run_id!: string;
}

export class GetTraceArtifactRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    missingMessage: 'Request must include the "request_id" query parameter.',
    example: '0123456789abcdef0123456789abcdef',
  })
  request_id!: string;
}

export class TraceInfoJsonDto {
  @ApiProperty({ example: '0123456789abcdef0123456789abcdef' })
  request_id!: string;

  @ApiProperty({ example: '1' })
  experiment_id!: string;

  @ApiProperty({ type: 'integer', format: 'int64', example: 1733100000000 })
  timestamp_ms!: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 500 })
  execution_time_ms?: number;

  @ApiProperty({ enum: TRACE_STATUSES, example: 'OK' })
  status!: TraceStatus;

  @ApiPropertyOptional({ type: [TagJsonDto] })
  request_metadata?: TagJsonDto[];

  @ApiPropertyOptional({ type: [TagJsonDto] })
  tags?: TagJsonDto[];
}

export class TraceInfoResponseDto {
  @ApiProperty({ type: TraceInfoJsonDto })
  trace_info!: TraceInfoJsonDto;
}

export class SearchTracesResponseDto {
  @ApiPropertyOptional({ type: [TraceInfoJsonDto] })
  traces?: TraceInfoJsonDto[];

  @ApiPropertyOptional()
  next_page_token?: string;
}

export class DeleteTracesResponseDto {
  @ApiProperty({ example: 2 })
  traces_deleted!: number;
}

// --- MLflow 3.x (TraceInfoV3) ---

export class MlflowExperimentLocationDto {
  @MlflowField({ type: 'string', required: true, numberAsString: true, example: '1' })
  experiment_id!: string;
}

export class TraceLocationDto {
  @MlflowField({ type: 'enum', enum: TRACE_LOCATION_TYPES, example: 'MLFLOW_EXPERIMENT' })
  type?: (typeof TRACE_LOCATION_TYPES)[number];

  @MlflowField({ type: 'object', item: MlflowExperimentLocationDto })
  mlflow_experiment?: MlflowExperimentLocationDto;
}

/** A trace location this server stores in: an experiment (required where a trace is written). */
export class ExperimentTraceLocationDto {
  @MlflowField({ type: 'enum', enum: TRACE_LOCATION_TYPES, example: 'MLFLOW_EXPERIMENT' })
  type?: (typeof TRACE_LOCATION_TYPES)[number];

  @MlflowField({ type: 'object', required: true, item: MlflowExperimentLocationDto })
  mlflow_experiment!: MlflowExperimentLocationDto;
}

export class TraceInfoV3RequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'Chosen by the client (`tr-` + 32 hex); letters, digits, `-`, `_`, at most 50',
    example: 'tr-0123456789abcdef0123456789abcdef',
  })
  trace_id!: string;

  @MlflowField({ type: 'string' })
  client_request_id?: string;

  @MlflowField({ type: 'object', required: true, item: ExperimentTraceLocationDto })
  trace_location!: ExperimentTraceLocationDto;

  @MlflowField({ type: 'string', description: 'At most 1000 characters' })
  request_preview?: string;

  @MlflowField({ type: 'string', description: 'At most 1000 characters' })
  response_preview?: string;

  @MlflowField({
    type: 'string',
    required: true,
    description: 'RFC 3339 (protobuf Timestamp JSON)',
    example: '2024-12-02T00:40:00.123Z',
  })
  request_time!: string;

  @MlflowField({
    type: 'string',
    description: 'protobuf Duration JSON',
    example: '0.500s',
  })
  execution_duration?: string;

  @MlflowField({ type: 'enum', enum: REQUEST_STATUSES, example: 'OK' })
  state?: TraceStatus;

  @MlflowField({
    type: 'object',
    description: 'A map of strings',
    example: { 'mlflow.traceInputs': '{"x": 1}' },
  })
  trace_metadata?: Record<string, unknown>;

  @MlflowField({ type: 'object', description: 'A map of strings', example: MAP_EXAMPLE })
  tags?: Record<string, unknown>;
}

export class TraceV3RequestDto {
  @MlflowField({ type: 'object', required: true, item: TraceInfoV3RequestDto })
  trace_info!: TraceInfoV3RequestDto;
}

export class StartTraceV3RequestDto {
  @MlflowField({ type: 'object', required: true, item: TraceV3RequestDto })
  trace!: TraceV3RequestDto;
}

export class SearchTracesV3RequestDto {
  @MlflowField({ type: 'object', repeated: true, required: true, item: TraceLocationDto })
  locations!: TraceLocationDto[];

  @MlflowField({ type: 'string', description: 'As searchTraces', example: "status = 'OK'" })
  filter?: string;

  @MlflowField({ type: 'int32', min: 1, max: 500, description: '1..500 (default 100)' })
  max_results?: number;

  @MlflowField({ type: 'string', repeated: true, example: ['timestamp_ms DESC'] })
  order_by?: string[];

  @MlflowField({ type: 'string' })
  page_token?: string;
}

export class MlflowExperimentLocationJsonDto {
  @ApiProperty({ example: '1' })
  experiment_id!: string;
}

export class TraceLocationJsonDto {
  @ApiProperty({ example: 'MLFLOW_EXPERIMENT' })
  type!: string;

  @ApiProperty({ type: MlflowExperimentLocationJsonDto })
  mlflow_experiment!: MlflowExperimentLocationJsonDto;
}

export class TraceInfoV3JsonDto {
  @ApiProperty({ example: 'tr-0123456789abcdef0123456789abcdef' })
  trace_id!: string;

  @ApiPropertyOptional()
  client_request_id?: string;

  @ApiProperty({ type: TraceLocationJsonDto })
  trace_location!: TraceLocationJsonDto;

  @ApiPropertyOptional()
  request_preview?: string;

  @ApiPropertyOptional()
  response_preview?: string;

  @ApiProperty({ example: '2024-12-02T00:40:00.123Z' })
  request_time!: string;

  @ApiPropertyOptional({ example: '0.500s' })
  execution_duration?: string;

  @ApiProperty({ example: 'OK' })
  state!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  trace_metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  tags?: Record<string, string>;
}

export class TraceV3JsonDto {
  @ApiProperty({ type: TraceInfoV3JsonDto })
  trace_info!: TraceInfoV3JsonDto;
}

export class TraceV3ResponseDto {
  @ApiProperty({ type: TraceV3JsonDto })
  trace!: TraceV3JsonDto;
}

export class SearchTracesV3ResponseDto {
  @ApiPropertyOptional({ type: [TraceInfoV3JsonDto] })
  traces?: TraceInfoV3JsonDto[];

  @ApiPropertyOptional()
  next_page_token?: string;
}

function pairs(entries: KeyValue[]): TagJsonDto[] {
  return entries.map((e) => ({ key: e.key, value: e.value }));
}

function asMap(entries: KeyValue[]): Record<string, string> {
  return Object.fromEntries(entries.map((e) => [e.key, e.value]));
}

/**
 * MLflow 2.x TraceInfo JSON in proto field order, empty lists omitted. A 3.x trace's previews
 * appear as the request metadata 2.x clients read them from (MLflow's `TraceInfoV2.from_v3`).
 */
export function toTraceInfoJson(trace: TraceInfo): TraceInfoJsonDto {
  const json: TraceInfoJsonDto = {
    request_id: trace.requestId,
    experiment_id: trace.experimentId,
    timestamp_ms: trace.timestampMs,
    status: trace.status,
  };
  if (trace.executionTimeMs !== null) json.execution_time_ms = trace.executionTimeMs;
  const metadata = [...trace.requestMetadata];
  const previews: [string, string | null][] = [
    [TRACE_INPUTS_METADATA, trace.requestPreview],
    [TRACE_OUTPUTS_METADATA, trace.responsePreview],
  ];
  for (const [key, preview] of previews) {
    if (preview !== null && !metadata.some((m) => m.key === key)) {
      metadata.push({ key, value: preview });
    }
  }
  if (metadata.length > 0) json.request_metadata = pairs(metadata);
  if (trace.tags.length > 0) json.tags = pairs(trace.tags);
  return json;
}

/**
 * MLflow 3.x TraceInfoV3 JSON (protobuf JSON: Timestamp and Duration as strings, maps as
 * objects, empty maps omitted). A 2.x trace's previews come from its request metadata.
 */
export function toTraceInfoV3Json(trace: TraceInfo): TraceInfoV3JsonDto {
  const metadata = asMap(trace.requestMetadata);
  const json: TraceInfoV3JsonDto = {
    trace_id: trace.requestId,
    trace_location: {
      type: 'MLFLOW_EXPERIMENT',
      mlflow_experiment: { experiment_id: trace.experimentId },
    },
    request_time: formatProtoTimestamp(trace.timestampMs),
    state: trace.status === 'TRACE_STATUS_UNSPECIFIED' ? 'STATE_UNSPECIFIED' : trace.status,
  };
  if (trace.clientRequestId !== null) json.client_request_id = trace.clientRequestId;
  const requestPreview = trace.requestPreview ?? metadata[TRACE_INPUTS_METADATA];
  const responsePreview = trace.responsePreview ?? metadata[TRACE_OUTPUTS_METADATA];
  if (requestPreview !== undefined) json.request_preview = requestPreview;
  if (responsePreview !== undefined) json.response_preview = responsePreview;
  if (trace.executionTimeMs !== null) {
    json.execution_duration = formatProtoDuration(trace.executionTimeMs);
  }
  if (trace.requestMetadata.length > 0) json.trace_metadata = metadata;
  if (trace.tags.length > 0) json.tags = asMap(trace.tags);
  return json;
}
