import { Module } from '@nestjs/common';

import { ArtifactStoreModule } from '@app/artifact-store';
import {
  artifactStoreSettings,
  backendStoreSettings,
  flopsNamingPatterns,
  isTrue,
  learnerKeyPrefixes,
  webUiSettings,
} from '@app/config';
import { forwardingCaller, MlflowService, WebUiModule } from '@app/http';
import { PersistenceModule } from '@app/persistence';

import { TrackingEnv } from './config/env';
import { TrackingModule } from './tracking.module';

@Module({})
export class TrackingAppModule {}

/** The tracking service deployed on its own. */
export const TRACKING_SERVICE: MlflowService<TrackingEnv> = {
  name: 'FLOps tracking',
  module: TrackingAppModule,
  env: TrackingEnv,
  imports: (config) => {
    const artifacts = forwardingCaller(artifactStoreSettings(config, 'reads-artifacts'));
    const web = webUiSettings(config, false);
    return [
      PersistenceModule.forRootAsync({ useFactory: () => backendStoreSettings(config) }),
      ArtifactStoreModule.forRootAsync({ useFactory: () => artifacts }),
      TrackingModule.register({
        truncateLongValues: isTrue(config.MLFLOW_TRUNCATE_LONG_VALUES) ?? true,
        learnerKeyPrefixes: learnerKeyPrefixes(config),
        flopsNaming: flopsNamingPatterns(config),
      }),
      ...(web.enabled ? [WebUiModule.register({ directory: web.directory })] : []),
    ];
  },
};
