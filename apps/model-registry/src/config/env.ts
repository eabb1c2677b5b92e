import { IsOptional, IsString } from 'class-validator';

import { IsRegularExpression, ServerEnv } from '@app/config';

/** Environment of the standalone model registry service. */
export class ModelRegistryEnv extends ServerEnv {
  override PORT = 5002;

  /** Optional regular expression every new model version source must match, e.g. `^mlflow-artifacts:/`. */
  @IsOptional()
  @IsString()
  @IsRegularExpression()
  MODEL_VERSION_SOURCE_REGEX?: string;
}
