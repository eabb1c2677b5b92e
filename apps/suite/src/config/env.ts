import { IsOptional, IsString } from 'class-validator';

import { IsRegularExpression, ServerEnv } from '@app/config';

/** Environment of the suite: every service in one process, SQLite and local artifacts by default. */
export class SuiteEnv extends ServerEnv {
  override PORT = 5000;

  /** Optional regular expression every new model version source must match. */
  @IsOptional()
  @IsString()
  @IsRegularExpression()
  MODEL_VERSION_SOURCE_REGEX?: string;
}
