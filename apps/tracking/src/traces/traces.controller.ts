import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { KeyValue, Principal, TRACE_DATA_FILE_NAME } from '@app/domain';
import {
  Access,
  Audited,
  Caller,
  experiment,
  MLFLOW_AJAX_ONLY_PREFIX,
  MLFLOW_API_PREFIXES,
  MLFLOW_V3_API_PREFIXES,
  MlflowRequest,
  run,
  sendArtifact,
  trace,
  traces,
} from '@app/http';

import { EmptyResponseDto } from '../experiments/experiments.dto';
import {
  DeleteTracesRequestDto,
  DeleteTracesResponseDto,
  DeleteTraceTagRequestDto,
  EndTraceRequestDto,
  GetTraceArtifactRequestDto,
  LinkTracesToRunRequestDto,
  SearchTracesRequestDto,
  SearchTracesResponseDto,
  SearchTracesV3RequestDto,
  SearchTracesV3ResponseDto,
  SetTraceTagRequestDto,
  StartTraceRequestDto,
  StartTraceV3RequestDto,
  toTraceInfoJson,
  toTraceInfoV3Json,
  TraceInfoResponseDto,
  TraceKeyValueDto,
  TraceV3ResponseDto,
} from './traces.dto';
import { TracesService } from './traces.service';

const REQUEST_ID_PARAM = {
  name: 'request_id',
  description: 'The trace id (MLflow 2.x request id)',
  example: '0123456789abcdef0123456789abcdef',
};
const TRACE_ID_PARAM = {
  name: 'trace_id',
  description: 'The trace id (MLflow 3.x)',
  example: 'tr-0123456789abcdef0123456789abcdef',
};
const V3_EXPERIMENT_FIELD = 'trace.trace_info.trace_location.mlflow_experiment.experiment_id';
const DELETE_AUDIT = {
  action: 'traces.delete',
  resource: 'experiment',
  field: 'experiment_id',
  detail: ['max_timestamp_millis', 'max_traces', 'request_ids'],
} as const;

/**
 * MLflow 2.x tracing (`TracingClient` of 2.17: start, end, get, search, delete, tags) and the
 * link of traces to a run (2.0 path, a 3.x RPC). Traces are authorised through their
 * experiment, like runs.
 */
@ApiTags('traces')
@Controller(MLFLOW_API_PREFIXES)
export class TracesController {
  constructor(private readonly traces: TracesService) {}

  @Post('traces')
  @Access.to([experiment('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a trace (IN_PROGRESS); the server chooses its request_id' })
  @ApiOkResponse({ type: TraceInfoResponseDto })
  async start(@MlflowRequest() dto: StartTraceRequestDto): Promise<TraceInfoResponseDto> {
    const info = await this.traces.startTrace({
      experimentId: dto.experiment_id,
      timestampMs: dto.timestamp_ms,
      requestMetadata: keyValues(dto.request_metadata),
      tags: keyValues(dto.tags),
    });
    return { trace_info: toTraceInfoJson(info) };
  }

  @Get('traces')
  @Access.signedIn({ aggregator: true })
  @ApiOperation({ summary: 'Search the traces of experiments (filter, order_by, pages)' })
  @ApiOkResponse({ type: SearchTracesResponseDto })
  async search(
    @MlflowRequest() dto: SearchTracesRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchTracesResponseDto> {
    const page = await this.traces.search({
      experimentIds: dto.experiment_ids,
      filter: dto.filter,
      maxResults: dto.max_results,
      orderBy: dto.order_by,
      pageToken: dto.page_token,
      caller,
    });
    const response: SearchTracesResponseDto = {};
    if (page.items.length > 0) response.traces = page.items.map(toTraceInfoJson);
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }

  @Post('traces/delete-traces')
  @Audited(DELETE_AUDIT)
  @Access.to([experiment('delete')])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete traces of an experiment by ids, or by max_timestamp_millis (and max_traces)',
  })
  @ApiOkResponse({ type: DeleteTracesResponseDto })
  async delete(@MlflowRequest() dto: DeleteTracesRequestDto): Promise<DeleteTracesResponseDto> {
    return { traces_deleted: await this.traces.deleteTraces(deleteParams(dto)) };
  }

  @Post('traces/link-to-run')
  @Access.to([traces('update', 'trace_ids'), run('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Link traces (at most 100) to a run' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async linkToRun(@MlflowRequest() dto: LinkTracesToRunRequestDto): Promise<EmptyResponseDto> {
    await this.traces.linkToRun(dto.trace_ids, dto.run_id);
    return {};
  }

  @Patch('traces/:request_id')
  @Access.to([trace('update')], { aggregator: true })
  @ApiParam(REQUEST_ID_PARAM)
  @ApiOperation({ summary: 'End a trace: its status and execution time, more metadata and tags' })
  @ApiOkResponse({ type: TraceInfoResponseDto })
  async end(
    @Param('request_id') requestId: string,
    @MlflowRequest() dto: EndTraceRequestDto,
  ): Promise<TraceInfoResponseDto> {
    const info = await this.traces.endTrace({
      requestId,
      timestampMs: dto.timestamp_ms,
      status: dto.status,
      requestMetadata: keyValues(dto.request_metadata),
      tags: keyValues(dto.tags),
    });
    return { trace_info: toTraceInfoJson(info) };
  }

  @Get('traces/:request_id/info')
  @Access.to([trace('read')], { aggregator: true })
  @ApiParam(REQUEST_ID_PARAM)
  @ApiOperation({ summary: "Get a trace's info (MLflow 2.x shape)" })
  @ApiOkResponse({ type: TraceInfoResponseDto })
  async get(@Param('request_id') requestId: string): Promise<TraceInfoResponseDto> {
    return { trace_info: toTraceInfoJson(await this.traces.getTraceInfo(requestId)) };
  }

  @Patch('traces/:request_id/tags')
  @Access.to([trace('update')], { aggregator: true })
  @ApiParam(REQUEST_ID_PARAM)
  @ApiOperation({ summary: 'Set (upsert) a tag on a trace' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async setTag(
    @Param('request_id') requestId: string,
    @MlflowRequest() dto: SetTraceTagRequestDto,
  ): Promise<EmptyResponseDto> {
    await this.traces.setTag(requestId, dto.key, dto.value ?? '');
    return {};
  }

  @Delete('traces/:request_id/tags')
  @Access.to([trace('delete')])
  @ApiParam(REQUEST_ID_PARAM)
  @ApiOperation({ summary: 'Delete a tag of a trace; RESOURCE_DOES_NOT_EXIST if absent' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async deleteTag(
    @Param('request_id') requestId: string,
    @MlflowRequest() dto: DeleteTraceTagRequestDto,
  ): Promise<EmptyResponseDto> {
    await this.traces.deleteTag(requestId, dto.key);
    return {};
  }
}

/** MLflow 3.x tracing (`/api/3.0`): TraceInfoV3 shapes; the same traces as the 2.x routes. */
@ApiTags('traces')
@Controller(MLFLOW_V3_API_PREFIXES)
export class TracesV3Controller {
  constructor(private readonly traces: TracesService) {}

  @Post('traces')
  @Access.to([experiment('update', V3_EXPERIMENT_FIELD)], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a trace (MLflow 3.x: the client chooses trace_id; sent again, it updates)',
  })
  @ApiOkResponse({ type: TraceV3ResponseDto })
  async start(@MlflowRequest() dto: StartTraceV3RequestDto): Promise<TraceV3ResponseDto> {
    const info = dto.trace.trace_info;
    const stored = await this.traces.startTraceV3({
      traceId: info.trace_id,
      experimentId: info.trace_location.mlflow_experiment.experiment_id,
      clientRequestId: info.client_request_id,
      requestPreview: info.request_preview,
      responsePreview: info.response_preview,
      requestTime: info.request_time,
      executionDuration: info.execution_duration,
      state: info.state,
      traceMetadata: info.trace_metadata,
      tags: info.tags,
    });
    return { trace: { trace_info: toTraceInfoV3Json(stored) } };
  }

  @Post('traces/search')
  @Access.signedIn({ aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Search traces in experiment locations (MLflow 3.x shape)' })
  @ApiOkResponse({ type: SearchTracesV3ResponseDto })
  async search(
    @MlflowRequest() dto: SearchTracesV3RequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchTracesV3ResponseDto> {
    const page = await this.traces.search({
      experimentIds: dto.locations.flatMap((l) =>
        l.mlflow_experiment ? [l.mlflow_experiment.experiment_id] : [],
      ),
      filter: dto.filter,
      maxResults: dto.max_results,
      orderBy: dto.order_by,
      pageToken: dto.page_token,
      caller,
    });
    const response: SearchTracesV3ResponseDto = {};
    if (page.items.length > 0) response.traces = page.items.map(toTraceInfoV3Json);
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }

  @Post('traces/delete-traces')
  @Audited(DELETE_AUDIT)
  @Access.to([experiment('delete')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete traces (MLflow 3.x path; as the 2.0 route)' })
  @ApiOkResponse({ type: DeleteTracesResponseDto })
  async delete(@MlflowRequest() dto: DeleteTracesRequestDto): Promise<DeleteTracesResponseDto> {
    return { traces_deleted: await this.traces.deleteTraces(deleteParams(dto)) };
  }

  @Get('traces/:trace_id')
  @Access.to([trace('read', 'trace_id')], { aggregator: true })
  @ApiParam(TRACE_ID_PARAM)
  @ApiOperation({ summary: "Get a trace's info (MLflow 3.x TraceInfoV3)" })
  @ApiOkResponse({ type: TraceV3ResponseDto })
  async get(@Param('trace_id') traceId: string): Promise<TraceV3ResponseDto> {
    return { trace: { trace_info: toTraceInfoV3Json(await this.traces.getTraceInfo(traceId)) } };
  }

  @Patch('traces/:trace_id/tags')
  @Access.to([trace('update', 'trace_id')], { aggregator: true })
  @ApiParam(TRACE_ID_PARAM)
  @ApiOperation({ summary: 'Set (upsert) a tag on a trace' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async setTag(
    @Param('trace_id') traceId: string,
    @MlflowRequest() dto: SetTraceTagRequestDto,
  ): Promise<EmptyResponseDto> {
    await this.traces.setTag(traceId, dto.key, dto.value ?? '');
    return {};
  }

  @Delete('traces/:trace_id/tags')
  @Access.to([trace('delete', 'trace_id')])
  @ApiParam(TRACE_ID_PARAM)
  @ApiOperation({ summary: 'Delete a tag of a trace; RESOURCE_DOES_NOT_EXIST if absent' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async deleteTag(
    @Param('trace_id') traceId: string,
    @MlflowRequest() dto: DeleteTraceTagRequestDto,
  ): Promise<EmptyResponseDto> {
    await this.traces.deleteTag(traceId, dto.key);
    return {};
  }
}

/** The UI's trace data download, outside the RPC tree. */
@ApiTags('traces')
@Controller(MLFLOW_AJAX_ONLY_PREFIX)
export class TraceArtifactController {
  constructor(private readonly traces: TracesService) {}

  @Get('get-trace-artifact')
  @Access.to([trace('read')], { aggregator: true })
  @ApiOperation({
    summary: "Download a trace's data (traces.json) from its artifact location",
    description: 'RESOURCE_DOES_NOT_EXIST while the client has not uploaded it.',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The trace data JSON, as an attachment' })
  async download(
    @MlflowRequest() dto: GetTraceArtifactRequestDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendArtifact(reply, TRACE_DATA_FILE_NAME, await this.traces.openTraceData(dto.request_id));
  }
}

function keyValues(entries: TraceKeyValueDto[] | undefined): KeyValue[] {
  return (entries ?? []).map((e) => ({ key: e.key, value: e.value ?? '' }));
}

function deleteParams(dto: DeleteTracesRequestDto) {
  return {
    experimentId: dto.experiment_id,
    maxTimestampMillis: dto.max_timestamp_millis,
    maxTraces: dto.max_traces,
    requestIds: dto.request_ids,
  };
}
