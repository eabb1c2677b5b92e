import { DynamicModule, Module } from '@nestjs/common';
import { ArtifactStoreModule } from '@app/artifact-store';
import { isTrue, loadEnv, MlflowHttpModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { ModelRegistryEnv } from './config/env';
import { ModelRegistryModule } from './model-registry.module';

/** The model registry deployed on its own (clients reach it through MLFLOW_REGISTRY_URI). */
@Module({})
export class ModelRegistryAppModule {
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const config = loadEnv(ModelRegistryEnv, env);
    return {
      module: ModelRegistryAppModule,
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
        ModelRegistryModule.register({
          modelVersionSourceRegex: config.MODEL_VERSION_SOURCE_REGEX,
        }),
      ],
    };
  }

  static listenAddress(env: NodeJS.ProcessEnv = process.env): { host: string; port: number } {
    const config = loadEnv(ModelRegistryEnv, env);
    return { host: config.HOST, port: config.PORT };
  }
}
