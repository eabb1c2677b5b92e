import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';

import { Principal } from '@app/domain';
import { Access, Audited, Caller, MlflowRequest, project } from '@app/http';

import {
  ProjectLineageResponseDto,
  RegisterProjectModelRequestDto,
  RegisterProjectModelResponseDto,
  toProjectLineageJson,
  toPromotionJson,
} from './flops-promotion.dto';
import { FlopsPromotionService } from './flops-promotion.service';

const EXPERIMENT_ID_PARAM = {
  name: 'experiment_id',
  description: "The project's experiment id",
  example: '3',
};

@ApiTags('FLOps promotion')
@Controller('api/2.0/flops')
export class FlopsPromotionController {
  constructor(private readonly promotion: FlopsPromotionService) {}

  @Post('projects/:experiment_id/register-model')
  @Audited({
    action: 'flops.register_model',
    resource: 'registered-model',
    responsePath: ['model_version', 'name'],
    detail: ['name', 'alias', 'stage'],
  })
  // Creating the registered model is open to every signed-in user; adding to an existing one
  // needs EDIT on it, which the service checks once it knows the name.
  @Access.to([project('read')])
  @HttpCode(200)
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({
    summary: "Register the project's trained model as a model version, with its lineage",
    description:
      'The files of the round whose run carries `logged_model_artifact` (a log-model entry or an MLflow 3 logged model; not assumed to be the last round) become a version of the registered model (default `flops-<project id>`, created when missing), tagged `flops.project_id`, `flops.experiment_id`, `flops.model_round`, `flops.best_round`, `flops.best_round.metric.<key>` and `flops.objective`. The same model promoted again (or concurrently) returns the existing version (`created: false`); `alias` and `stage` apply either way. A project with no trained model yet is INVALID_STATE (400).',
  })
  @ApiOkResponse({ type: RegisterProjectModelResponseDto })
  async register(
    @Param('experiment_id') experimentId: string,
    @MlflowRequest() dto: RegisterProjectModelRequestDto,
    @Caller() caller: Principal,
  ): Promise<RegisterProjectModelResponseDto> {
    const promotion = await this.promotion.promote({
      experimentId,
      name: dto.name,
      alias: dto.alias,
      stage: dto.stage,
      archiveExistingVersions: dto.archive_existing_versions,
      caller,
    });
    return toPromotionJson(promotion);
  }

  @Get('projects/:experiment_id/lineage')
  @Access.to([project('read')])
  @ApiParam(EXPERIMENT_ID_PARAM)
  @ApiOperation({
    summary: 'The model versions promoted from the project, with the rounds they came from',
  })
  @ApiOkResponse({ type: ProjectLineageResponseDto })
  async lineage(
    @Param('experiment_id') experimentId: string,
    @Caller() caller: Principal,
  ): Promise<ProjectLineageResponseDto> {
    return toProjectLineageJson(await this.promotion.lineage(experimentId, caller));
  }
}
