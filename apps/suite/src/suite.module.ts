import { DynamicModule, Module } from '@nestjs/common';
import { ArtifactProxyModule } from '@app/artifact-proxy';
import { ArtifactStoreModule } from '@app/artifact-store';
import { isTrue, loadEnv, MlflowHttpModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { ModelRegistryModule } from '@app/model-registry';
import { TrackingModule } from '@app/tracking';
import { SuiteEnv } from './config/env';

/** One process mounting every service on one port: the embedded default that `npm start` runs. */
@Module({})
export class SuiteModule {
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnv(SuiteEnv, env);
    return {
      module: SuiteModule,
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
        TrackingModule.register({
          truncateLongValues: isTrue(config.MLFLOW_TRUNCATE_LONG_VALUES) ?? true,
        }),
        ArtifactStoreModule.forRootAsync({
          useFactory: () => ({ destination: config.ARTIFACTS_DESTINATION }),
        }),
        ArtifactProxyModule.register(),
        ModelRegistryModule.register({
          modelVersionSourceRegex: config.MODEL_VERSION_SOURCE_REGEX,
        }),
      ],
    };
  }

  static listenAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
    const config = loadEnv(SuiteEnv, env);
    return { host: config.HOST, port: config.PORT };
  }
}
