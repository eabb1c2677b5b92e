import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import {
  Access,
  Audited,
  loggedModel,
  MLFLOW_AJAX_ONLY_PREFIX,
  MLFLOW_API_PREFIXES,
  MlflowRequest,
  run,
  sendArtifact,
} from '@app/http';

import {
  GetArtifactRequestDto,
  GetLoggedModelArtifactRequestDto,
  ListArtifactsRequestDto,
  ListArtifactsResponseDto,
  ListLoggedModelArtifactsRequestDto,
  toListArtifactsJson,
  UploadArtifactQueryDto,
} from './artifacts.dto';
import { ArtifactsService } from './artifacts.service';

@ApiTags('run artifacts')
@Controller(MLFLOW_API_PREFIXES)
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  @Get('artifacts/list')
  @Access.to([run('read')], { aggregator: true })
  @ApiOperation({
    summary: "List a directory of a run's artifacts (paths relative to the run root)",
    description: 'A file path or a missing path lists no files.',
  })
  @ApiOkResponse({ type: ListArtifactsResponseDto })
  async list(@MlflowRequest() dto: ListArtifactsRequestDto): Promise<ListArtifactsResponseDto> {
    const listing = await this.artifacts.list(dto.run_id, dto.path);
    return toListArtifactsJson(listing.rootUri, listing.files);
  }

  @Get('logged-models/:model_id/artifacts/directories')
  @Access.to([loggedModel('read')], { aggregator: true })
  @ApiOperation({
    summary:
      "List a directory of a logged model's artifacts (MLflow 3.x; paths relative to its root)",
  })
  @ApiOkResponse({ type: ListArtifactsResponseDto })
  async listLoggedModel(
    @Param('model_id') modelId: string,
    @MlflowRequest() dto: ListLoggedModelArtifactsRequestDto,
  ): Promise<ListArtifactsResponseDto> {
    const listing = await this.artifacts.listLoggedModel(modelId, dto.artifact_directory_path);
    return toListArtifactsJson(listing.rootUri, listing.files);
  }
}

/** The UI's download route, outside the API tree. */
@ApiTags('run artifacts')
@Controller()
export class ArtifactFilesController {
  constructor(private readonly artifacts: ArtifactsService) {}

  @Get('get-artifact')
  @Audited({ action: 'artifact.download', resource: 'run', field: 'run_id', detail: ['path'] })
  @Access.to([run('read')], { aggregator: true })
  @ApiOperation({
    summary: "Download one of a run's artifact files (as an attachment)",
    description: 'A missing file or a directory is 404 RESOURCE_DOES_NOT_EXIST.',
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file bytes' })
  async download(
    @MlflowRequest() dto: GetArtifactRequestDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { fileName, stream } = await this.artifacts.download(dto.run_id, dto.path);
    sendArtifact(reply, fileName, stream);
  }
}

@ApiTags('run artifacts')
@Controller(MLFLOW_AJAX_ONLY_PREFIX)
export class ArtifactsAjaxController {
  constructor(private readonly artifacts: ArtifactsService) {}

  @Post('upload-artifact')
  @Access.to([run('update', 'run_uuid')])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload a small file (≤ 10 MB, non-empty) to a run from the UI; raw body',
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 200, description: 'Empty body' })
  async upload(
    @Query() query: UploadArtifactQueryDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const length = req.headers['content-length'];
    await this.artifacts.upload(
      query.run_uuid,
      query.path,
      req.raw,
      length === undefined ? undefined : Number(length),
    );
    // MLflow answers an empty body (with a JSON content type).
    void reply.status(200).header('Content-Type', 'application/json').send('');
  }

  @Get('logged-models/:model_id/artifacts/files')
  @Access.to([loggedModel('read')], { aggregator: true })
  @ApiOperation({
    summary: "Download one of a logged model's artifact files (MLflow 3.x UI route)",
  })
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file bytes' })
  async downloadLoggedModel(
    @Param('model_id') modelId: string,
    @MlflowRequest() dto: GetLoggedModelArtifactRequestDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { fileName, stream } = await this.artifacts.downloadLoggedModel(
      modelId,
      dto.artifact_file_path,
    );
    sendArtifact(reply, fileName, stream);
  }
}
