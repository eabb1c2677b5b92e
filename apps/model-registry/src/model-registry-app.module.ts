import { Module } from '@nestjs/common';

import { ArtifactStoreModule } from '@app/artifact-store';
import { artifactStoreSettings, backendStoreSettings, flopsNamingPatterns } from '@app/config';
import { forwardingCaller, MlflowService } from '@app/http';
import { PersistenceModule } from '@app/persistence';

import { ModelRegistryEnv } from './config/env';
import { ModelRegistryModule } from './model-registry.module';

@Module({})
export class ModelRegistryAppModule {}

/** The model registry deployed on its own (clients reach it through MLFLOW_REGISTRY_URI). */
export const MODEL_REGISTRY_SERVICE: MlflowService<ModelRegistryEnv> = {
  name: 'FLOps model registry',
  module: ModelRegistryAppModule,
  env: ModelRegistryEnv,
  imports: (config) => {
    const artifacts = forwardingCaller(artifactStoreSettings(config, 'reads-artifacts'));
    return [
      PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
      ArtifactStoreModule.forRootAsync({ useFactory: () => artifacts }),
      ModelRegistryModule.register({
        modelVersionSourceRegex: config.MODEL_VERSION_SOURCE_REGEX,
        flopsNaming: flopsNamingPatterns(config),
      }),
    ];
  },
};
