import { readFileSync } from 'node:fs';

import { ConfigurationError } from './load-env';
import { DEFAULT_ARTIFACTS_DESTINATION, isTrue, ServerEnv } from './server-env';

/** What every service hands PersistenceModule (the same shape as its PersistenceOptions). */
export interface BackendStoreSettings {
  backendStoreUri: string;
  defaultArtifactRoot: string;
  /** Undefined: the store's default (migrate embedded SQLite, refuse an old MySQL schema). */
  autoMigrate: boolean | undefined;
  poolSize: number;
}

/** How a service talks to the artifact store itself (FTP/SFTP transport settings). */
export interface DirectArtifactStoreSettings {
  destination: string;
  storeOptions: {
    ftpUser?: string;
    ftpPassword?: string;
    ftpsImplicit: boolean;
    ftpsCa?: string;
    sftpUser?: string;
    sftpPassword?: string;
    sftpPrivateKeyPath?: string;
    sftpPassphrase?: string;
    sftpHostKeySha256?: string;
    maxConnections?: number;
    timeoutMs: number;
    acquireTimeoutMs: number;
  };
  proxy?: undefined;
}

export interface ArtifactProxySettings {
  url: string;
  serviceToken?: string;
  timeoutMs: number;
}

/** What every service hands ArtifactStoreModule: the store itself, or the proxy in front of it. */
export type ArtifactStoreSettings =
  DirectArtifactStoreSettings | { proxy: ArtifactProxySettings; destination?: undefined };

/**
 * `serves-artifacts`: the suite and the artifact proxy, which talk to the store themselves.
 * `reads-artifacts`: tracking and the registry on their own, which read artifacts either through
 * the proxy or, configured so, directly from the store.
 */
export type ArtifactRole = 'serves-artifacts' | 'reads-artifacts';

export function backendStoreSettings(env: ServerEnv): BackendStoreSettings {
  return {
    backendStoreUri: env.BACKEND_STORE_URI,
    defaultArtifactRoot: env.DEFAULT_ARTIFACT_ROOT,
    autoMigrate: isTrue(env.MIGRATE_ON_START),
    poolSize: env.DB_POOL_SIZE,
  };
}

/**
 * How the service reaches artifact bytes, failing the boot (naming the variables) when the
 * wiring cannot work: tracking or the registry with neither ARTIFACT_PROXY_URL nor
 * ARTIFACTS_DESTINATION would serve runs whose files it cannot see, and with both it is unclear
 * which one the operator meant. Call it before the app is built, so the failure is a
 * ConfigurationError of the boot.
 */
export function artifactStoreSettings(
  env: ServerEnv,
  role: 'serves-artifacts',
): DirectArtifactStoreSettings;
export function artifactStoreSettings(
  env: ServerEnv,
  role: 'reads-artifacts',
): ArtifactStoreSettings;
export function artifactStoreSettings(env: ServerEnv, role: ArtifactRole): ArtifactStoreSettings {
  const problems: string[] = [];
  const token = env.ARTIFACT_PROXY_TOKEN;
  const url = env.ARTIFACT_PROXY_URL;
  if (role === 'serves-artifacts') {
    if (url !== undefined) {
      problems.push(
        'ARTIFACT_PROXY_URL is for tracking and the model registry deployed on their own: this service serves the artifact proxy itself and reads ARTIFACTS_DESTINATION',
      );
    }
  } else if (url !== undefined && env.ARTIFACTS_DESTINATION !== undefined) {
    problems.push(
      'ARTIFACT_PROXY_URL and ARTIFACTS_DESTINATION are both set: keep ARTIFACT_PROXY_URL (only the artifact proxy talks to the store) or ARTIFACTS_DESTINATION (this service reads the store directly)',
    );
  } else if (url === undefined && env.ARTIFACTS_DESTINATION === undefined) {
    problems.push(
      `DEFAULT_ARTIFACT_ROOT ${env.DEFAULT_ARTIFACT_ROOT} is served by the artifact proxy, so this service needs ARTIFACT_PROXY_URL (the proxy, e.g. http://10.30.0.3:5003) or ARTIFACTS_DESTINATION (the store the proxy writes to)`,
    );
  }
  if (token !== undefined && url === undefined) {
    problems.push('ARTIFACT_PROXY_TOKEN is only used with ARTIFACT_PROXY_URL');
  }
  if (problems.length > 0) {
    throw new ConfigurationError(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      problems,
    );
  }
  if (url !== undefined) {
    return {
      proxy: { url, serviceToken: token, timeoutMs: env.ARTIFACT_PROXY_TIMEOUT_SECONDS * 1000 },
    };
  }
  return directStoreSettings(env, env.ARTIFACTS_DESTINATION ?? DEFAULT_ARTIFACTS_DESTINATION);
}

function directStoreSettings(env: ServerEnv, destination: string): DirectArtifactStoreSettings {
  return {
    destination,
    storeOptions: {
      ftpUser: env.ARTIFACTS_USER,
      ftpPassword: env.ARTIFACTS_PASSWORD,
      ftpsImplicit: env.FTPS_MODE === 'implicit',
      // Read at boot (the variable was checked readable): a CA that vanishes later changes nothing.
      ftpsCa: env.FTPS_CA_FILE === undefined ? undefined : readFileSync(env.FTPS_CA_FILE, 'utf8'),
      sftpUser: env.ARTIFACTS_USER,
      sftpPassword: env.ARTIFACTS_PASSWORD,
      sftpPrivateKeyPath: env.SFTP_PRIVATE_KEY_FILE,
      sftpPassphrase: env.SFTP_PASSPHRASE,
      sftpHostKeySha256: env.SFTP_HOST_KEY_SHA256,
      maxConnections: env.ARTIFACTS_POOL_SIZE,
      timeoutMs: env.ARTIFACTS_TIMEOUT_SECONDS * 1000,
      acquireTimeoutMs: env.ARTIFACTS_ACQUIRE_TIMEOUT_SECONDS * 1000,
    },
  };
}
