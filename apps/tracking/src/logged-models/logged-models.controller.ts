import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';

import { KeyValue, Principal } from '@app/domain';
import {
  Access,
  Caller,
  experiment,
  loggedModel,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
  run,
} from '@app/http';

import { EmptyResponseDto } from '../experiments/experiments.dto';
import {
  CreateLoggedModelRequestDto,
  FinalizeLoggedModelRequestDto,
  GetLoggedModelRequestDto,
  LoggedModelResponseDto,
  LogLoggedModelParamsRequestDto,
  SearchLoggedModelsRequestDto,
  SearchLoggedModelsResponseDto,
  SetLoggedModelTagsRequestDto,
  toLoggedModelJson,
} from './logged-models.dto';
import { LoggedModelsService } from './logged-models.service';

const MODEL_ID_PARAM = {
  name: 'model_id',
  description: 'The logged model id, `m-` + 32 hex',
  example: 'm-0123456789abcdef0123456789abcdef',
};

/**
 * MLflow 3.x logged models, which `mlflow.<flavor>.log_model()` creates, fills and finalizes.
 * `GET logged-models/{model_id}/artifacts/directories` is served with the artifact routes.
 */
@ApiTags('logged models (MLflow 3.x)')
@Controller(MLFLOW_API_PREFIXES)
export class LoggedModelsController {
  constructor(private readonly loggedModels: LoggedModelsService) {}

  @Post('logged-models')
  // The source run is named by the caller: it must be one the caller can read, or a version
  // registered from `models:/<this model>` would carry someone else's run id (reference §10.7).
  @Access.to([experiment('update'), run('read', 'source_run_id', true)], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a logged model (status LOGGED_MODEL_PENDING)' })
  @ApiOkResponse({ type: LoggedModelResponseDto })
  async create(@MlflowRequest() dto: CreateLoggedModelRequestDto): Promise<LoggedModelResponseDto> {
    const model = await this.loggedModels.create({
      experimentId: dto.experiment_id,
      name: dto.name,
      modelType: dto.model_type,
      sourceRunId: dto.source_run_id,
      params: keyValues(dto.params),
      tags: keyValues(dto.tags),
    });
    return { model: toLoggedModelJson(model) };
  }

  @Post('logged-models/search')
  @Access.signedIn({ aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Search the active logged models of experiments' })
  @ApiOkResponse({ type: SearchLoggedModelsResponseDto })
  async search(
    @MlflowRequest() dto: SearchLoggedModelsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchLoggedModelsResponseDto> {
    const page = await this.loggedModels.search({
      experimentIds: dto.experiment_ids,
      filter: dto.filter,
      datasets: (dto.datasets ?? []).map((d) => ({
        datasetName: d.dataset_name,
        ...(d.dataset_digest ? { datasetDigest: d.dataset_digest } : {}),
      })),
      maxResults: dto.max_results,
      orderBy: (dto.order_by ?? []).map((o) => ({
        fieldName: o.field_name,
        ascending: o.ascending,
        datasetName: o.dataset_name,
        datasetDigest: o.dataset_digest,
      })),
      pageToken: dto.page_token,
      caller,
    });
    const response: SearchLoggedModelsResponseDto = {};
    if (page.items.length > 0) response.models = page.items.map(toLoggedModelJson);
    if (page.nextPageToken) response.next_page_token = page.nextPageToken;
    return response;
  }

  @Get('logged-models/:model_id')
  @Access.to([loggedModel('read')], { aggregator: true })
  @ApiParam(MODEL_ID_PARAM)
  @ApiOperation({ summary: 'Get a logged model (deleted ones only with allow_deleted=true)' })
  @ApiOkResponse({ type: LoggedModelResponseDto })
  async get(
    @Param('model_id') modelId: string,
    @MlflowRequest() dto: GetLoggedModelRequestDto,
  ): Promise<LoggedModelResponseDto> {
    return {
      model: toLoggedModelJson(await this.loggedModels.get(modelId, dto.allow_deleted)),
    };
  }

  @Patch('logged-models/:model_id')
  @Access.to([loggedModel('update')], { aggregator: true })
  @ApiParam(MODEL_ID_PARAM)
  @ApiOperation({ summary: 'Finalize a logged model: LOGGED_MODEL_READY or _UPLOAD_FAILED' })
  @ApiOkResponse({ type: LoggedModelResponseDto })
  async finalize(
    @Param('model_id') modelId: string,
    @MlflowRequest() dto: FinalizeLoggedModelRequestDto,
  ): Promise<LoggedModelResponseDto> {
    const model = await this.loggedModels.finalize(modelId, dto.model_id, dto.status);
    return { model: toLoggedModelJson(model) };
  }

  @Delete('logged-models/:model_id')
  @Access.to([loggedModel('delete')])
  @ApiParam(MODEL_ID_PARAM)
  @ApiOperation({ summary: 'Soft-delete a logged model' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async delete(@Param('model_id') modelId: string): Promise<EmptyResponseDto> {
    await this.loggedModels.delete(modelId);
    return {};
  }

  @Patch('logged-models/:model_id/tags')
  @Access.to([loggedModel('update')], { aggregator: true })
  @ApiParam(MODEL_ID_PARAM)
  @ApiOperation({ summary: 'Set (upsert) tags on a logged model' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async setTags(
    @Param('model_id') modelId: string,
    @MlflowRequest() dto: SetLoggedModelTagsRequestDto,
  ): Promise<EmptyResponseDto> {
    await this.loggedModels.setTags(modelId, dto.model_id, keyValues(dto.tags));
    return {};
  }

  @Delete('logged-models/:model_id/tags/:tag_key')
  @Access.to([loggedModel('delete')])
  @ApiParam(MODEL_ID_PARAM)
  @ApiParam({ name: 'tag_key', example: 'mlflow.model.isExternal' })
  @ApiOperation({ summary: 'Delete a tag of a logged model; RESOURCE_DOES_NOT_EXIST if absent' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async deleteTag(
    @Param('model_id') modelId: string,
    @Param('tag_key') tagKey: string,
  ): Promise<EmptyResponseDto> {
    await this.loggedModels.deleteTag(modelId, tagKey);
    return {};
  }

  @Post('logged-models/:model_id/params')
  @Access.to([loggedModel('update')], { aggregator: true })
  @HttpCode(200)
  @ApiParam(MODEL_ID_PARAM)
  @ApiOperation({ summary: 'Log params of a logged model (write-once, batches of 100)' })
  @ApiOkResponse({ type: EmptyResponseDto })
  async logParams(
    @Param('model_id') modelId: string,
    @MlflowRequest() dto: LogLoggedModelParamsRequestDto,
  ): Promise<EmptyResponseDto> {
    await this.loggedModels.logParams(modelId, dto.model_id, keyValues(dto.params));
    return {};
  }
}

function keyValues(entries: { key: string; value?: string }[] | undefined): KeyValue[] {
  return (entries ?? []).map((e) => ({ key: e.key, value: e.value ?? '' }));
}
