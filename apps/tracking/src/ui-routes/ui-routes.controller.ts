import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import { Access, Caller, experiment, MLFLOW_AJAX_ONLY_PREFIX, MlflowRequest } from '@app/http';

import { CreateRunResponseDto, fromKeyValueDto, toCreatedRunJson } from '../runs/runs.dto';
import { PromptlabService } from './promptlab.service';
import {
  CreatePromptlabRunRequestDto,
  GatewayEndpointsResponseDto,
  GatewayProxyRequestDto,
} from './ui-routes.dto';

/** Routes MLflow's web UI calls that exist only under `/ajax-api`. */
@ApiTags('runs (FLOps training rounds)')
@Controller(MLFLOW_AJAX_ONLY_PREFIX)
export class UiRoutesController {
  constructor(private readonly promptlab: PromptlabService) {}

  @Post('runs/create-promptlab-run')
  @Access.to([experiment('update')])
  @HttpCode(200)
  @ApiOperation({
    summary: "The prompt-engineering UI's run: params, evaluation table, finished at once",
  })
  @ApiOkResponse({ type: CreateRunResponseDto })
  async createPromptlabRun(
    @MlflowRequest() dto: CreatePromptlabRunRequestDto,
    @Caller() caller: Principal,
  ): Promise<CreateRunResponseDto> {
    const run = await this.promptlab.create({
      experimentId: dto.experiment_id,
      runName: dto.run_name,
      tags: (dto.tags ?? []).map(fromKeyValueDto),
      promptTemplate: dto.prompt_template,
      promptParameters: dto.prompt_parameters.map(fromKeyValueDto),
      modelRoute: dto.model_route,
      modelParameters: (dto.model_parameters ?? []).map(fromKeyValueDto),
      modelOutput: dto.model_output,
      userId: dto.user_id,
      startTime: dto.start_time,
      caller,
    });
    return { run: toCreatedRunJson(run) };
  }

  @Get('gateway-proxy')
  @Access.signedIn()
  @ApiOperation({
    summary: 'MLflow deployments proxy: no deployments target is configured, so no endpoints',
  })
  @ApiOkResponse({ type: GatewayEndpointsResponseDto })
  gatewayProxyGet(@MlflowRequest() _dto: GatewayProxyRequestDto): GatewayEndpointsResponseDto {
    return { endpoints: [] };
  }

  @Post('gateway-proxy')
  @Access.signedIn()
  @HttpCode(200)
  @ApiOperation({
    summary: 'MLflow deployments proxy: no deployments target is configured, so no endpoints',
  })
  @ApiOkResponse({ type: GatewayEndpointsResponseDto })
  gatewayProxyPost(@MlflowRequest() _dto: GatewayProxyRequestDto): GatewayEndpointsResponseDto {
    return { endpoints: [] };
  }
}
