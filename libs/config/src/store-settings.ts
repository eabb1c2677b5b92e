import { isTrue, ServerEnv } from './server-env';

/** What every service hands PersistenceModule (the same shape as its PersistenceOptions). */
export interface BackendStoreSettings {
  backendStoreUri: string;
  defaultArtifactRoot: string;
  /** Undefined: the store's default (migrate embedded SQLite, refuse an old MySQL schema). */
  autoMigrate: boolean | undefined;
  poolSize: number;
}

/** What every service hands ArtifactStoreModule. */
export interface ArtifactStoreSettings {
  destination: string;
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
  return { destination: env.ARTIFACTS_DESTINATION };
}
