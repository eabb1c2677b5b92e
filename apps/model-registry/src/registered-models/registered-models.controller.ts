import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import {
  Access,
  Audited,
  Caller,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
  registeredModel,
} from '@app/http';

import { RegistryEmptyResponseDto, toModelVersionJson } from '../model-versions/model-version-json';
import { ModelVersionResponseDto } from '../model-versions/model-versions.dto';
import {
  CreateRegisteredModelRequestDto,
  DeleteRegisteredModelAliasRequestDto,
  DeleteRegisteredModelRequestDto,
  DeleteRegisteredModelTagRequestDto,
  GetLatestVersionsRequestDto,
  GetLatestVersionsResponseDto,
  GetModelVersionByAliasRequestDto,
  GetRegisteredModelRequestDto,
  RegisteredModelResponseDto,
  RenameRegisteredModelRequestDto,
  SearchRegisteredModelsRequestDto,
  SearchRegisteredModelsResponseDto,
  SetRegisteredModelAliasRequestDto,
  SetRegisteredModelTagRequestDto,
  toRegisteredModelJson,
  UpdateRegisteredModelRequestDto,
} from './registered-models.dto';
import { RegisteredModelsService } from './registered-models.service';

@ApiTags('registered models')
@Controller(MLFLOW_API_PREFIXES)
export class RegisteredModelsController {
  constructor(private readonly models: RegisteredModelsService) {}

  @Post('registered-models/create')
  @Audited({
    action: 'registered_model.create',
    resource: 'registered-model',
    responsePath: ['registered_model', 'name'],
  })
  @Access.signedIn()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Create a registered model',
    description: 'A taken name is RESOURCE_ALREADY_EXISTS (400), which register_model tolerates.',
  })
  @ApiOkResponse({ type: RegisteredModelResponseDto })
  async create(
    @MlflowRequest() dto: CreateRegisteredModelRequestDto,
    @Caller() caller: Principal,
  ): Promise<RegisteredModelResponseDto> {
    const tags = (dto.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' }));
    const model = await this.models.create(dto.name, tags, dto.description, caller);
    return { registered_model: toRegisteredModelJson(model) };
  }

  @Get('registered-models/get')
  @Access.to([registeredModel('read')])
  @ApiOperation({ summary: 'Get a registered model with its latest versions, tags and aliases' })
  @ApiOkResponse({ type: RegisteredModelResponseDto })
  async get(
    @MlflowRequest() dto: GetRegisteredModelRequestDto,
  ): Promise<RegisteredModelResponseDto> {
    return { registered_model: toRegisteredModelJson(await this.models.get(dto.name)) };
  }

  @Post('registered-models/rename')
  @Audited({
    action: 'registered_model.rename',
    resource: 'registered-model',
    field: 'name',
    detail: ['new_name'],
  })
  @Access.to([registeredModel('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Rename a registered model (its versions follow)' })
  @ApiOkResponse({ type: RegisteredModelResponseDto })
  async rename(
    @MlflowRequest() dto: RenameRegisteredModelRequestDto,
  ): Promise<RegisteredModelResponseDto> {
    return {
      registered_model: toRegisteredModelJson(await this.models.rename(dto.name, dto.new_name)),
    };
  }

  @Patch('registered-models/update')
  @Access.to([registeredModel('update')])
  @ApiOperation({ summary: "Update a registered model's description" })
  @ApiOkResponse({ type: RegisteredModelResponseDto })
  async update(
    @MlflowRequest() dto: UpdateRegisteredModelRequestDto,
  ): Promise<RegisteredModelResponseDto> {
    const model = await this.models.update(dto.name, dto.description);
    return { registered_model: toRegisteredModelJson(model) };
  }

  @Delete('registered-models/delete')
  @Audited({ action: 'registered_model.delete', resource: 'registered-model', field: 'name' })
  @Access.to([registeredModel('delete')])
  @ApiOperation({ summary: 'Delete a registered model with all its versions, tags and aliases' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async delete(
    @MlflowRequest() dto: DeleteRegisteredModelRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.models.delete(dto.name);
    return {};
  }

  @Get('registered-models/search')
  @Access.signedIn()
  @ApiOperation({ summary: 'Search registered models' })
  @ApiOkResponse({ type: SearchRegisteredModelsResponseDto })
  async search(
    @MlflowRequest() dto: SearchRegisteredModelsRequestDto,
    @Caller() caller: Principal,
  ): Promise<SearchRegisteredModelsResponseDto> {
    const page = await this.models.search({
      filter: dto.filter,
      maxResults: dto.max_results,
      orderBy: dto.order_by,
      pageToken: dto.page_token,
      caller,
    });
    return {
      ...(page.items.length > 0
        ? { registered_models: page.items.map(toRegisteredModelJson) }
        : {}),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  }

  @Post('registered-models/get-latest-versions')
  @Access.to([registeredModel('read')])
  @HttpCode(200)
  @ApiOperation({ summary: 'The highest version in each requested stage' })
  @ApiOkResponse({ type: GetLatestVersionsResponseDto })
  getLatestVersionsByPost(
    @MlflowRequest() dto: GetLatestVersionsRequestDto,
  ): Promise<GetLatestVersionsResponseDto> {
    return this.latestVersions(dto);
  }

  @Get('registered-models/get-latest-versions')
  @Access.to([registeredModel('read')])
  @ApiOperation({ summary: 'The highest version in each requested stage (query-string form)' })
  @ApiOkResponse({ type: GetLatestVersionsResponseDto })
  getLatestVersionsByGet(
    @MlflowRequest() dto: GetLatestVersionsRequestDto,
  ): Promise<GetLatestVersionsResponseDto> {
    return this.latestVersions(dto);
  }

  @Post('registered-models/set-tag')
  @Access.to([registeredModel('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Set (upsert) a registered model tag' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async setTag(
    @MlflowRequest() dto: SetRegisteredModelTagRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.models.setTag(dto.name, { key: dto.key, value: dto.value ?? '' });
    return {};
  }

  @Delete('registered-models/delete-tag')
  @Access.to([registeredModel('update')])
  @ApiOperation({ summary: 'Delete a registered model tag (a missing key is fine)' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async deleteTag(
    @MlflowRequest() dto: DeleteRegisteredModelTagRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.models.deleteTag(dto.name, dto.key);
    return {};
  }

  @Post('registered-models/alias')
  @Access.to([registeredModel('update')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Point an alias at a version (moves an existing alias)' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async setAlias(
    @MlflowRequest() dto: SetRegisteredModelAliasRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.models.setAlias(dto.name, dto.alias, dto.version);
    return {};
  }

  @Delete('registered-models/alias')
  @Access.to([registeredModel('delete')])
  @ApiOperation({ summary: 'Delete an alias (a missing alias is fine)' })
  @ApiOkResponse({ type: RegistryEmptyResponseDto })
  async deleteAlias(
    @MlflowRequest() dto: DeleteRegisteredModelAliasRequestDto,
  ): Promise<RegistryEmptyResponseDto> {
    await this.models.deleteAlias(dto.name, dto.alias);
    return {};
  }

  @Get('registered-models/alias')
  @Access.to([registeredModel('read')])
  @ApiOperation({
    summary: 'The version an alias points at',
    description: 'An unknown alias is INVALID_PARAMETER_VALUE (400), as in MLflow.',
  })
  @ApiOkResponse({ type: ModelVersionResponseDto })
  async getByAlias(
    @MlflowRequest() dto: GetModelVersionByAliasRequestDto,
  ): Promise<ModelVersionResponseDto> {
    const version = await this.models.getVersionByAlias(dto.name, dto.alias);
    return { model_version: toModelVersionJson(version) };
  }

  private async latestVersions(
    dto: GetLatestVersionsRequestDto,
  ): Promise<GetLatestVersionsResponseDto> {
    const versions = await this.models.getLatestVersions(dto.name, dto.stages);
    return versions.length > 0 ? { model_versions: versions.map(toModelVersionJson) } : {};
  }
}
