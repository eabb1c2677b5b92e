import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import {
  DEFAULT_LEARNER_KEY_PREFIXES,
  DEFAULT_PROJECT_NAME_PATTERN,
  DEFAULT_ROUND_NAME_PATTERN,
  FlopsNamingPatterns,
} from '@app/domain';

import { IsKeyPrefixList, parseKeyPrefixList } from './is-key-prefix-list';

const BOOLEAN_TEXT = ['true', 'false', '1', '0'];

/** Where the suite and the artifact proxy keep artifacts when ARTIFACTS_DESTINATION is unset. */
export const DEFAULT_ARTIFACTS_DESTINATION = 'file:./data/artifacts';

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

  /**
   * Where artifact bytes live: `file:<path>` or a path, `ftp://`, `ftps://`, `sftp://`. The suite
   * and the artifact proxy default to {@link DEFAULT_ARTIFACTS_DESTINATION}; tracking and the
   * registry read it only without ARTIFACT_PROXY_URL (see artifactStoreSettings).
   */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  ARTIFACTS_DESTINATION?: string;

  /** Split deployment: tracking and the registry reach artifact bytes through this proxy. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, {
    message:
      'ARTIFACT_PROXY_URL must be an http(s) URL without credentials, e.g. http://10.30.0.3:5003',
  })
  ARTIFACT_PROXY_URL?: string;

  /** An API token sent to the proxy when a call has no caller's Authorization header. */
  @IsOptional()
  @IsString()
  ARTIFACT_PROXY_TOKEN?: string;

  @IsOptional()
  @IsString()
  ARTIFACT_PROXY_TOKEN_FILE?: string;

  /** Connect, answer and idle timeout of each call to the artifact proxy. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  ARTIFACT_PROXY_TIMEOUT_SECONDS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** Run pending migrations at boot; the default is yes on SQLite, no on MySQL. */
  @IsOptional()
  @IsIn(BOOLEAN_TEXT)
  MIGRATE_ON_START?: string;

  /**
   * `none`: no sign-in, one local operator (the embedded default; loopback only unless
   * ALLOW_UNAUTHENTICATED). `basic`: users (HTTP Basic) and API tokens. `jwt`: both, plus bearer
   * JWTs issued by the FLOps management.
   */
  @IsIn(['none', 'basic', 'jwt'], { message: 'AUTH_MODE must be none, basic or jwt' })
  AUTH_MODE = 'none';

  /** Serve without authentication on a non-loopback address anyway (warned at every start). */
  @IsIn(BOOLEAN_TEXT)
  ALLOW_UNAUTHENTICATED = 'false';

  /** The first administrator, created when the store has no user yet. */
  @IsOptional()
  @IsString()
  AUTH_ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  AUTH_ADMIN_PASSWORD?: string;

  /** A file holding the first administrator's password (a mounted secret). */
  @IsOptional()
  @IsString()
  AUTH_ADMIN_PASSWORD_FILE?: string;

  /** How long a verified credential is trusted without a store lookup, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  AUTH_CACHE_TTL_SECONDS = 30;

  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  /** HS256 shared secret (at least 32 bytes), or a file holding it. */
  @IsOptional()
  @IsString()
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_SECRET_FILE?: string;

  /** RS256/ES256 public key (PEM, SPKI) or a JWKS document, as files. */
  @IsOptional()
  @IsString()
  AUTH_JWT_PUBLIC_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_JWKS_FILE?: string;

  /** Experiment names the FLOps view recognises as projects: `<id>` marks the project id. */
  @Matches(/^[^<]*<id>(?!.*<id>).*$/, {
    message: 'FLOPS_PROJECT_NAME_PATTERN must contain <id> exactly once',
  })
  FLOPS_PROJECT_NAME_PATTERN = DEFAULT_PROJECT_NAME_PATTERN;

  /** Run names the FLOps view recognises as rounds: `<n>` marks the round number. */
  @Matches(/^[^<]*<n>(?!.*<n>).*$/, {
    message: 'FLOPS_ROUND_NAME_PATTERN must contain <n> exactly once',
  })
  FLOPS_ROUND_NAME_PATTERN = DEFAULT_ROUND_NAME_PATTERN;

  /** Cut over-long param/tag values instead of refusing them (MLflow's default: true). */
  @IsIn(BOOLEAN_TEXT)
  MLFLOW_TRUNCATE_LONG_VALUES = 'true';

  /**
   * Metric, param and tag keys under these prefixes (comma-separated, case-insensitive) name an
   * individual learner and are refused; empty or `none` turns the FLOps learner-privacy rule off.
   */
  @IsKeyPrefixList()
  LEARNER_KEY_PREFIXES = DEFAULT_LEARNER_KEY_PREFIXES.join(',');

  /** Serve Prometheus metrics at /metrics and measure for them. */
  @IsIn(BOOLEAN_TEXT)
  METRICS_ENABLED = 'true';

  /** A bearer token /metrics requires (public without one, as scrapers expect), or its file. */
  @IsOptional()
  @IsString()
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsString()
  METRICS_TOKEN_FILE?: string;

  /** How long a /health/ready answer is reused, in seconds (0: every probe checks the stores). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  READINESS_CACHE_SECONDS = 5;
}

/** LEARNER_KEY_PREFIXES as a list; empty when the rule is off. */
export function learnerKeyPrefixes(env: ServerEnv): string[] {
  return parseKeyPrefixList(env.LEARNER_KEY_PREFIXES);
}

/** The FLOps view's name patterns (README: FLOps view). */
export function flopsNamingPatterns(env: ServerEnv): FlopsNamingPatterns {
  return {
    projectNamePattern: env.FLOPS_PROJECT_NAME_PATTERN,
    roundNamePattern: env.FLOPS_ROUND_NAME_PATTERN,
  };
}

export function isTrue(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true' || value === '1';
}
