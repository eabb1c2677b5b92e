import { ApiPropertyOptional } from '@nestjs/swagger';

import { FileInfo } from '@app/domain';
import { FileInfoDto, MlflowField, toFileInfoJson } from '@app/http';

/**
 * `mlflow.artifacts.ListArtifacts`, named as MLflow's handlers import it: tracking serves a
 * different `ListArtifacts`, and OpenAPI keys schemas by class name.
 */
export class ListArtifactsMlflowArtifactsRequestDto {
  @MlflowField({
    type: 'string',
    description:
      'Directory relative to the artifacts destination: `<experiment_id>/<run_id>/artifacts[/…]` ' +
      'or `<experiment_id>/models/<model_id>/artifacts[/…]`. The root is never listed.',
    example: '1/0123456789abcdef0123456789abcdef/artifacts',
  })
  path?: string;
}

export class ListArtifactsMlflowArtifactsResponseDto {
  @ApiPropertyOptional({
    type: [FileInfoDto],
    description: 'Direct children by basename; absent for a file or a missing path',
  })
  files?: FileInfoDto[];
}

export class EmptyResponseDto {}

export class CreateMultipartUploadRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: 'Local file name',
    example: 'model.bin',
  })
  path!: string;

  @MlflowField({ type: 'int64', description: 'Number of parts', example: 60 })
  num_parts?: number;
}

export class MultipartUploadPartDto {
  @MlflowField({ type: 'int64', example: 1 })
  part_number?: number;

  @MlflowField({ type: 'string', example: '"9b2cf535f27731c974343645a3985328"' })
  etag?: string;

  @MlflowField({ type: 'string', example: 'https://storage.example/part-1' })
  url?: string;
}

export class CompleteMultipartUploadRequestDto {
  @MlflowField({ type: 'string', required: true, example: 'model.bin' })
  path!: string;

  @MlflowField({ type: 'string', example: 'upload-1' })
  upload_id?: string;

  @MlflowField({ type: 'object', repeated: true, required: true, item: MultipartUploadPartDto })
  parts?: MultipartUploadPartDto[];
}

export class AbortMultipartUploadRequestDto {
  @MlflowField({ type: 'string', required: true, example: 'model.bin' })
  path!: string;

  @MlflowField({ type: 'string', example: 'upload-1' })
  upload_id?: string;
}

export function toListArtifactsMlflowArtifactsJson(
  files: FileInfo[],
): ListArtifactsMlflowArtifactsResponseDto {
  return files.length > 0 ? { files: files.map(toFileInfoJson) } : {};
}
