import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

import {
  DEFAULT_LEARNER_KEY_PREFIXES,
  DEFAULT_PROJECT_NAME_PATTERN,
  DEFAULT_ROUND_NAME_PATTERN,
  FlopsNamingPatterns,
} from '@app/domain';

import { IsKeyPrefixList, parseKeyPrefixList } from './is-key-prefix-list';
import { IsReadableFile } from './is-readable-file';

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

  /** An API token sent to the proxy when a call has no caller's Authorization header; or _FILE. */
  @IsOptional()
  @IsString()
  ARTIFACT_PROXY_TOKEN?: string;

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

  /** HS256 shared secret (at least 32 bytes). */
  @IsOptional()
  @IsString()
  AUTH_JWT_SECRET?: string;

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

  /** Serve the web UI at `/` (suite and tracking only; default: on in the suite, off in tracking). */
  @IsOptional()
  @IsIn(BOOLEAN_TEXT)
  WEB_UI_ENABLED?: string;

  /** The built web UI (`npm run build:web`); default: dist/apps/web of the running build. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  WEB_UI_DIR?: string;

  /** Serve Prometheus metrics at /metrics and measure for them. */
  @IsIn(BOOLEAN_TEXT)
  METRICS_ENABLED = 'true';

  /** A bearer token /metrics requires (public without one, as scrapers expect); or METRICS_TOKEN_FILE. */
  @IsOptional()
  @IsString()
  METRICS_TOKEN?: string;

  /** How long a /health/ready answer is reused, in seconds (0: every probe checks the stores). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  READINESS_CACHE_SECONDS = 5;

  // Operations: logs, shutdown, HTTP limits and the artifact store's transport settings.

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent',
  })
  LOG_LEVEL = 'info';

  /** Unset: pretty on a terminal, JSON lines otherwise. */
  @IsOptional()
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT?: string;

  /** How long in-flight requests may run after SIGTERM before they are aborted. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600)
  SHUTDOWN_DEADLINE_SECONDS = 25;

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  JSON_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

  /** Browser origins allowed cross-origin (comma-separated `scheme://host[:port]`, or `*`); unset: none. */
  @IsOptional()
  @Matches(/^(\*|https?:\/\/[^\s,/]+(\s*,\s*https?:\/\/[^\s,/]+)*)$/, {
    message: 'CORS_ORIGINS must be * or a comma-separated list of http(s)://host[:port] origins',
  })
  CORS_ORIGINS?: string;

  /**
   * Which proxies' X-Forwarded-For to believe for the client address (the sign-in limiter, the
   * audit): `true` (all), a hop count, or comma-separated addresses/CIDRs; unset: none.
   */
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count or a comma-separated list of addresses',
  })
  TRUST_PROXY?: string;

  /** The FTP/SFTP user and password, when ARTIFACTS_DESTINATION carries none (or to override it). */
  @IsOptional()
  @IsString()
  ARTIFACTS_USER?: string;

  @IsOptional()
  @IsString()
  ARTIFACTS_PASSWORD?: string;

  /** FTP/SFTP connections per process. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  ARTIFACTS_POOL_SIZE?: number;

  /** FTP/SFTP connect and inactivity timeout (a transfer that stalls this long fails). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  ARTIFACTS_TIMEOUT_SECONDS = 30;

  /** How long a request waits for a free FTP/SFTP connection. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  ARTIFACTS_ACQUIRE_TIMEOUT_SECONDS = 30;

  /** `explicit` (AUTH TLS on the control port, RFC 4217) or `implicit` (TLS from the first byte, port 990). */
  @IsIn(['explicit', 'implicit'], { message: 'FTPS_MODE must be explicit or implicit' })
  FTPS_MODE = 'explicit';

  /** PEM file of the CA that signed the FTPS server's certificate (else the system CAs). */
  @IsOptional()
  @IsReadableFile()
  FTPS_CA_FILE?: string;

  /** OpenSSH private key for SFTP (PEM or OpenSSH format). */
  @IsOptional()
  @IsReadableFile()
  SFTP_PRIVATE_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  SFTP_PASSPHRASE?: string;

  /** Pins the SFTP server's host key, as `ssh-keygen -lf` prints it: `SHA256:<43 base64 chars>`. */
  @IsOptional()
  @Matches(/^SHA256:[A-Za-z0-9+/]{43}$/, {
    message:
      'SFTP_HOST_KEY_SHA256 must be SHA256:<43 base64 characters> as ssh-keygen -lf prints it',
  })
  SFTP_HOST_KEY_SHA256?: string;
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
