import { Module } from '@nestjs/common';

import { ArtifactProxyModule } from '@app/artifact-proxy';
import { ArtifactStoreModule } from '@app/artifact-store';
import {
  artifactStoreSettings,
  backendStoreSettings,
  flopsNamingPatterns,
  isTrue,
  learnerKeyPrefixes,
  webUiSettings,
} from '@app/config';
import { MlflowService, WebUiModule } from '@app/http';
import { ModelRegistryModule } from '@app/model-registry';
import { PersistenceModule } from '@app/persistence';
import { TrackingModule } from '@app/tracking';

import { SuiteEnv } from './config/env';

@Module({})
export class SuiteModule {}

/** One process mounting every service on one port: the embedded default that `npm start` runs. */
export const SUITE_SERVICE: MlflowService<SuiteEnv> = {
  name: 'FLOps MLOps suite',
  module: SuiteModule,
  env: SuiteEnv,
  imports: (config) => {
    const artifacts = artifactStoreSettings(config, 'serves-artifacts');
    const web = webUiSettings(config, true);
    return [
      PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
      ArtifactStoreModule.forRootAsync({ useFactory: () => artifacts }),
      TrackingModule.register({
        truncateLongValues: isTrue(config.MLFLOW_TRUNCATE_LONG_VALUES) ?? true,
        learnerKeyPrefixes: learnerKeyPrefixes(config),
        flopsNaming: flopsNamingPatterns(config),
      }),
      ArtifactProxyModule.register(),
      ModelRegistryModule.register({
        modelVersionSourceRegex: config.MODEL_VERSION_SOURCE_REGEX,
        flopsNaming: flopsNamingPatterns(config),
      }),
      ...(web.enabled ? [WebUiModule.register({ directory: web.directory })] : []),
    ];
  },
};
