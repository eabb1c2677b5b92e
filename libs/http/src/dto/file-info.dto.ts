import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { FileInfo } from '@app/domain';

/** MLflow's `FileInfo`, in both artifact listings (proxy: basenames; tracking: run-relative). */
export class FileInfoDto {
  @ApiProperty({ example: 'model/MLmodel' })
  path!: string;

  @ApiProperty({ example: false })
  is_dir!: boolean;

  @ApiPropertyOptional({
    example: 412,
    description:
      'Bytes; omitted for directories and for empty files (MLflow sets it only when non-zero)',
  })
  file_size?: number;
}

export function toFileInfoJson(info: FileInfo): FileInfoDto {
  const json: FileInfoDto = { path: info.path, is_dir: info.isDir };
  if (!info.isDir && info.fileSize) json.file_size = info.fileSize;
  return json;
}
