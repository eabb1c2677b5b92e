import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import {
  Access,
  Audited,
  Caller,
  experiment,
  loggedModels,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
  run,
} from '@app/http';

import { EmptyResponseDto } from '../experiments/experiments.dto';
import { toRunInfoJson, toRunJson } from './run-json';
import {
  CreateRunRequestDto,
  CreateRunResponseDto,
  DeleteTagRequestDto,
  fromDatasetInputDto,
  fromKeyValueDto,
  fromModelOutputDto,
  GetRunRequestDto,
  GetRunResponseDto,
  LogBatchRequestDto,
  LogInputsRequestDto,
  LogMetricRequestDto,
  LogModelRequestDto,
  LogOutputsRequestDto,
  LogParamRequestDto,
  readLogBatchRequest,
  readLogMetricRequest,
  RunIdRequestDto,
  SetTagRequestDto,
  toCreatedRunJson,
  UpdateRunRequestDto,
  UpdateRunResponseDto,
} from './runs.dto';
import { RunsService } from './runs.service';

@ApiTags('runs (FLOps training rounds)')
@Controller(MLFLOW_API_PREFIXES)
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post('runs/create')
  @Audited({ action: 'run.create', resource: 'run', responsePath: ['run', 'info', 'run_id'] })
  @Access.to([experiment('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a run (a FLOps training round) in an active experiment' })
  @ApiOkResponse({ type: CreateRunResponseDto })
  async create(
    @MlflowRequest() dto: CreateRunRequestDto,
    @Caller() caller: Principal,
  ): Promise<CreateRunResponseDto> {
    const run = await this.runs.create({
      experimentId: dto.experiment_id,
      userId: dto.user_id,
      runName: dto.run_name,
      startTime: dto.start_time,
      tags: (dto.tags ?? []).map(fromKeyValueDto),
      caller,
    });
    return { run: toCreatedRunJson(run) };
  }

  @Get('runs/get')
  @Access.to([run('read')], { aggregator: true })
  @ApiOperation({
    summary: 'Get a run with its latest metrics, params, tags and inputs (deleted runs too)',
  })
  @ApiOkResponse({ type: GetRunResponseDto })
  async get(@MlflowRequest() dto: GetRunRequestDto): Promise<GetRunResponseDto> {
    return { run: toRunJson(await this.runs.get(dto.run_id)) };
  }

  @Post('runs/update')
  @Access.to([run('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Update the status, end time or name of an active run' })
  @ApiOkResponse({ type: UpdateRunResponseDto })
  async update(@MlflowRequest() dto: UpdateRunRequestDto): Promise<UpdateRunResponseDto> {
    const info = await this.runs.update(dto.run_id, {
      status: dto.status,
      endTime: dto.end_time,
      runName: dto.run_name,
    });
    return { run_info: toRunInfoJson(info) };
  }

  @Post('runs/delete')
  @Audited({ action: 'run.delete', resource: 'run', field: 'run_id' })
  @Access.to([run('delete')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Soft-delete a run (idempotent)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async delete(@MlflowRequest() dto: RunIdRequestDto): Promise<EmptyResponseDto> {
    await this.runs.delete(dto.run_id);
    return {};
  }

  @Post('runs/restore')
  @Audited({ action: 'run.restore', resource: 'run', field: 'run_id' })
  @Access.to([run('delete')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a deleted run (idempotent)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async restore(@MlflowRequest() dto: RunIdRequestDto): Promise<EmptyResponseDto> {
    await this.runs.restore(dto.run_id);
    return {};
  }

  @Post('runs/log-metric')
  @Access.to([run('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Log one metric point (identical points are ignored)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  @ApiBody({ type: LogMetricRequestDto })
  async logMetric(@MlflowRequest() request: Record<string, unknown>): Promise<EmptyResponseDto> {
    const { runId, metric } = readLogMetricRequest(request);
    await this.runs.logMetric(runId, metric);
    return {};
  }

  @Post('runs/log-parameter')
  @Access.to([run('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Log a param (write-once: the same value again is fine)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async logParam(@MlflowRequest() dto: LogParamRequestDto): Promise<EmptyResponseDto> {
    await this.runs.logParam(dto.run_id, fromKeyValueDto(dto));
    return {};
  }

  @Post('runs/set-tag')
  @Access.to([run('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Set (upsert) a run tag; mlflow.runName renames the run' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async setTag(@MlflowRequest() dto: SetTagRequestDto): Promise<EmptyResponseDto> {
    await this.runs.setTag(dto.run_id, fromKeyValueDto(dto));
    return {};
  }

  @Post('runs/delete-tag')
  @Access.to([run('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a run tag' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async deleteTag(@MlflowRequest() dto: DeleteTagRequestDto): Promise<EmptyResponseDto> {
    await this.runs.deleteTag(dto.run_id, dto.key);
    return {};
  }

  @Post('runs/log-batch')
  @Access.to([run('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Log metrics, params and tags in one transaction (all or nothing)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  @ApiBody({ type: LogBatchRequestDto })
  async logBatch(@MlflowRequest() request: Record<string, unknown>): Promise<EmptyResponseDto> {
    const { runId, ...batch } = await readLogBatchRequest(request);
    await this.runs.logBatch(runId, batch);
    return {};
  }

  @Post('runs/log-model')
  @Access.to([run('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a logged model (MLflow 2.x) in the mlflow.log-model.history tag',
  })
  @ApiOkResponse({ type: EmptyResponseDto })
  async logModel(@MlflowRequest() dto: LogModelRequestDto): Promise<EmptyResponseDto> {
    await this.runs.logModel(dto.run_id, dto.model_json);
    return {};
  }

  @Post('runs/log-inputs')
  @Access.to([run('update'), loggedModels('read')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Log the datasets (and 3.x logged models) a run used' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async logInputs(@MlflowRequest() dto: LogInputsRequestDto): Promise<EmptyResponseDto> {
    await this.runs.logInputs(
      dto.run_id,
      (dto.datasets ?? []).map(fromDatasetInputDto),
      (dto.models ?? []).map((m) => m.model_id),
    );
    return {};
  }

  @Post('runs/outputs')
  @Access.to([run('update'), loggedModels('read')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Link logged models produced by a run (MLflow 3.x)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async logOutputs(@MlflowRequest() dto: LogOutputsRequestDto): Promise<EmptyResponseDto> {
    await this.runs.logOutputs(dto.run_id, dto.models.map(fromModelOutputDto));
    return {};
  }
}
