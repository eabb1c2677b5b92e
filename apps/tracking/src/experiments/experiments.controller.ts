import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import {
  Access,
  Audited,
  Caller,
  experiment,
  experimentByName,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
} from '@app/http';

import {
  CreateExperimentRequestDto,
  CreateExperimentResponseDto,
  DeleteExperimentTagRequestDto,
  EmptyResponseDto,
  ExperimentIdRequestDto,
  GetExperimentByNameRequestDto,
  GetExperimentRequestDto,
  GetExperimentResponseDto,
  SearchExperimentsRequestDto,
  SearchExperimentsResponseDto,
  SetExperimentTagRequestDto,
  toExperimentJson,
  UpdateExperimentRequestDto,
} from './experiments.dto';
import { ExperimentsService } from './experiments.service';

@ApiTags('experiments (FLOps projects)')
@Controller(MLFLOW_API_PREFIXES)
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @Post('experiments/create')
  @Audited({
    action: 'experiment.create',
    resource: 'experiment',
    responsePath: ['experiment_id'],
    detail: ['name'],
  })
  @Access.signedIn()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create an experiment (a FLOps project)' })
  @ApiOkResponse({ type: CreateExperimentResponseDto })
  async create(
    @MlflowRequest() dto: CreateExperimentRequestDto,
    @Caller() caller: Principal,
  ): Promise<CreateExperimentResponseDto> {
    const tags = (dto.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }));
    return { experiment_id: await this.experiments.create(dto.name, tags, caller) };
  }

  @Get('experiments/get')
  @Access.to([experiment('read')], { aggregator: true })
  @ApiOperation({ summary: 'Get an experiment by id (deleted ones too)' })
  @ApiOkResponse({ type: GetExperimentResponseDto })
  async get(@MlflowRequest() dto: GetExperimentRequestDto): Promise<GetExperimentResponseDto> {
    return { experiment: toExperimentJson(await this.experiments.get(dto.experiment_id)) };
  }

  @Get('experiments/get-by-name')
  @Access.to([experimentByName('read')], { aggregator: true })
  @ApiOperation({ summary: 'Get an experiment by name; RESOURCE_DOES_NOT_EXIST (404) when absent' })
  @ApiOkResponse({ type: GetExperimentResponseDto })
  async getByName(
    @MlflowRequest() dto: GetExperimentByNameRequestDto,
  ): Promise<GetExperimentResponseDto> {
    return { experiment: toExperimentJson(await this.experiments.getByName(dto.experiment_name)) };
  }

  @Post('experiments/search')
  @Access.signedIn({ aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Search experiments' })
  @ApiOkResponse({ type: SearchExperimentsResponseDto })
  searchByPost(
    @MlflowRequest() dto: SearchExperimentsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchExperimentsResponseDto> {
    return this.search(dto, caller);
  }

  @Get('experiments/search')
  @Access.signedIn({ aggregator: true })
  @ApiOperation({ summary: 'Search experiments (query-string form)' })
  @ApiOkResponse({ type: SearchExperimentsResponseDto })
  searchByGet(
    @MlflowRequest() dto: SearchExperimentsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchExperimentsResponseDto> {
    return this.search(dto, caller);
  }

  @Get('experiments/list')
  @Access.signedIn({ aggregator: true })
  @ApiOperation({ summary: 'Legacy MLflow 1.x listing (still called by older clients)' })
  @ApiOkResponse({ type: SearchExperimentsResponseDto })
  list(
    @MlflowRequest() dto: SearchExperimentsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchExperimentsResponseDto> {
    return this.search({ ...dto, filter: undefined, order_by: undefined }, caller);
  }

  @Post('experiments/update')
  @Audited({
    action: 'experiment.rename',
    resource: 'experiment',
    field: 'experiment_id',
    detail: ['new_name'],
  })
  @Access.to([experiment('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Rename an active experiment' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async update(@MlflowRequest() dto: UpdateExperimentRequestDto): Promise<EmptyResponseDto> {
    await this.experiments.rename(dto.experiment_id, dto.new_name);
    return {};
  }

  @Post('experiments/delete')
  @Audited({ action: 'experiment.delete', resource: 'experiment', field: 'experiment_id' })
  @Access.to([experiment('delete')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Soft-delete an experiment and all its runs' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async delete(@MlflowRequest() dto: ExperimentIdRequestDto): Promise<EmptyResponseDto> {
    await this.experiments.delete(dto.experiment_id);
    return {};
  }

  @Post('experiments/restore')
  @Audited({ action: 'experiment.restore', resource: 'experiment', field: 'experiment_id' })
  @Access.to([experiment('delete')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a deleted experiment and all its runs' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async restore(@MlflowRequest() dto: ExperimentIdRequestDto): Promise<EmptyResponseDto> {
    await this.experiments.restore(dto.experiment_id);
    return {};
  }

  @Post('experiments/set-experiment-tag')
  @Access.to([experiment('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Set (upsert) an experiment tag' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async setTag(@MlflowRequest() dto: SetExperimentTagRequestDto): Promise<EmptyResponseDto> {
    await this.experiments.setTag(dto.experiment_id, { key: dto.key, value: dto.value ?? '' });
    return {};
  }

  @Post('experiments/delete-experiment-tag')
  @Access.to([experiment('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete an experiment tag (MLflow 3.x)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async deleteTag(@MlflowRequest() dto: DeleteExperimentTagRequestDto): Promise<EmptyResponseDto> {
    await this.experiments.deleteTag(dto.experiment_id, dto.key);
    return {};
  }

  private async search(
    dto: SearchExperimentsRequestDto,
    caller: Principal,
  ): Promise<SearchExperimentsResponseDto> {
    const page = await this.experiments.search({
      maxResults: dto.max_results,
      pageToken: dto.page_token,
      filter: dto.filter,
      orderBy: dto.order_by,
      viewType: dto.view_type,
      caller,
    });
    const response: SearchExperimentsResponseDto = {};
    if (page.items.length > 0) response.experiments = page.items.map(toExperimentJson);
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }
}
