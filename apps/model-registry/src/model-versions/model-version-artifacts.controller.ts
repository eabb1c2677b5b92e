import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Principal } from '@app/domain';
import { Access, Audited, Caller, MlflowRequest, registeredModel, sendArtifact } from '@app/http';

import { GetModelVersionArtifactRequestDto } from './model-version-artifacts.dto';
import { ModelVersionArtifactsService } from './model-version-artifacts.service';

/** The UI's download route for a model version's files, outside the API tree. */
@ApiTags('model versions')
@Controller()
export class ModelVersionArtifactsController {
  constructor(private readonly artifacts: ModelVersionArtifactsService) {}

  @Get('model-versions/get-artifact')
  @Audited({
    action: 'artifact.download',
    resource: 'registered-model',
    field: 'name',
    detail: ['version', 'path'],
  })
  @Access.to([registeredModel('read')])
  @ApiOperation({
    summary: 'Download one file of a model version (as an attachment)',
    description: 'A missing file or a directory is 404 RESOURCE_DOES_NOT_EXIST.',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file bytes' })
  async download(
    @MlflowRequest() dto: GetModelVersionArtifactRequestDto,
    @Res() reply: FastifyReply,
    @Caller() caller: Principal,
  ): Promise<void> {
    const { fileName, stream } = await this.artifacts.download(
      dto.name,
      dto.version,
      dto.path,
      caller,
    );
    sendArtifact(reply, fileName, stream);
  }
}
