import { DynamicModule, Module } from '@nestjs/common';

import { ArtifactStoreModule } from '@app/artifact-store';
import { isTrue, loadEnv, MlflowHttpModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';

import { ArtifactProxyModule } from './artifact-proxy.module';
import { ArtifactProxyEnv } from './config/env';

/** The artifact proxy deployed on its own (MLflow's `--artifacts-only`), beside tracking. */
@Module({})
export class ArtifactProxyAppModule {
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnv(ArtifactProxyEnv, env);
    return {
      module: ArtifactProxyAppModule,
      imports: [
        MlflowHttpModule,
        PersistenceModule.forRootAsync({
          useFactory: () => ({
            backendStoreUri: config.BACKEND_STORE_URI,
            defaultArtifactRoot: config.DEFAULT_ARTIFACT_ROOT,
            autoMigrate: isTrue(config.MIGRATE_ON_START),
            poolSize: config.DB_POOL_SIZE,
          }),
        }),
        ArtifactStoreModule.forRootAsync({
          useFactory: () => ({ destination: config.ARTIFACTS_DESTINATION }),
        }),
        ArtifactProxyModule.register(),
      ],
    };
  }

  static listenAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
    const config = loadEnv(ArtifactProxyEnv, env);
    return { host: config.HOST, port: config.PORT };
  }
}
