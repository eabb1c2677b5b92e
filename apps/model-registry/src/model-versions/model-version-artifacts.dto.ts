import { MlflowField } from '@app/http';

import { ModelVersionKeyDto } from './model-versions.dto';

export class GetModelVersionArtifactRequestDto extends ModelVersionKeyDto {
  @MlflowField({
    type: 'string',
    required: true,
    description: "File path relative to the version's storage location",
    example: 'MLmodel',
  })
  path!: string;
}
