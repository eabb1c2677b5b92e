import { ArtifactStoreModule } from '@app/artifact-store';
import { artifactStoreSettings, backendStoreSettings, loadEnv } from '@app/config';
import { MlflowHttpModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';
import { DynamicModule, Module } from '@nestjs/common';

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
        PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
        ArtifactStoreModule.forRootAsync({ useFactory: () => artifactStoreSettings(config) }),
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
