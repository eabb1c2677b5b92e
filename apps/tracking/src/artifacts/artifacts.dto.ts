import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { FileInfo } from '@app/domain';
import { FileInfoDto, MlflowField, toFileInfoJson } from '@app/http';

export class ListArtifactsRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    aliases: ['run_uuid'],
    example: '0123456789abcdef0123456789abcdef',
  })
  run_id!: string;

  @MlflowField({
    type: 'string',
    description: "Directory relative to the run's artifact root (absent: the root)",
    example: 'model',
  })
  path?: string;

  @MlflowField({ type: 'string', description: 'Ignored: listings are not paged' })
  page_token?: string;
}

export class ListArtifactsResponseDto {
  @ApiProperty({ example: 'mlflow-artifacts:/1/0123456789abcdef0123456789abcdef/artifacts' })
  root_uri!: string;

  @ApiPropertyOptional({
    type: [FileInfoDto],
    description:
      'Children, with paths relative to the run root; absent for a file or a missing path',
  })
  files?: FileInfoDto[];
}

export class GetArtifactRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    aliases: ['run_uuid'],
    example: '0123456789abcdef0123456789abcdef',
  })
  run_id!: string;

  @MlflowField({
    type: 'string',
    required: true,
    description: "File path relative to the run's artifact root",
    example: 'model/MLmodel',
  })
  path!: string;
}

/** Query of the UI upload; checked by the service with MLflow's own messages. */
export class UploadArtifactQueryDto {
  @MlflowField({ type: 'string', aliases: ['run_id'], example: '0123456789abcdef0123456789abcdef' })
  run_uuid?: string;

  @MlflowField({
    type: 'string',
    description: "File path relative to the run's artifact root",
    example: 'notes/readme.txt',
  })
  path?: string;
}

export function toListArtifactsJson(rootUri: string, files: FileInfo[]): ListArtifactsResponseDto {
  const json: ListArtifactsResponseDto = { root_uri: rootUri };
  if (files.length > 0) json.files = files.map(toFileInfoJson);
  return json;
}

export class ListLoggedModelArtifactsRequestDto {
  @MlflowField({
    type: 'string',
    description: "Directory relative to the logged model's artifact root (absent: the root)",
    example: 'data',
  })
  artifact_directory_path?: string;
}

export class GetLoggedModelArtifactRequestDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: "File path relative to the logged model's artifact root",
    example: 'MLmodel',
  })
  artifact_file_path!: string;
}
