import { Controller, Delete, Get, HttpCode, Post, Put, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { Principal } from '@app/domain';
import {
  Access,
  artifactPath,
  Audited,
  Caller,
  MLFLOW_ARTIFACTS_PREFIXES,
  MlflowRequest,
  rawArtifactPath,
  sendArtifact,
} from '@app/http';

import { ArtifactProxyOptions } from '../artifact-proxy-options';
import {
  AbortMultipartUploadRequestDto,
  CompleteMultipartUploadRequestDto,
  CreateMultipartUploadRequestDto,
  EmptyResponseDto,
  ListArtifactsMlflowArtifactsRequestDto,
  ListArtifactsMlflowArtifactsResponseDto,
  toListArtifactsMlflowArtifactsJson,
} from './artifacts.dto';
import { ArtifactsService, MULTIPART_NOT_SUPPORTED } from './artifacts.service';
import { uploadBody } from './upload-body';

const PATH_PARAM = {
  name: 'path',
  description:
    "`<experiment_id>/<run_id>/artifacts/<file>`, `<experiment_id>/models/<model_id>/artifacts/<file>`, or any other relative path (the caller's own namespace when auth is on)",
  example: '1/0123456789abcdef0123456789abcdef/artifacts/model/MLmodel',
};

@ApiTags('artifact proxy (mlflow-artifacts)')
@Controller(MLFLOW_ARTIFACTS_PREFIXES)
export class ArtifactsController {
  constructor(
    private readonly artifacts: ArtifactsService,
    private readonly options: ArtifactProxyOptions,
  ) {}

  @Put('artifacts/*')
  @Access.to([artifactPath('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Upload (or overwrite) one artifact file; the raw body is streamed' })
  @ApiParam(PATH_PARAM)
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: EmptyResponseDto })
  async upload(@Req() req: FastifyRequest, @Caller() caller: Principal): Promise<EmptyResponseDto> {
    await this.artifacts.upload(
      rawArtifactPath(req.url),
      uploadBody(req.raw, this.options.uploadIdleTimeoutMs),
      caller,
    );
    return {};
  }

  @Get('artifacts/*')
  @Audited({ action: 'artifact.download', resource: 'artifact-path' })
  @Access.to([artifactPath('read')], { aggregator: true })
  @ApiOperation({
    summary: 'Download one artifact file (streamed, always as an attachment)',
    description: 'A missing file or a directory is 404 RESOURCE_DOES_NOT_EXIST.',
  })
  @ApiParam(PATH_PARAM)
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The file bytes' })
  async download(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Caller() caller: Principal,
  ): Promise<void> {
    const { fileName, stream } = await this.artifacts.download(rawArtifactPath(req.url), caller);
    sendArtifact(reply, fileName, stream);
  }

  @Get('artifacts')
  @Access.to([artifactPath('read', 'path')], { aggregator: true })
  @ApiOperation({
    summary: 'List a directory: basenames, is_dir, file_size',
    description:
      "A file path or a missing path lists as {}. Paths outside a run, logged model or trace (the root included) are the caller's own namespace when auth is on.",
  })
  @ApiOkResponse({ type: ListArtifactsMlflowArtifactsResponseDto })
  async list(
    @MlflowRequest() dto: ListArtifactsMlflowArtifactsRequestDto,
    @Caller() caller: Principal,
  ): Promise<ListArtifactsMlflowArtifactsResponseDto> {
    return toListArtifactsMlflowArtifactsJson(await this.artifacts.list(dto.path, caller));
  }

  @Delete('artifacts/*')
  @Audited({ action: 'artifact.delete', resource: 'artifact-path' })
  @Access.to([artifactPath('delete')])
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a file or a whole directory subtree (a missing path is fine)' })
  @ApiParam(PATH_PARAM)
  @ApiOkResponse({ type: EmptyResponseDto })
  async delete(@Req() req: FastifyRequest, @Caller() caller: Principal): Promise<EmptyResponseDto> {
    await this.artifacts.delete(rawArtifactPath(req.url), caller);
    return {};
  }

  @Post('mpu/create/*')
  @Access.to([artifactPath('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Multipart upload: 501 NOT_IMPLEMENTED (clients fall back to a single PUT)',
  })
  @ApiParam(PATH_PARAM)
  @ApiOkResponse({ description: 'Never sent: no store here presigns parts' })
  @ApiResponse({ status: 501, description: `NOT_IMPLEMENTED "${MULTIPART_NOT_SUPPORTED}"` })
  createMultipartUpload(
    @Req() req: FastifyRequest,
    @MlflowRequest() _dto: CreateMultipartUploadRequestDto,
    @Caller() caller: Principal,
  ): Promise<never> {
    return this.artifacts.multipartUpload(rawArtifactPath(req.url), caller);
  }

  @Post('mpu/complete/*')
  @Access.to([artifactPath('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Multipart upload: 501 NOT_IMPLEMENTED' })
  @ApiParam(PATH_PARAM)
  @ApiOkResponse({ description: 'Never sent: no store here presigns parts' })
  @ApiResponse({ status: 501, description: `NOT_IMPLEMENTED "${MULTIPART_NOT_SUPPORTED}"` })
  completeMultipartUpload(
    @Req() req: FastifyRequest,
    @MlflowRequest() _dto: CompleteMultipartUploadRequestDto,
    @Caller() caller: Principal,
  ): Promise<never> {
    return this.artifacts.multipartUpload(rawArtifactPath(req.url), caller);
  }

  @Post('mpu/abort/*')
  @Access.to([artifactPath('update')], { aggregator: true })
  @HttpCode(200)
  @ApiOperation({ summary: 'Multipart upload: 501 NOT_IMPLEMENTED' })
  @ApiParam(PATH_PARAM)
  @ApiOkResponse({ description: 'Never sent: no store here presigns parts' })
  @ApiResponse({ status: 501, description: `NOT_IMPLEMENTED "${MULTIPART_NOT_SUPPORTED}"` })
  abortMultipartUpload(
    @Req() req: FastifyRequest,
    @MlflowRequest() _dto: AbortMultipartUploadRequestDto,
    @Caller() caller: Principal,
  ): Promise<never> {
    return this.artifacts.multipartUpload(rawArtifactPath(req.url), caller);
  }
}
