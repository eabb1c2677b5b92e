import { DynamicModule, Module } from '@nestjs/common';
import { ArtifactStoreModule } from '@app/artifact-store';
import { isTrue, loadEnv, MlflowHttpModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { TrackingEnv } from './config/env';
import { TrackingModule } from './tracking.module';

/** The tracking service deployed on its own. */
@Module({})
export class TrackingAppModule {
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnv(TrackingEnv, env);
    return {
      module: TrackingAppModule,
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
        TrackingModule.register({
          truncateLongValues: isTrue(config.MLFLOW_TRUNCATE_LONG_VALUES) ?? true,
        }),
      ],
    };
  }

  static listenAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
    const config = loadEnv(TrackingEnv, env);
    return { host: config.HOST, port: config.PORT };
  }
}
