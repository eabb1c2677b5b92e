import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const BOOLEAN_TEXT = ['true', 'false', '1', '0'];

/** Variables every service reads; each app's `config/env.ts` extends this with its own. */
export class ServerEnv {
  /** An empty HOST would listen on every interface: say 0.0.0.0 (or ::) to mean that. */
  @IsString()
  @IsNotEmpty({ message: 'HOST must not be empty (use 0.0.0.0 to listen on every interface)' })
  HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 5000;

  /** The base URL clients call, for OpenAPI's `servers` (behind a proxy or a service IP). */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  @Matches(/^(sqlite:\/\/\/.+|mysql(\+\w+)?:\/\/.+)$/, {
    message: 'must be sqlite:///<path> or mysql://user:pass@host:port/db',
  })
  BACKEND_STORE_URI = 'sqlite:///data/mlflow.db';

  @Matches(/^mlflow-artifacts:/, {
    message: 'must be an mlflow-artifacts: URI, e.g. mlflow-artifacts:/',
  })
  DEFAULT_ARTIFACT_ROOT = 'mlflow-artifacts:/';

  /** Where artifact bytes live: `file:<path>` or a path, `ftp://`, `ftps://`, `sftp://`. */
  @IsString()
  @IsNotEmpty()
  ARTIFACTS_DESTINATION = 'file:./data/artifacts';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** Run pending migrations at boot; the default is yes on SQLite, no on MySQL. */
  @IsOptional()
  @IsIn(BOOLEAN_TEXT)
  MIGRATE_ON_START?: string;

  /** Cut over-long param/tag values instead of refusing them (MLflow's default: true). */
  @IsIn(BOOLEAN_TEXT)
  MLFLOW_TRUNCATE_LONG_VALUES = 'true';
}

export function isTrue(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true' || value === '1';
}
