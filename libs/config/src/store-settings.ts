import { readFileSync } from 'node:fs';

import { isTrue, ServerEnv } from './server-env';

/** What every service hands PersistenceModule (the same shape as its PersistenceOptions). */
export interface BackendStoreSettings {
  backendStoreUri: string;
  defaultArtifactRoot: string;
  /** Undefined: the store's default (migrate embedded SQLite, refuse an old MySQL schema). */
  autoMigrate: boolean | undefined;
  poolSize: number;
}

/** What every service hands ArtifactStoreModule (the shape of its options). */
export interface ArtifactStoreSettings {
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
}

export function backendStoreSettings(env: ServerEnv): BackendStoreSettings {
  return {
    backendStoreUri: env.BACKEND_STORE_URI,
    defaultArtifactRoot: env.DEFAULT_ARTIFACT_ROOT,
    autoMigrate: isTrue(env.MIGRATE_ON_START),
    poolSize: env.DB_POOL_SIZE,
  };
}

export function artifactStoreSettings(env: ServerEnv): ArtifactStoreSettings {
  return {
    destination: env.ARTIFACTS_DESTINATION,
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
