import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import {
  Access,
  Audited,
  Caller,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
  modelSource,
  registeredModel,
} from '@app/http';

import { RegistryEmptyResponseDto, toModelVersionJson } from './model-version-json';
import {
  CreateModelVersionRequestDto,
  DeleteModelVersionRequestDto,
  DeleteModelVersionTagRequestDto,
  GetModelVersionDownloadUriRequestDto,
  GetModelVersionDownloadUriResponseDto,
  GetModelVersionRequestDto,
  ModelVersionResponseDto,
  SearchModelVersionsRequestDto,
  SearchModelVersionsResponseDto,
  SetModelVersionTagRequestDto,
  TransitionModelVersionStageRequestDto,
  UpdateModelVersionRequestDto,
} from './model-versions.dto';
import { ModelVersionsService } from './model-versions.service';

@ApiTags('model versions')
@Controller(MLFLOW_API_PREFIXES)
export class ModelVersionsController {
  constructor(private readonly versions: ModelVersionsService) {}

  @Post('model-versions/create')
  @Audited({
    action: 'model_version.create',
    resource: 'registered-model',
    field: 'name',
    detail: ['source', 'run_id'],
  })
  // run_id is the resolver's: a run not in this store is recorded as given (MLflow), one here
  // must be readable by the caller.
  @Access.to([registeredModel('update'), modelSource('read')])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register a new version (READY, stage None, number = max + 1)',
    description:
      'The source is validated: no traversal; every run, logged model, version or artifact path it names must exist here and be readable by the caller. A run_id or runs:/ source of a run not in this store, and object-store sources, are recorded as given.',
  })
  @ApiOkResponse({ type: ModelVersionResponseDto })
  async create(
    @MlflowRequest() dto: CreateModelVersionRequestDto,
    @Caller() caller: Principal,
  ): Promise<ModelVersionResponseDto> {
    const version = await this.versions.create({
      name: dto.name,
      source: dto.source,
      runId: dto.run_id,
      runLink: dto.run_link,
      description: dto.description,
      modelId: dto.model_id,
      tags: (dto.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
      caller,
    });
    return { model_version: toModelVersionJson(version) };
  }

  @Get('model-versions/get')
  @Access.to([registeredModel('read')])
  @ApiOperation({ summary: 'Get a model version (deleted ones are not found)' })
  @ApiOkResponse({ type: ModelVersionResponseDto })
  async get(@MlflowRequest() dto: GetModelVersionRequestDto): Promise<ModelVersionResponseDto> {
    return { model_version: toModelVersionJson(await this.versions.get(dto.name, dto.version)) };
  }

  @Patch('model-versions/update')
  @Access.to([registeredModel('update')])
  @ApiOperation({ summary: "Update a version's description" })
  @ApiOkResponse({ type: ModelVersionResponseDto })
  async update(
    @MlflowRequest() dto: UpdateModelVersionRequestDto,
  ): Promise<ModelVersionResponseDto> {
    const version = await this.versions.update(dto.name, dto.version, dto.description);
    return { model_version: toModelVersionJson(version) };
  }

  @Post('model-versions/transition-stage')
  @Audited({
    action: 'model_version.transition_stage',
    resource: 'registered-model',
    field: 'name',
    detail: ['version', 'stage', 'archive_existing_versions'],
  })
  @Access.to([registeredModel('update')])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a version to a stage, optionally archiving the versions already there',
  })
  @ApiOkResponse({ type: ModelVersionResponseDto })
  async transitionStage(
    @MlflowRequest() dto: TransitionModelVersionStageRequestDto,
  ): Promise<ModelVersionResponseDto> {
    const version = await this.versions.transition(
      dto.name,
      dto.version,
      dto.stage,
      dto.archive_existing_versions,
    );
    return { model_version: toModelVersionJson(version) };
  }

  @Delete('model-versions/delete')
  @Audited({
    action: 'model_version.delete',
    resource: 'registered-model',
    field: 'name',
    detail: ['version'],
  })
  @Access.to([registeredModel('delete')])
  @ApiOperation({ summary: 'Delete a version (its number is never reused; its aliases go)' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async delete(
    @MlflowRequest() dto: DeleteModelVersionRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.versions.delete(dto.name, dto.version);
    return {};
  }

  @Get('model-versions/get-download-uri')
  @Access.to([registeredModel('read')])
  @ApiOperation({ summary: "Where the version's files are (its resolved storage location)" })
  @ApiOkResponse({ type: GetModelVersionDownloadUriResponseDto })
  async getDownloadUri(
    @MlflowRequest() dto: GetModelVersionDownloadUriRequestDto,
  ): Promise<GetModelVersionDownloadUriResponseDto> {
    return { artifact_uri: await this.versions.getDownloadUri(dto.name, dto.version) };
  }

  @Get('model-versions/search')
  @Access.signedIn()
  @ApiOperation({ summary: 'Search model versions' })
  @ApiOkResponse({ type: SearchModelVersionsResponseDto })
  async search(
    @MlflowRequest() dto: SearchModelVersionsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchModelVersionsResponseDto> {
    const page = await this.versions.search({
      filter: dto.filter,
      maxResults: dto.max_results,
      orderBy: dto.order_by,
      pageToken: dto.page_token,
      caller,
    });
    return {
      ...(page.items.length > 0 ? { model_versions: page.items.map(toModelVersionJson) } : {}),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  }

  @Post('model-versions/set-tag')
  @Access.to([registeredModel('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Set (upsert) a model version tag' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async setTag(
    @MlflowRequest() dto: SetModelVersionTagRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.versions.setTag(dto.name, dto.version, { key: dto.key, value: dto.value ?? '' });
    return {};
  }

  @Delete('model-versions/delete-tag')
  @Access.to([registeredModel('delete')])
  @ApiOperation({ summary: 'Delete a model version tag (a missing key is fine)' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async deleteTag(
    @MlflowRequest() dto: DeleteModelVersionTagRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.versions.deleteTag(dto.name, dto.version, dto.key);
    return {};
  }
}
