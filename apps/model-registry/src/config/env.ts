import { IsNotEmpty, IsOptional, IsString, ValidateBy } from 'class-validator';
import { ServerEnv } from '@app/http';

function isRegex(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

/** Environment of the standalone model registry service. */
export class ModelRegistryEnv extends ServerEnv {
  override PORT = 5002;

  /** The artifact proxy's destination, read by model-versions/get-artifact. */
  @IsString()
  @IsNotEmpty()
  ARTIFACTS_DESTINATION = 'file:./data/artifacts';

  /** Optional regular expression every new model version source must match, e.g. `^mlflow-artifacts:/`. */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isRegex',
    validator: { validate: isRegex, defaultMessage: () => 'must be a valid regular expression' },
  })
  MODEL_VERSION_SOURCE_REGEX?: string;
}
