import { IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { ServerEnv } from '@app/http';

/** Environment of the suite: every service in one process, SQLite and local artifacts by default. */
export class SuiteEnv extends ServerEnv {
  override PORT = 5000;

  /** Where proxied artifacts live: `file:<path>` or a path, `ftp://`, `ftps://`, `sftp://`. */
  @IsString()
  @IsNotEmpty()
  ARTIFACTS_DESTINATION = 'file:./data/artifacts';

  /** Optional regular expression every new model version source must match. */
  @IsOptional()
  @IsString()
  MODEL_VERSION_SOURCE_REGEX?: string;
}
